"""The server's access log never records who used the whistleblowing channel (issue 13: no IP
address or user agent stored), while it keeps those fields for every other path (ISMS logging)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn.config import Config

from config.gunicorn_conf import PrivacyLogger

ROOT = Path(__file__).resolve().parents[2]
ADDRESS, AGENT, REFERER = "203.0.113.77", "SecretBrowser/9.9", "https://example.org/from-here"


def _log_line(tmp_path: Path, path: str) -> str:
    cfg = Config()
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    cfg.set("logger_class", "config.gunicorn_conf.PrivacyLogger")
    logger = cfg.logger_class(cfg)
    assert isinstance(logger, PrivacyLogger)
    headers = [("X-FORWARDED-FOR", ADDRESS), ("USER-AGENT", AGENT), ("REFERER", REFERER)]
    environ: dict[str, Any] = {
        "REMOTE_ADDR": ADDRESS,
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": AGENT,
        "HTTP_REFERER": REFERER,
    }
    resp = SimpleNamespace(status="200 OK", sent=123, headers=[("Content-Type", "text/html")])
    logger.access(resp, SimpleNamespace(headers=headers), environ, datetime.timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


@pytest.mark.parametrize(
    "path",
    ["/denuncias/", "/denuncias/seguimiento/", "/api/v1/public/whistleblowing/reports", "/api/v1/whistleblowing/cases"],
)
def test_the_channels_lines_carry_neither_address_nor_user_agent_nor_referer(tmp_path: Path, path: str) -> None:
    line = _log_line(tmp_path, path)
    assert path in line and " 200 " in line  # the request is still logged
    assert ADDRESS not in line and AGENT not in line and REFERER not in line


def test_other_paths_keep_gunicorns_usual_fields(tmp_path: Path) -> None:
    line = _log_line(tmp_path, "/documentos/")
    assert line.startswith(ADDRESS) and AGENT in line and REFERER in line


def test_sig_run_serves_with_this_configuration() -> None:
    script = (ROOT / "sig").read_text()
    gunicorn_lines = [line for line in script.splitlines() if re.search(r"/bin/gunicorn\b", line)]
    assert gunicorn_lines and all("-c config/gunicorn_conf.py" in line for line in gunicorn_lines)
