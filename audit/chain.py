"""The keyed hash chain of the audit trail, and its streamed verification.

Each entry's `hash` is HMAC-SHA256, under a key that lives outside the database
(settings.SIG_AUDIT_KEY), of its canonical content: its sequence number (the id), every stored
field and the previous entry's hash. Altering, inserting, moving or removing a row therefore
breaks the chain from that row on, and a database writer without the key cannot recompute it.
Removing the *tail* leaves a shorter chain that is still consistent; the anchors written outside
the database (audit.anchors) detect that.

Verification streams the table in id order in large batches of plain tuples (values_list, no
model instances) and re-hashes each row, so its cost is one HMAC per row; after an anchor it may
start from the anchored entry instead of the genesis (`verify_chain(since=anchor)`). From
PARALLEL_MIN entries on, the HMACs are computed by one process per core over consecutive id
ranges while the links and anchors are still checked in one ordered walk.
"""

from __future__ import annotations

import datetime
import hmac
import json
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils.dateparse import parse_datetime

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
PARALLEL_MIN = 200_000  # entries from which verification hashes in several processes
MAX_WORKERS = 8
INT64_MAX = 2**63 - 1
# One reusable encoder: ASCII-only (a lone surrogate cannot break the UTF-8 encoding), nested
# keys sorted, no spaces. Changing this changes every hash: it is part of the stored format.
_ENCODER = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":"), default=str)
_escape = json.encoder.encode_basestring_ascii  # what _ENCODER writes for a str


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


def _sql(fields: tuple[str, ...] = (*CHAIN_FIELDS, "hash")) -> str:
    """The batch query. The timestamp comes as text (no datetime object per row: row_hash reads
    the text) and the JSON as the stored text, on both backends."""
    qn = connection.ops.quote_name
    table = qn(AuditEvent._meta.db_table)
    # Each hashed field's column is its attname (actor_id, site_id…).
    columns = ", ".join(
        (f"CAST({qn(name)} AS TEXT)" if connection.vendor == "sqlite" else f"{qn(name)}::text")
        if name == "timestamp"
        else qn(name)
        for name in fields
    )
    return f"SELECT {columns} FROM {table} WHERE id > %s AND id <= %s ORDER BY id LIMIT %s"  # noqa: S608 - the model's own names


# A stored timestamp as text in UTC: SQLite's "2024-05-01 13:45:00.120000" (Django writes str() of
# a naive UTC datetime) or PostgreSQL's "2024-05-01 13:45:00.12+00" (its session time zone is UTC).
_UTC_TEXT = re.compile(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00(?::?00)?)?")
_ZERO_FRACTION = frozenset({"", "0", "00", "000", "0000", "00000", "000000"})


def canonical_stamp(value: Any) -> str:
    """The timestamp as the canonical array holds it: datetime.isoformat() in UTC, a naive value
    being UTC (as SQLite stores it). Text in one of the stored forms is rewritten without parsing
    it into a datetime (what a million entries would cost); anything else is parsed."""
    if isinstance(value, str):
        match = _UTC_TEXT.fullmatch(value)
        if match is not None:
            day, clock, fraction = match.groups()
            if fraction is None or fraction in _ZERO_FRACTION:
                return f"{day}T{clock}+00:00"  # isoformat() leaves out zero microseconds
            return f"{day}T{clock}.{fraction.ljust(6, '0')}+00:00"
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        value = parsed
    if not isinstance(value, datetime.datetime):
        return str(value)
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    return value.astimezone(datetime.timezone.utc).isoformat()


