"""Checkpoints of the audit chain kept outside the database.

An anchor is (sequence, head hash, time): the id and hash of the last entry at that moment. It
is appended as one JSON line to settings.SIG_AUDIT_ANCHOR_FILE (opened in append mode and
synced), written to the application log (logger "sig.audit"), and, for the checkpoints of
start-up and `verify-audit`, optionally mailed to SIG_AUDIT_ANCHOR_EMAIL. A database writer who
truncates the trail, or rewrites it with the key, can no longer match the anchors that were
written before (`verify-audit` checks them all).

Anchors are written at start-up (`manage.py anchor_audit`, run by `./sig run`), by every intact
`verify-audit`, and by the job worker at most every SIG_AUDIT_ANCHOR_SECONDS while entries are
written (`schedule_anchor`, called when an entry commits). An empty SIG_AUDIT_ANCHOR_FILE turns
anchoring off (the test settings do, per test).
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from audit.chain import Checkpoint
from audit.models import GENESIS_HASH, AuditEvent

log = logging.getLogger("sig.audit")


class AnchorFileError(Exception):
    """The anchor file cannot be read or has a line that is not an anchor."""


def anchor_path() -> Path | None:
    value = str(settings.SIG_AUDIT_ANCHOR_FILE or "")
    return Path(value) if value else None


def read_anchors() -> list[Checkpoint]:
    """Every anchor in the file, oldest first (none when the file does not exist yet)."""
    path = anchor_path()
    if path is None or not path.exists():
        return []
    anchors: list[Checkpoint] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError(f"cannot read the anchor file {path}: {exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            anchors.append(Checkpoint(seq=int(data["seq"]), hash=str(data["hash"]), at=str(data.get("at", ""))))
        except (ValueError, KeyError, TypeError):
            raise AnchorFileError(f"line {number} of the anchor file {path} is not an anchor") from None
    return anchors


def anchor_map(anchors: list[Checkpoint]) -> dict[int, Checkpoint]:
    """Anchors by sequence number; two anchors of one entry must agree (else the file was forged
    or the database replaced), which the caller reports."""
    out: dict[int, Checkpoint] = {}
    for anchor in anchors:
        known = out.get(anchor.seq)
        if known is not None and known.hash != anchor.hash:
            raise AnchorFileError(f"two anchors of entry #{anchor.seq} disagree ({known.at} and {anchor.at})")
        out[anchor.seq] = anchor
    return out


def current_head() -> tuple[int, str]:
    """(id, hash) of the last entry, or (0, genesis) for an empty trail."""
    row = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


def write_anchor(source: str, head: tuple[int, str] | None = None, *, only_if_moved: bool = False) -> Checkpoint | None:
    """Append a checkpoint of `head` (default: the current last entry). With `only_if_moved`,
    nothing is written when the latest anchor already records that entry."""
    path = anchor_path()
    if path is None:
        return None
    seq, digest = head or current_head()
    if only_if_moved:
        anchors = read_anchors()
        if anchors and anchors[-1].seq == seq and anchors[-1].hash == digest:
            return None
    at = timezone.now().isoformat(timespec="seconds")
    line = json.dumps({"seq": seq, "hash": digest, "at": at, "source": source}, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    log.info("audit anchor seq=%s hash=%s at=%s source=%s", seq, digest, at, source)
    if settings.SIG_AUDIT_ANCHOR_EMAIL and source in {"startup", "verify"}:
        send_mail(
            f"[sig] audit anchor #{seq}",
            f"Checkpoint of the audit trail ({source}):\n\nsequence: {seq}\nhash: {digest}\ntime: {at}\n\n"
            "Keep this message: `./sig verify-audit` proves the trail against such checkpoints.",
            settings.DEFAULT_FROM_EMAIL,
            list(settings.SIG_AUDIT_ANCHOR_EMAIL),
            fail_silently=True,
        )
    return Checkpoint(seq=seq, hash=digest, at=at)


# --- periodic anchoring by the job worker -------------------------------------------------------

_next_due = 0.0  # per process: when the next anchoring job may be queued (time.monotonic())


def schedule_anchor() -> None:
    """Queue one anchoring job per SIG_AUDIT_ANCHOR_SECONDS per process while entries are written.
    The job runs at the end of the interval, so it anchors what the interval wrote."""
    global _next_due
    if anchor_path() is None:
        return
    now = time.monotonic()
    if now < _next_due:
        return
    interval = max(int(settings.SIG_AUDIT_ANCHOR_SECONDS), 1)
    _next_due = now + interval
    from audit.tasks import anchor_audit_head

    task = anchor_audit_head
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=interval))
    try:
        task.enqueue()
    except Exception:  # noqa: BLE001 - a queue outage must not fail the change that was audited
        log.exception("could not queue the audit anchoring job")
