"""`./sig run` stops its job worker when it stops, even after a kill -9 of the server (issue 7,
point 12): the worker watches the process that started it (core.lifecycle)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

CHILD = """
import signal, sys, time
from core.lifecycle import exit_with_parent

def stop(signum, frame):
    open(sys.argv[1], "w").write("stopped")
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
exit_with_parent(int(sys.argv[2]), interval=0.1)  # as ./sig run passes --parent $$
while True:
    time.sleep(0.1)
"""

PARENT = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2], str(os.getpid())])
print(child.pid, flush=True)
time.sleep(3600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has not been reaped yet by init in a container: it is stopped all the same.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def test_the_worker_stops_when_its_parent_is_killed_with_sigkill(tmp_path):
    marker = tmp_path / "stopped"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD, str(marker)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 30  # a bound on waiting, not a speed requirement
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(child)
        assert marker.read_text() == "stopped"  # it shut down through its SIGTERM handler
    finally:
        if parent.poll() is None:
            parent.kill()


def test_sig_run_starts_the_worker_watching_the_server_that_replaces_it():
    script = (ROOT / "sig").read_text()
    run = script[script.index("  run)") : script.index("  test)")]
    assert "manage.py run_worker --parent $$" in run
    assert 'exec "$VENV/bin/gunicorn"' in run and 'exec "$PY" manage.py runserver' in run
    assert "db_worker" not in run and "while true" not in run  # no unwatched children
