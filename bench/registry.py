"""Areas and scenarios. An area is a `<app>/bench.py` module (see bench/__init__.py); this module
finds them for every installed app, plus `bench.common` (health check, dashboard)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.apps import apps

from bench.context import GenContext, RunContext

# One SQL statement as the database receives it: text with %s placeholders, and its parameters.
Statement = tuple[str, Sequence[Any]]
Auth = Literal["session", "token", "none"]

COMMON_MODULE = "bench.common"


@dataclass(frozen=True)
class Scenario:
    """One page or endpoint to time.

    `persona` is the demo username the requests run as (None: anonymous); `auth` says whether
    it logs in with a session cookie (pages) or a Bearer token (API). `sql(ctx)` returns the
    statements the view's data needs (built from the app's own querysets, see bench/sql.py);
    the harness times them directly, so app time / SQL time is the app's overhead."""

    name: str
    path: str | Callable[[RunContext], str]
    persona: str | None = "cmg"
    auth: Auth = "session"
    sql: Callable[[RunContext], list[Statement]] | None = None
    note: str = ""
    # Extra request headers (e.g. the whistleblowing receipt in X-Receipt).
    headers: Callable[[RunContext], dict[str, str]] | None = None
    # A form posted once right after the session login with the persona's password (e.g. the
    # page that unlocks the whistleblowing key for the session); its cookies join the session's.
    after_login: str | None = None

    def url(self, ctx: RunContext) -> str:
        return self.path if isinstance(self.path, str) else self.path(ctx)


@dataclass(frozen=True)
class Area:
    module: str
    order: int
    version: int
    generate: Callable[[GenContext], None] | None
    scenarios: tuple[Scenario, ...]


def _load(module_name: str) -> Area:
    module = importlib.import_module(module_name)
    return Area(
        module=module_name,
        order=int(getattr(module, "ORDER", 50)),
        version=int(getattr(module, "GENERATOR_VERSION", 1)),
        generate=getattr(module, "generate", None),
        scenarios=tuple(getattr(module, "SCENARIOS", ())),
    )


def discover() -> list[Area]:
    """Every area with a bench module, in generation order (ORDER, then module name)."""
    names = [COMMON_MODULE]
    for config in apps.get_app_configs():
        if _has_submodule(config.name, "bench"):
            names.append(f"{config.name}.bench")
    return sorted((_load(n) for n in names), key=lambda a: (a.order, a.module))


def _has_submodule(package: str, name: str) -> bool:
    try:
        return importlib.util.find_spec(f"{package}.{name}") is not None
    except ModuleNotFoundError:
        return False


def all_scenarios(areas: list[Area] | None = None) -> list[Scenario]:
    out: list[Scenario] = []
    for area in areas if areas is not None else discover():
        out.extend(area.scenarios)
    return out


def select(scenarios: list[Scenario], patterns: Sequence[str]) -> list[Scenario]:
    """Scenarios whose name contains any of `patterns` (all when there is none)."""
    if not patterns:
        return list(scenarios)
    return [s for s in scenarios if any(p in s.name for p in patterns)]
