"""verify-audit's tight loop (audit.chain.RowHasher, over the raw rows of the batch query) hashes
exactly what entry_hash() hashes: for rows as each backend returns them, for every timestamp form
and for values that take its generic path."""

from __future__ import annotations

import datetime
import ipaddress
from typing import Any

import pytest
from django.db import connection, transaction

from audit import chain
from audit.chain import RowHasher, canonical_stamp, entry_hash
from audit.models import AuditEvent
from audit.services import Subject, record

KEY = b"k" * 32
UTC = datetime.timezone.utc
LIMA = datetime.timezone(datetime.timedelta(hours=-5))


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2024-05-01 13:45:00", datetime.datetime(2024, 5, 1, 13, 45)),
        ("2024-05-01 13:45:00.123456", datetime.datetime(2024, 5, 1, 13, 45, 0, 123456)),
        ("2024-05-01 13:45:00.120000", datetime.datetime(2024, 5, 1, 13, 45, 0, 120000)),
        ("2024-05-01 13:45:00.12+00", datetime.datetime(2024, 5, 1, 13, 45, 0, 120000, tzinfo=UTC)),
        ("2024-05-01 13:45:00.000001+00", datetime.datetime(2024, 5, 1, 13, 45, 0, 1, tzinfo=UTC)),
        ("2024-05-01 13:45:00+00", datetime.datetime(2024, 5, 1, 13, 45, tzinfo=UTC)),
        ("2024-05-01T13:45:00+00:00", datetime.datetime(2024, 5, 1, 13, 45, tzinfo=UTC)),
        ("2024-05-01 08:45:00.5-05", datetime.datetime(2024, 5, 1, 8, 45, 0, 500000, tzinfo=LIMA)),
        ("2024-05-01 13:45:00.000000", datetime.datetime(2024, 5, 1, 13, 45)),
    ],
)
def test_a_stored_timestamp_text_reads_as_the_datetime_it_stores(text: str, moment: datetime.datetime) -> None:
    row = (1, moment, None, "", "login", "accounts.user", "", "", None, {}, None, "0" * 64)
    expected = entry_hash(KEY, row)
    assert canonical_stamp(text) == canonical_stamp(moment)
    raw = (1, text, None, "", "login", "accounts.user", "", "", None, "{}", None, "0" * 64, "h")
    assert RowHasher(KEY)(raw) == expected


def _rows() -> list[tuple[Any, ...]]:
    stamp = datetime.datetime(2025, 1, 2, 3, 4, 5, 60000)
    return [
        (
            7,
            stamp,
            3,
            "Ana Núñez",
            "update",
            "documents.document",
            "12",
            "P-001 «Política»",
            4,
            {"título": ["a", "b\u2028"], "n": [1, 2.5], "z": None, "a": {"y": True}},
            "10.1.2.3",
            "a" * 64,
        ),
        (8, stamp, None, "", "login_failed", "accounts.user", "", "nobody", None, {}, None, "b" * 64),
        (9, stamp, 1, 'quote " and \\ back', "export", "audit.auditevent", "", "x\ud800", 2, [], "::1", "c" * 64),
    ]


def test_the_tight_loop_hashes_what_entry_hash_hashes_for_raw_rows() -> None:
    import json

    hasher = RowHasher(KEY)
    for row in _rows():
        expected = entry_hash(KEY, row)
        raw = (*row[:1], str(row[1]), *row[2:9], json.dumps(row[9]), *row[10:], "stored")
        assert hasher(raw) == expected
        assert hasher(raw) == expected  # the remembered `changes` text gives the same
        # Values of other types (a datetime, decoded JSON, an address object) take the generic path.
        odd = (*row[:9], row[9], None if row[10] is None else ipaddress.ip_address(row[10]), *row[11:], "stored")
        odd = (odd[0], row[1], *odd[2:])
        assert hasher(odd) == expected


@pytest.mark.django_db
def test_rows_as_the_database_returns_them_hash_to_their_stored_hash() -> None:
    for i in range(5):
        with transaction.atomic():
            record(
                actor="test",
                action="update",
                obj=Subject("test.thing", str(i), f"cosa «{i}»"),
                changes={"título": [f"antes {i}", f"después {i}"], "n": i, "when": "2025-01-01"},
            )
    hasher = RowHasher(chain.audit_key())
    rows = list(chain.stream())
    assert len(rows) == AuditEvent.objects.count() >= 5
    assert isinstance(rows[-1][1], str), connection.vendor  # the timestamp comes as text
    for row in rows:
        assert hasher(row) == row[-1]