def _plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A raw row as entry_hash() reads it: Django leaves JSON as text for JSONField to decode (both
    backends), and an address may come as an ipaddress object."""
    changes, ip = row[9], row[10]
    if isinstance(changes, str):
        changes = json.loads(changes)
    return (*row[:9], changes, ip if ip is None or isinstance(ip, str) else str(ip), *row[11:])


class RowHasher:
    """entry_hash() of raw (CHAIN_FIELDS..., hash) rows as the batch query returns them, in a tight
    loop: the canonical array is written with the JSON encoder's own C string escaping instead of
    a generic encode() of a 12-item list, the timestamp text is rewritten without a datetime, and
    the canonical form of a (short) `changes` text is remembered, as most entries repeat a few
    (`{}` for every login). A row with any other type than these columns hold takes the generic
    path, entry_hash(), so the result is always the same bytes (tested against it)."""

    CACHE_MAX = 20_000
    CACHE_TEXT_MAX = 256

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.changes: dict[str, str] = {}

    def __call__(self, row: tuple[Any, ...]) -> str:
        seq, stamp, actor, label, action, otype, oid, orepr, site, changes, ip, prev = row[:12]
        if not (
            type(seq) is int
            and type(stamp) is str
            and (actor is None or type(actor) is int)
            and type(label) is str
            and type(action) is str
            and type(otype) is str
            and type(oid) is str
            and type(orepr) is str
            and (site is None or type(site) is int)
            and type(changes) is str
            and (ip is None or type(ip) is str)
            and type(prev) is str
        ):
            return entry_hash(self.key, _plain(row)[:12])
        canon = self.changes.get(changes)
        if canon is None:
            canon = _ENCODER.encode(json.loads(changes))
            if len(changes) <= self.CACHE_TEXT_MAX and len(self.changes) < self.CACHE_MAX:
                self.changes[changes] = canon
        esc = _escape
        payload = (
            f"[{seq},{esc(canonical_stamp(stamp))},{'null' if actor is None else actor},{esc(label)},"
            f"{esc(action)},{esc(otype)},{esc(oid)},{esc(orepr)},{'null' if site is None else site},{canon},"
            f"{'null' if ip is None else esc(ip)},{esc(prev)}]"
        )
        return hmac.digest(self.key, payload.encode(), "sha256").hex()


def _batches(sql: str, after_id: int, until: int, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    last = after_id
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, until, batch])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def stream(after_id: int = 0, batch: int = BATCH, until: int = INT64_MAX) -> Iterator[tuple[Any, ...]]:
    """Every entry after `after_id` (up to `until`) as (CHAIN_FIELDS..., hash) tuples, in id
    order, fetched in batches by keyset with plain SQL: no OFFSET, no model instances, no
    per-field converters (at a million entries those cost more than the HMACs). Rows come as the
    database returns them (timestamp and JSON as text): RowHasher reads them."""
    for rows in _batches(_sql(), after_id, until, batch):
        yield from rows


@dataclass
class Walk:
    """What a walk over consecutive entries found: its first entry's id and link, its last
    entry's id and hash, how many it verified, and the first broken entry (id, reason, entries
    verified before it) if any. Picklable: worker processes return it."""

    first_id: int = 0
    first_prev: str = ""
    last_id: int = 0
    last_hash: str = ""
    count: int = 0
    broken: tuple[int, str, int] | None = None
    anchored: list[int] = field(default_factory=list)


def walk(rows: Iterable[tuple[Any, ...]], key: bytes, anchors: Mapping[int, Checkpoint], prev: str | None) -> Walk:
    """Check links, HMACs and anchors of consecutive entries, in id order, up to the first broken
    one. `prev`: the hash the first entry must link to (None: a worker's range, whose first link
    the caller checks against the previous range's last hash)."""
    out = Walk()
    row_hash = RowHasher(key)
    for row in rows:
        seq, stored_hash = row[0], row[-1]
        if out.count == 0:
            out.first_id, out.first_prev = seq, row[-2]
            if prev is None:
                prev = row[-2]
        if row[-2] != prev:
            out.broken = (seq, "previous-hash link broken (an earlier entry was removed or altered)", out.count)
            return out
        if row_hash(row) != stored_hash:
            out.broken = (seq, "content does not match its hash (entry altered)", out.count)
            return out
        anchor = anchors.get(seq)
        if anchor is not None:
            if anchor.hash != stored_hash:
                out.broken = (seq, f"entry #{seq} differs from its anchor of {anchor.at}", out.count)
                return out
            out.anchored.append(seq)
        prev, out.last_id, out.last_hash = stored_hash, seq, stored_hash
        out.count += 1
    return out


def _walk_range(job: tuple[int, int, int, dict[int, Checkpoint]]) -> Walk:
    after_id, until, batch, anchors = job
    return walk(stream(after_id, batch, until), audit_key(), anchors, None)


def walk_in_parallel(
    after_id: int, anchors: Mapping[int, Checkpoint], workers: int, batch: int = BATCH
) -> tuple[list[Walk], int]:
    """Walks over consecutive id ranges after `after_id`, by `workers` processes (1: in this
    process): an entry's HMAC depends on that entry only, so ranges verify independently and the
    caller checks the links where they meet. Returns the walks in id order and the last id they
    cover (entries written meanwhile are the caller's)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(AuditEvent._meta.db_table)}")  # noqa: S608
        top = int(cursor.fetchone()[0] or 0)
    if top <= after_id:
        return [], after_id
    step = max(batch, -(-(top - after_id) // (workers * 4)))
    jobs = [
        (lo, min(lo + step, top), batch, {seq: a for seq, a in anchors.items() if lo < seq <= min(lo + step, top)})
        for lo in range(after_id, top, step)
    ]
    if workers <= 1:
        return [_walk_range(job) for job in jobs], top
    # Children open their own connections: close ours first (never share one across a fork).
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_walk_range, jobs)), top


def parallel_workers(entries_hint: int) -> int:
    """Processes worth starting for a verification of about `entries_hint` entries: none (0) for
    a small trail, an in-memory database (tests) or inside a transaction."""
    if entries_hint < PARALLEL_MIN or connection.in_atomic_block:
        return 0
    if connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", lambda: True)():
        return 0
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


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


def _entries_after(last_id: int) -> int:
    """About how many entries follow `last_id` (ids are dense: the head's id minus it)."""
    head = AuditChainHead.objects.filter(pk=1).values_list("last_id", flat=True).first()
    return max(0, int(head or 0) - last_id)


def verify_chain(
    anchors: Mapping[int, Checkpoint] | None = None,
    since: Checkpoint | None = None,
    batch: int = BATCH,
    workers: int | None = None,
) -> VerifyResult:
    """Walk the chain in id order and report the first entry whose HMAC or link is wrong, or an
    anchored entry that is missing or differs from its anchor.

    `anchors` maps sequence numbers to checkpoints written outside the database; `since` starts
    from one of them (only the entries after it are re-hashed, and the anchored entry itself must
    still carry the anchored hash). `workers`: processes that compute the HMACs (None: as many
    as the machine's cores, up to MAX_WORKERS, for a trail of PARALLEL_MIN entries or more; 0: in
    this process, in the walk; 1: in this process, before the walk, as the parallel path does)."""
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
    if workers is None:
        workers = parallel_workers(_entries_after(last_id))
    if workers:
        # Ranges verified by worker processes, stitched here: the same first broken entry, with
        # the same reason, as the one walk below would report.
        walks, _hashed = walk_in_parallel(last_id, anchors, workers, batch)
        for part in walks:
            if part.count == 0 and part.broken is None:
                continue
            if part.first_prev != prev:
                reason = "previous-hash link broken (an earlier entry was removed or altered)"
                return _broken(checked, part.first_id, reason, start)
            if part.broken is not None:
                seq, reason, before = part.broken
                return _broken(checked + before, seq, reason, start)
            for seq in part.anchored:
                anchors.pop(seq, None)
            prev, last_id, checked = part.last_hash, part.last_id, checked + part.count
    rest = walk(stream(last_id, batch), key, anchors, prev)  # all of it, or what was written meanwhile
    if rest.broken is not None:
        seq, reason, before = rest.broken
        return _broken(checked + before, seq, reason, start)
    for seq in rest.anchored:
        anchors.pop(seq, None)
    if rest.count:
        prev, last_id, checked = rest.last_hash, rest.last_id, checked + rest.count
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
