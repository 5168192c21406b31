"""Extension points: what each area contributes to the platform.

An area plugs in from its `AppConfig.ready()` by calling the `register_*` functions below
(usually through a `hooks.py` module of its own), the way Django's admin autodiscovers
`admin.py`. The platform (`core`, `accounts`, `audit`, `reports`) reads the registry and never
imports a domain app, so adding an area touches no file outside its own folder except
`config/` (installed apps, URLs, API router).

What an area can register:

- `NavItem`: an entry of the main menu, in one of `NAV_GROUPS`.
- `Panel`: a home-dashboard panel (a template partial and a function building its context).
- `RequirementPanel`: a section of a requirement's page listing the area's records that cite
  or evidence it ("which records evidence clause X of standard Y?").
- `DemoLoader`: the function loading its demo data, with its order in `load_demo`.
- `EvidenceKind`: a kind of record that may serve as evidence (who sees it, its label, its URL).
- `ActionKind`: a kind of action item in the shared tracker (`actions`), with who manages it.
- `VerifiableKind`: a kind of issued document that `/verifica/` can check (reports.IssuedDocument).
- `PendingSource`: what waits for a person in the area (workflow steps, reviews, …), read by
  "Mi trabajo pendiente" and the home panel.
- `Reminder`: a daily job (reminders before a due date, escalation after it).
- the entity provider: the organisation itself (name, logo), for headers and printed documents.

Bench scenarios need no registration: `bench/registry.py` finds each app's `bench.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise

# Menu groups, in display order. Areas add items to these; a group with no visible item is hidden.
NAV_GROUPS: list[tuple[str, Text]] = [
    ("planning", _("Planning")),
    ("documents", _("Documents")),
    ("follow_up", _("Follow-up")),
    ("organisation", _("Organisation")),
    ("admin", _("Administration")),
]


def _any_role(scope: Any) -> bool:
    return bool(scope.roles)


@dataclass(frozen=True)
class NavItem:
    key: str  # the `nav` value a page puts in its context to mark the item as current
    group: str
    label: Text
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = _any_role  # UserScope → shown?


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    build: Callable[[Any], dict[str, Any] | None]  # user → the partial's context, None to hide
    order: int = 100


@dataclass(frozen=True)
class RequirementPanel:
    """What an area shows on a requirement's page (catalog): its records that cite or evidence
    the clause or control (documents serving it, evidence, findings, risks, controls…)."""

    key: str
    template: str
    build: Callable[[Any, Any], dict[str, Any] | None]  # (user, requirement) → context, None to hide
    order: int = 100


@dataclass(frozen=True)
class DemoLoader:
    key: str
    load: Callable[[], Any]
    order: int = 100


@dataclass(frozen=True)
class EvidenceKind:
    label: str  # model label, e.g. "documents.document"
    name: Text
    visible: Callable[[Any], models.QuerySet[Any]]  # user → the records they may see
    url: Callable[[Any], str] | None = None  # defaults to the record's get_absolute_url()
    describe: Callable[[Any], str] | None = None  # defaults to str(record)


@dataclass(frozen=True)
class ActionKind:
    code: str  # stored in actions.ActionItem.kind
    label: Text
    # Central roles that keep every item of this kind besides its responsible person.
    managers: frozenset[str] = frozenset()
    # Whether closing an item needs evidence linked to it (or, failing that, a note).
    evidence_required: bool = False
    # (user, item) → (label, url) of the record the item comes from, when the user may see it.
    source: Callable[[Any, Any], tuple[str, str] | None] | None = None
    # user → the follow-up reports of this kind they may download: [(label, url)].
    reports: Callable[[Any], list[tuple[str, str]]] | None = None
    # item → None, called by actions.services in the transaction of every change of an item
    # (created, status changed): lets the source keep what it stores about its actions.
    changed: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class VerifiableKind:
    kind: str  # stored in reports.IssuedDocument.kind
    label: Text
    facts: Callable[[Any], Any]  # the issued object → reports.verification.PublicFacts


@dataclass(frozen=True)
class PendingItem:
    """One thing waiting for a person: what, where, until when, and what they must do."""

    area: Text
    label: str
    action: Text
    url: str
    due: datetime.date | None = None
    sort_key: tuple[Any, ...] = ()


@dataclass(frozen=True)
class PendingSource:
    key: str
    items: Callable[[Any], list[PendingItem]]  # user → their pending items (bounded queries)
    order: int = 100


@dataclass(frozen=True)
class Reminder:
    key: str
    run: Callable[[datetime.date], int]  # day → number of messages queued; idempotent per day
    order: int = 100


@dataclass
class _Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    panels: dict[str, Panel] = field(default_factory=dict)
    requirement_panels: dict[str, RequirementPanel] = field(default_factory=dict)
    demo: dict[str, DemoLoader] = field(default_factory=dict)
    evidence: dict[str, EvidenceKind] = field(default_factory=dict)
    actions: dict[str, ActionKind] = field(default_factory=dict)
    verifiable: dict[str, VerifiableKind] = field(default_factory=dict)
    pending: dict[str, PendingSource] = field(default_factory=dict)
    reminders: dict[str, Reminder] = field(default_factory=dict)
    entity: Callable[[], Any] | None = None


_registry = _Registry()


def _add(table: dict[str, Any], key: str, item: Any) -> None:
    if key in table and table[key] != item:
        raise ValueError(f"{key!r} is registered twice")
    table[key] = item


def register_nav(item: NavItem) -> None:
    if item.group not in dict(NAV_GROUPS):
        raise ValueError(f"unknown menu group {item.group!r}")
    _add(_registry.nav, item.key, item)


def register_panel(panel: Panel) -> None:
    _add(_registry.panels, panel.key, panel)


def register_requirement_panel(panel: RequirementPanel) -> None:
    _add(_registry.requirement_panels, panel.key, panel)


def register_demo(loader: DemoLoader) -> None:
    _add(_registry.demo, loader.key, loader)


def register_evidence(kind: EvidenceKind) -> None:
    _add(_registry.evidence, kind.label, kind)


def register_action_kind(kind: ActionKind) -> None:
    _add(_registry.actions, kind.code, kind)


def register_verifiable(kind: VerifiableKind) -> None:
    _add(_registry.verifiable, kind.kind, kind)


def register_pending(source: PendingSource) -> None:
    _add(_registry.pending, source.key, source)


def register_reminder(reminder: Reminder) -> None:
    _add(_registry.reminders, reminder.key, reminder)


def register_entity(provider: Callable[[], Any]) -> None:
    """The organisation the platform runs for (name, logo…), for page headers and printed
    documents; registered by the organisation area."""
    _registry.entity = provider


def entity() -> Any:
    return _registry.entity() if _registry.entity is not None else None


def _ordered(table: dict[str, Any]) -> list[Any]:
    return sorted(table.values(), key=lambda item: (item.order, item.key))


def nav_items() -> list[NavItem]:
    return _ordered(_registry.nav)


def panels() -> list[Panel]:
    return _ordered(_registry.panels)


def requirement_panels() -> list[RequirementPanel]:
    return _ordered(_registry.requirement_panels)


def demo_loaders() -> list[DemoLoader]:
    return _ordered(_registry.demo)


def evidence_kinds() -> dict[str, EvidenceKind]:
    return dict(_registry.evidence)


def action_kinds() -> dict[str, ActionKind]:
    return dict(_registry.actions)


def action_kind(code: str) -> ActionKind | None:
    return _registry.actions.get(code)


def verifiable_kinds() -> dict[str, VerifiableKind]:
    return dict(_registry.verifiable)


def pending_sources() -> list[PendingSource]:
    return _ordered(_registry.pending)


def reminders() -> list[Reminder]:
    return _ordered(_registry.reminders)
