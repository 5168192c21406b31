"""HTTP side of the harness: log personas in once, then drive a path with concurrent clients."""

from __future__ import annotations

import http.client
import itertools
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


class LoginError(RuntimeError):
    pass


def _cookies(resp: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in resp.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def login(host: str, port: int, login_path: str, username: str, password: str, then: str | None = None) -> str:
    """POST the login form once (with its CSRF cookie) and return the Cookie header to reuse.
    `then`: a form that asks for the password again (an unlock page), posted once after the
    login; the cookies it sets are added to the header."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", login_path)
        resp = conn.getresponse()
        resp.read()
        csrf = _cookies(resp).get("csrftoken")
        if resp.status != 200 or not csrf:
            raise LoginError(f"GET {login_path} answered {resp.status} without a CSRF cookie")
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf})
        conn.request(
            "POST",
            login_path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )
        resp = conn.getresponse()
        resp.read()
        session = _cookies(resp).get("sessionid")
        if resp.status != 302 or not session:
            raise LoginError(f"login as {username} answered {resp.status} (wrong SIG_DEMO_PASSWORD? throttled?)")
        cookies = {"sessionid": session}
        if then:
            csrf = _cookies(resp).get("csrftoken") or csrf  # the login rotates the CSRF token
            body = urlencode({"password": password, "csrfmiddlewaretoken": csrf})
            conn.request(
                "POST",
                then,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf}; sessionid={session}",
                },
            )
            resp = conn.getresponse()
            resp.read()
            if resp.status != 302:
                raise LoginError(f"{then} as {username} answered {resp.status}")
            cookies.update({k: v for k, v in _cookies(resp).items() if k != "csrftoken" and v})
        return "; ".join(f"{k}={v}" for k, v in cookies.items())
    finally:
        conn.close()


def get_status(host: str, port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """One request: (status, body bytes). 0 when the connection failed."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, len(resp.read())
    except (OSError, http.client.HTTPException):
        return 0, 0
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of `values`; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed_s: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def not_ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s > 0 else 0.0


def drive(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    clients: int,
    seconds: float,
    max_requests: int,
    min_requests: int = 0,
) -> LoadResult:
    """`clients` threads, each on its own keep-alive connection, GET `path` until `seconds` pass
    or `max_requests` were sent in all (each client sends at least `min_requests`, for slow pages). (gunicorn's sync workers close after each response;
    http.client then reconnects by itself.)"""
    result = LoadResult()
    lock = threading.Lock()
    issued = itertools.count()
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        barrier.wait()
        while (time.perf_counter() < deadline[0] or len(latencies) < min_requests) and next(issued) < max_requests:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            latencies.append((time.perf_counter() - t0) * 1000)
            statuses[status] += 1
        conn.close()
        with lock:
            result.latencies_ms.extend(latencies)
            result.statuses.update(statuses)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    deadline[0] = started + seconds
    barrier.wait()
    for t in threads:
        t.join()
    result.elapsed_s = time.perf_counter() - started
    return result
