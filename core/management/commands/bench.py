"""`./sig bench`: the benchmark harness (bench/). Not a test: it prints numbers, never fails on them."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.context import SIZES

CHILD_FLAG = "SIG_BENCH_CHILD"


def _interrupt(signum: int, frame: Any) -> NoReturn:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Benchmark the real server on a large synthetic dataset in its own database (bench-data/ by default) "
        "and print p50/p95/throughput per scenario next to the same queries run directly in SQL."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="dataset size (tiny: a few hundred rows; small: 50k audit events; "
            "medium: 500k; large: 2M). Default: small.",
        )
        parser.add_argument("--seconds", type=float, default=5.0, help="load per scenario, in seconds (default 5)")
        parser.add_argument("--clients", type=int, default=4, help="concurrent client threads (default 4)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
        parser.add_argument(
            "--scenario",
            action="append",
            default=[],
            metavar="TEXT",
            help="only scenarios whose name contains TEXT (repeatable)",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=20_000,
            help="safety cap on requests per scenario and phase (default 20000)",
        )
        parser.add_argument("--regenerate", action="store_true", help="rebuild the bench database even if current")
        parser.add_argument(
            "--database-url",
            default="",
            help="bench on this (empty, or earlier bench) database instead of bench-data/ "
            "(default: $DATABASE_URL when set)",
        )
        parser.add_argument(
            "--keep-server", action="store_true", help="leave the server running after the report, until Ctrl-C"
        )
        parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
        parser.add_argument(
            "--compare",
            nargs="+",
            metavar="SIZE",
            choices=list(SIZES),
            help="print the saved figures of these sizes side by side with their growth (e.g. small large) and exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seconds"] <= 0 or options["clients"] < 1 or options["workers"] < 1 or options["max_requests"] < 1:
            raise CommandError("--seconds, --clients, --workers and --max-requests must be positive")
        if options["list"]:
            self._list(options["scenario"])
            return
        if options["compare"]:
            self._compare(options["compare"], options["database_url"] or os.environ.get("DATABASE_URL", ""))
            return
        if os.environ.get(CHILD_FLAG) != "1":
            self._reexec(options)
        from bench.runner import Options, run

        # Ctrl-C and SIGTERM both end in the runner's `finally`, which stops the server.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            run(
                Options(
                    size=options["size"],
                    seconds=options["seconds"],
                    clients=options["clients"],
                    workers=options["workers"],
                    scenarios=options["scenario"],
                    regenerate=options["regenerate"],
                    keep_server=options["keep_server"],
                    max_requests=options["max_requests"],
                ),
                self.stdout.write,
            )
        except KeyboardInterrupt:
            self.stderr.write("bench: interrupted; server stopped")
            sys.exit(130)

    def _compare(self, sizes: list[str], url: str) -> None:
        from bench import compare

        if len(sizes) < 2:
            raise CommandError("--compare needs two sizes or more, e.g. --compare small large")
        vendor = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
        for line in compare.report(settings.BASE_DIR / "bench-data", vendor, sizes):
            self.stdout.write(line)

    def _list(self, patterns: list[str]) -> None:
        from django.db import DatabaseError

        from bench.context import RunContext
        from bench.registry import all_scenarios, select

        ctx = RunContext()
        for s in select(all_scenarios(), patterns):
            try:
                path = s.url(ctx)
            except (DatabaseError, LookupError, AttributeError):
                path = "(a path computed from the bench dataset, which is not built)"
            self.stdout.write(f"{s.name:24} {s.persona or 'anonymous':10} {s.auth:8} {path}")

    def _reexec(self, options: dict[str, Any]) -> NoReturn:
        """Run again with settings pointing at the bench database: SIG_DATA_DIR=bench-data/ (SQLite,
        secret key, mail) and DATABASE_URL when one is given. Settings are read once per process,
        so this is the one way to never touch the regular database."""
        bench_dir = settings.BASE_DIR / "bench-data"
        bench_dir.mkdir(exist_ok=True)
        env = dict(os.environ)
        env.update(
            {
                CHILD_FLAG: "1",
                "SIG_DATA_DIR": str(bench_dir),
                "SIG_ENV": "local",
                "SIG_DEBUG": "0",
                "SIG_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SIG_SECURE_COOKIES": "0",
                "SIG_LOG_LEVEL": "WARNING",
            }
        )
        url = options["database_url"] or os.environ.get("DATABASE_URL", "")
        if url:
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
        argv = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "bench",
            "--size",
            options["size"],
            "--seconds",
            str(options["seconds"]),
            "--clients",
            str(options["clients"]),
            "--workers",
            str(options["workers"]),
            "--max-requests",
            str(options["max_requests"]),
        ]
        for pattern in options["scenario"]:
            argv += ["--scenario", pattern]
        argv += [
            flag
            for flag, on in [("--regenerate", options["regenerate"]), ("--keep-server", options["keep_server"])]
            if on
        ]
        self.stdout.flush()
        sys.stdout.flush()
        os.execve(sys.executable, argv, env)  # noqa: S606 - same interpreter, fixed argv
