"""Growth at a glance: every run saves its figures (bench-data/results/<database>-<size>.json), and
the report prints, per scenario, the `small` figures next to the bigger size's with the growth
ratio (large ÷ small; 1.0× is perfectly flat). `./sig bench --compare small large` prints the
table from the saved files without running anything."""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.report import ms, table

FIELDS = ("p50", "p95", "serial_p50", "sql_ms", "rps", "not_ok")


def results_dir(data_dir: Path) -> Path:
    return data_dir / "results"


def results_path(data_dir: Path, vendor: str, size: str) -> Path:
    return results_dir(data_dir) / f"{vendor}-{size}.json"


def row_figures(row: Any) -> dict[str, float | None]:
    """The numbers of one measured bench.runner.Row."""
    load, serial = row.load, row.serial
    return {
        "p50": load.p50 if load else None,
        "p95": load.p95 if load else None,
        "rps": load.rps if load else None,
        "not_ok": float(load.not_ok) if load else None,
        "serial_p50": serial.p50 if serial else None,
        "sql_ms": row.sql_ms,
    }


def save(path: Path, size: str, vendor: str, rows: Sequence[Any]) -> None:
    """Merge this run's scenarios into the size's file (a run of some scenarios keeps the others)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = load(path) or {"size": size, "database": vendor, "scenarios": {}}
    for row in rows:
        if row.load is not None:
            data["scenarios"][row.scenario.name] = {
                **row_figures(row),
                "at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            }
    path.write_text(json.dumps(data, indent=1, sort_keys=True))


def load(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("scenarios"), dict) else None


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not math.isnan(float(value)) else None


def growth(base: Any, other: Any) -> str:
    a, b = _num(base), _num(other)
    if a is None or b is None or a <= 0:
        return "—"
    return f"{b / a:.1f}×"


def comparison_table(base: dict[str, Any], other: dict[str, Any], order: Sequence[str] | None = None) -> str:
    """One line per scenario measured in both: 1-client p50, p95 under load and SQL p50 of each
    size, each with its growth ratio, and app/SQL of the bigger size."""
    a, b = base["size"], other["size"]
    names = [n for n in (order or sorted(base["scenarios"])) if n in base["scenarios"] and n in other["scenarios"]]
    header = [
        "scenario",
        f"1-client p50 {a}",
        b,
        "growth",
        f"p95 {a}",
        b,
        "growth",
        f"SQL {a}",
        b,
        "growth",
        f"app/SQL {b}",
    ]
    out = []
    for name in names:
        x, y = base["scenarios"][name], other["scenarios"][name]
        sql_b, serial_b = _num(y.get("sql_ms")), _num(y.get("serial_p50"))
        ratio = f"{serial_b / sql_b:.1f}×" if serial_b is not None and sql_b else "—"
        out.append(
            [
                name,
                ms(_num(x.get("serial_p50"))),
                ms(_num(y.get("serial_p50"))),
                growth(x.get("serial_p50"), y.get("serial_p50")),
                ms(_num(x.get("p95"))),
                ms(_num(y.get("p95"))),
                growth(x.get("p95"), y.get("p95")),
                ms(_num(x.get("sql_ms"))),
                ms(_num(y.get("sql_ms"))),
                growth(x.get("sql_ms"), y.get("sql_ms")),
                ratio,
            ]
        )
    return table(header, out, right=[False] + [True] * (len(header) - 1))


def report(data_dir: Path, vendor: str, sizes: Sequence[str], order: Sequence[str] | None = None) -> list[str]:
    """The side-by-side lines for the first size against each later one, from the saved files."""
    loaded = {s: load(results_path(data_dir, vendor, s)) for s in sizes}
    missing = [s for s, d in loaded.items() if d is None]
    if missing:
        return [f"no saved {vendor} results for size(s) {', '.join(missing)}: run `./sig bench --size …` first"]
    base = loaded[sizes[0]]
    assert base is not None
    lines: list[str] = []
    for size in sizes[1:]:
        other = loaded[size]
        assert other is not None
        lines += [
            f"growth {sizes[0]} → {size} ({vendor}; ms, growth = {size} ÷ {sizes[0]}, 1.0× is flat):",
            comparison_table(base, other, order),
            "",
        ]
    return lines
