"""Child processes that end with the process that started them.

`./sig run` starts the job worker beside the web server. Had the server been killed (even with
`kill -9`, which runs no clean-up), the worker lived on with parent 1, and the next start added a
second one. A process calls `exit_with_parent()` to watch the process that started it: when that
parent is gone (the process is re-parented), it sends itself SIGTERM, which the worker handles by
finishing its current job and stopping."""

from __future__ import annotations

import os
import signal
import threading
import time


def exit_with_parent(parent: int | None = None, interval: float = 1.0) -> threading.Thread:
    """Watch `parent` from a daemon thread. Pass the parent's id when the caller knows it (`./sig run`
    passes `$$`): a parent that died before this call is then noticed too."""
    expected = parent if parent is not None else os.getppid()

    def watch() -> None:
        while os.getppid() == expected:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    thread.start()
    return thread
