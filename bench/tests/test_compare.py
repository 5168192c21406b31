"""The growth report: each run's figures are saved per database and size, and small is printed
next to the bigger sizes with the ratio."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from bench import compare


def row(name: str, serial: float, p95: float, sql_ms: float | None) -> SimpleNamespace:
    load = SimpleNamespace(p50=serial * 2, p95=p95, rps=10.0, not_ok=0)
    return SimpleNamespace(
        scenario=SimpleNamespace(name=name), load=load, serial=SimpleNamespace(p50=serial), sql_ms=sql_ms
    )


def test_small_and_large_are_printed_side_by_side_with_their_growth(tmp_path: Path) -> None:
    small = compare.results_path(tmp_path, "sqlite", "small")
    large = compare.results_path(tmp_path, "sqlite", "large")
    compare.save(small, "small", "sqlite", [row("docs.list", 10.0, 20.0, 1.0), row("only.small", 1.0, 1.0, None)])
    compare.save(large, "large", "sqlite", [row("docs.list", 12.0, 30.0, 2.0)])
    compare.save(large, "large", "sqlite", [row("audit.list", 5.0, 6.0, 0.5)])  # merged, not replaced
    lines = compare.report(tmp_path, "sqlite", ["small", "large"])
    text = "\n".join(lines)
    assert "growth small → large" in lines[0]
    docs = next(line for line in text.splitlines() if line.startswith("docs.list"))
    assert docs.split()[1:] == ["10.0", "12.0", "1.2×", "20.0", "30.0", "1.5×", "1.00", "2.00", "2.0×", "6.0×"]
    assert "only.small" not in text and "audit.list" not in text  # measured in one size only
    assert set(compare.load(large)["scenarios"]) == {"docs.list", "audit.list"}  # type: ignore[index]


def test_a_missing_size_is_named(tmp_path: Path) -> None:
    assert "large" in compare.report(tmp_path, "sqlite", ["small", "large"])[0]
