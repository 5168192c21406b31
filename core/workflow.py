"""Workflows declared once, as transition tables.

Each area declares its workflow as a `Workflow` of `Transition`s: the action's name, the states
it starts from, the state it leads to, its button label, who may take it and the guards that
must hold. The same table is read by

- the service, which calls `workflow.check(user, obj, action)` before changing anything
  (403 for a person who may not, a `ServiceError` naming why for a state or a guard);
- the page, which offers the buttons of `workflow.offered(user, obj)`;
- the API, which exposes the same actions and refuses through the same service;
- "what waits for me", through `workflow.waiting_states(user)` and the `next_actor` texts.

Who may take a transition is either a set of roles (held centrally, or at the record's site when
`site_of` is given; read-only roles never) or a predicate `may(user, obj)` for rules that are
data themselves (document types carry their own workflow rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.access import get_scope
from core.services import ServiceError

Text = str | Promise
# (user, obj) → why the action is refused now (a message, or a ServiceError naming the field), or None
Guard = Callable[[Any, Any], "str | ServiceError | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str  # "" when the service decides (e.g. review → endorsement or approval)
    label: Text
    roles: frozenset[str] = frozenset()
    may: Callable[[Any, Any], bool] | None = None
    guards: tuple[Guard, ...] = ()
    # Guards that also hide the button while they fail (e.g. "you drafted this version").
    hides: tuple[Guard, ...] = ()
    style: str = "primary"  # "primary", "secondary" or "danger" (button style)
    # Who acts once this transition is taken (for the page's "sent to …" message and the inbox).
    next_actor: Text = ""
    # The people who may take this transition on a given record (whom to tell it waits for
    # them); by default the holders of `roles` (centrally, or at the record's site).
    actors: Callable[[Any], Iterable[Any]] | None = None


@dataclass(frozen=True)
class Workflow:
    key: str
    transitions: tuple[Transition, ...]
    state_attr: str = "status"
    # The site whose roles count for role-based transitions; None: central roles only.
    site_of: Callable[[Any], int | None] | None = None
    labels: dict[str, Text] = field(default_factory=dict)  # state → label, for messages

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.key}: duplicate transition names")

    # --- reading the table -------------------------------------------------------------------

    def get(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def transition(self, name: str) -> Transition:
        """The transition called `name` (a programming error when the table has none)."""
        t = self.get(name)
        if t is None:
            raise KeyError(f"{self.key}: no transition {name!r}")
        return t

    def state(self, obj: Any) -> str:
        return str(getattr(obj, self.state_attr))

    def allows(self, user: Any, obj: Any, t: Transition) -> bool:
        if t.may is not None:
            return t.may(user, obj)
        scope = get_scope(user)
        site = self.site_of(obj) if self.site_of is not None else None
        held = set(scope.central_roles)
        if site is not None:
            held |= scope.site_roles.get(site, frozenset())
        from accounts.roles import Role

        return any(r in t.roles and Role(r).can_write for r in held)

    def may(self, user: Any, obj: Any, name: str) -> bool:
        t = self.get(name)
        return t is not None and self.state(obj) in t.sources and self.allows(user, obj, t)

    def offered(self, user: Any, obj: Any) -> list[Transition]:
        """The actions this person may take on `obj` in its current state (the page's buttons)."""
        state = self.state(obj)
        return [
            t
            for t in self.transitions
            if state in t.sources and self.allows(user, obj, t) and not any(h(user, obj) for h in t.hides)
        ]

    def actors(self, obj: Any, t: Transition) -> list[Any]:
        """The people who may take `t` on `obj` (active, with the role today)."""
        if t.actors is not None:
            return list(t.actors(obj))
        if not t.roles:
            return []
        from accounts.roles import Role
        from accounts.selectors import holders

        roles = [r for r in t.roles if Role(r).can_write]
        site = self.site_of(obj) if self.site_of is not None else None
        return list(holders(roles, site).select_related("unit").order_by("last_name", "first_name", "pk"))

    def next_actors(self, obj: Any) -> list[Any] | None:
        """Who must act next on `obj` in its current state: the people of its primary
        transitions, once each; None when no step waits on anyone (a final state)."""
        state = self.state(obj)
        waiting = [t for t in self.transitions if state in t.sources and t.style == "primary"]
        if not waiting:
            return None
        people: dict[int, Any] = {}
        for t in waiting:
            for person in self.actors(obj, t):
                if not any(h(person, obj) for h in t.hides):
                    people.setdefault(person.pk, person)
        return list(people.values())

    def waiting_states(self, user: Any) -> set[str]:
        """States in which some role-based transition is the user's to take (central roles: in
        every site; for records of their own site, `waiting_sites`)."""
        scope = get_scope(user)
        out: set[str] = set()
        for t in self.transitions:
            if t.may is None and t.roles & scope.roles:
                out |= t.sources
        return out

    # --- enforcing it ----------------------------------------------------------------------------

    def check(self, user: Any, obj: Any, name: str) -> Transition:
        """The transition `name` if `user` may take it on `obj` now: PermissionDenied for someone
        who may not, ServiceError for a state that does not allow it or a failing guard."""
        t = self.get(name)
        if t is None:
            raise ServiceError(_("Unknown action."))
        if not self.allows(user, obj, t):
            raise PermissionDenied
        state = self.state(obj)
        if state not in t.sources:
            label = self.labels.get(state) or _display(obj, self.state_attr) or state
            raise ServiceError(_("This action is not possible now: the record is %(s)s.") % {"s": label})
        for guard in (*t.hides, *t.guards):
            reason = guard(user, obj)
            if isinstance(reason, ServiceError):
                raise reason
            if reason:
                raise ServiceError(reason)
        return t


def _display(obj: Any, attr: str) -> str:
    getter = getattr(obj, f"get_{attr}_display", None)
    return str(getter()) if callable(getter) else ""


def states(*values: Iterable[str] | str) -> frozenset[str]:
    out: set[str] = set()
    for v in values:
        out |= {v} if isinstance(v, str) else set(v)
    return frozenset(str(s) for s in out)
