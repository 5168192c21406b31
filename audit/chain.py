"""The keyed hash chain of the audit trail, and its streamed verification.

Each entry's `hash` is HMAC-SHA256, under a key that lives outside the database
(settings.SIG_AUDIT_KEY), of its canonical content: its sequence number (the id), every stored
field and the previous entry's hash. Altering, inserting, moving or removing a row therefore
breaks the chain from that row on, and a database writer without the key cannot recompute it.
Removing the *tail* leaves a shorter chain that is still consistent; the anchors written outside
the database (audit.anchors) detect that.

Verification streams the table in id order in large batches of plain tuples (values_list, no
model instances) and re-hashes each row, so its cost is one HMAC per row; after an anchor it may
start from the anchored entry instead of the genesis (`verify_chain(since=anchor)`).
"""

from __future__ import annotations

import datetime
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from audit.models import GENESIS_HASH, AuditChainHead, AuditEvent

# The stored fields that are hashed, in the order of the canonical array (values_list order).
CHAIN_FIELDS = (
    "id",
    "timestamp",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "site_id",
    "changes",
    "ip_address",
    "prev_hash",
)
BATCH = 20_000
# One reusable encoder: ASCII-only (a lone surrogate cannot break the UTF-8 encoding), nested
# keys sorted, no spaces. Changing this changes every hash: it is part of the stored format.
_ENCODER = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":"), default=str)


def audit_key() -> bytes:
    return str(settings.SIG_AUDIT_KEY).encode()


def entry_hash(key: bytes, row: tuple[Any, ...]) -> str:
    """The HMAC of one entry given as a CHAIN_FIELDS tuple (id first, prev_hash last)."""
    seq, timestamp, *middle = row
    if not isinstance(timestamp, datetime.datetime):
        stamp = str(timestamp)
    elif timestamp.tzinfo is None:  # naive UTC, as SQLite stores it
        stamp = timestamp.isoformat() + "+00:00"
    else:
        stamp = timestamp.astimezone(datetime.timezone.utc).isoformat()
    payload = _ENCODER.encode([seq, stamp, *middle])
    return hmac.digest(key, payload.encode(), "sha256").hex()


def event_hash(event: AuditEvent, key: bytes | None = None) -> str:
    """The HMAC of an AuditEvent instance (its id must be set)."""
    return entry_hash(key or audit_key(), tuple(getattr(event, name) for name in CHAIN_FIELDS))


def _sql() -> str:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    # Each hashed field's column is its attname (actor_id, site_id…).
    columns = ", ".join(connection.ops.quote_name(name) for name in (*CHAIN_FIELDS, "hash"))
    return f"SELECT {columns} FROM {table} WHERE id > %s ORDER BY id LIMIT %s"  # noqa: S608 - the model's own names


def _plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A raw row as entry_hash() reads it: Django leaves JSON as text for JSONField to decode (both
    backends), and an address may come as an ipaddress object."""
    changes, ip = row[9], row[10]
    if isinstance(changes, str):
        changes = json.loads(changes)
    return (*row[:9], changes, ip if ip is None or isinstance(ip, str) else str(ip), *row[11:])


def stream(after_id: int = 0, batch: int = BATCH) -> Iterator[tuple[Any, ...]]:
    """Every entry after `after_id` as (CHAIN_FIELDS..., hash) tuples, in id order, fetched in
    batches by keyset with plain SQL: no OFFSET, no model instances, no per-field converters
    (at a million entries those cost more than the HMACs)."""
    sql, last = _sql(), after_id
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch])
            rows = cursor.fetchall()
        if not rows:
            return
        for row in rows:
            yield _plain(row)
        last = rows[-1][0]


@dataclass(frozen=True)
class Checkpoint:
    """A (sequence, hash) pair known from outside the database: an anchor."""

    seq: int
    hash: str
    at: str = ""


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    last_id: int = 0
    last_hash: str = GENESIS_HASH
    started_after: int = 0  # 0: from the genesis; else the anchored entry verification started from


def _broken(checked: int, broken_id: int | None, reason: str, start: int) -> VerifyResult:
    return VerifyResult(False, checked, broken_id, reason, started_after=start)


def verify_chain(
    anchors: Mapping[int, Checkpoint] | None = None, since: Checkpoint | None = None, batch: int = BATCH
) -> VerifyResult:
    """Walk the chain in id order and report the first entry whose HMAC or link is wrong, or an
    anchored entry that is missing or differs from its anchor.

    `anchors` maps sequence numbers to checkpoints written outside the database; `since` starts
    from one of them (only the entries after it are re-hashed, and the anchored entry itself must
    still carry the anchored hash)."""
    key = audit_key()
    anchors = dict(anchors or {})
    prev, last_id, start = GENESIS_HASH, 0, 0
    if since is not None and since.seq > 0:
        start = since.seq
        stored = AuditEvent.objects.filter(id=since.seq).values_list(*CHAIN_FIELDS, "hash").first()
        if stored is None:
            return _broken(0, since.seq, f"entry #{since.seq}, anchored at {since.at}, is missing", start)
        if stored[-1] != since.hash or entry_hash(key, stored[:-1]) != since.hash:
            return _broken(0, since.seq, f"entry #{since.seq} differs from its anchor of {since.at}", start)
        prev, last_id = since.hash, since.seq
        anchors = {seq: a for seq, a in anchors.items() if seq > since.seq}
    checked = 0
    for row in stream(last_id, batch):
        seq, stored_hash = row[0], row[-1]
        if row[-2] != prev:
            return _broken(checked, seq, "previous-hash link broken (an earlier entry was removed or altered)", start)
        if entry_hash(key, row[:-1]) != stored_hash:
            return _broken(checked, seq, "content does not match its hash (entry altered)", start)
        anchor = anchors.pop(seq, None)
        if anchor is not None and anchor.hash != stored_hash:
            return _broken(checked, seq, f"entry #{seq} differs from its anchor of {anchor.at}", start)
        prev, last_id = stored_hash, seq
        checked += 1
    beyond = [a for a in anchors.values() if a.seq > last_id]
    if beyond:
        furthest = max(beyond, key=lambda a: a.seq)
        return _broken(
            checked,
            furthest.seq,
            f"entries after #{last_id} are missing: the anchor of {furthest.at} records #{furthest.seq} "
            "(the trail was truncated)",
            start,
        )
    missing = sorted(seq for seq in anchors if seq > 0)
    if missing:
        return _broken(checked, missing[0], f"entry #{missing[0]} recorded by an anchor is missing", start)
    # The head row is the appenders' lock and a cheap tail check; the anchors are what proves
    # the tail against a writer who also moves or deletes the head.
    head = AuditChainHead.objects.filter(pk=1).values_list("last_id", flat=True).first()
    if head is not None and head > last_id:
        return _broken(checked, head, f"entries after #{last_id} are missing (the chain head expects #{head})", start)
    return VerifyResult(True, checked, last_id=last_id, last_hash=prev, started_after=start)
