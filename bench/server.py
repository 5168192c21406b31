"""Start and stop the real server (gunicorn, as `./sig run` does) on a free loopback port."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nobody listens on right now (gunicorn cannot bind port 0 and report it back)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class ServerError(RuntimeError):
    pass


class Server:
    def __init__(self, *, workers: int, env: dict[str, str], cwd: Path, log_path: Path) -> None:
        self.workers = workers
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        self.log_path.write_bytes(b"")  # this run's log only
        for _attempt in range(3):  # another process may take the port between probe and bind
            self.port = free_port()
            self._spawn()
            if self._wait_healthy(timeout):
                return
            tail = self.log_tail()
            self.stop()
            if "Address already in use" not in tail:
                raise ServerError(f"the server did not become healthy; its log ({self.log_path}) ends with:\n{tail}")
        raise ServerError("could not bind a free loopback port after 3 attempts")

    def _spawn(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
        ]
        log = self.log_path.open("ab")
        try:
            # Its own session: a Ctrl-C in the terminal reaches only the harness, which stops it.
            self.proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                cmd,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        """SIGTERM to gunicorn's master (it stops its workers); SIGKILL the group if it hangs."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
            proc.wait(timeout=5)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
