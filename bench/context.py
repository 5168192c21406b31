"""What generators and scenarios receive: the dataset being built, and the run being measured."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User
    from organization.models import Site


@dataclass(frozen=True)
class Size:
    """How big the synthetic dataset is. Every record type grows with years × sites."""

    name: str
    years: int
    units_per_site: int
    people_per_site: int
    audit_events: int


SIZES: dict[str, Size] = {
    s.name: s
    for s in [
        Size("tiny", years=1, units_per_site=1, people_per_site=3, audit_events=400),
        Size("small", years=3, units_per_site=4, people_per_site=25, audit_events=50_000),
        Size("medium", years=5, units_per_site=6, people_per_site=80, audit_events=500_000),
        Size("large", years=10, units_per_site=8, people_per_site=200, audit_events=2_000_000),
    ]
}


@dataclass
class GenContext:
    """Handed to every area's `generate(ctx)`, in ORDER. Areas leave the ids they create here
    (per site) so that later areas can point at them."""

    size: Size
    sites: list[Site]
    now: datetime.datetime
    rng: random.Random
    log: Callable[[str], None] = lambda message: None
    units_by_site: dict[int, list[int]] = field(default_factory=dict)
    people_by_site: dict[int, list[int]] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> datetime.datetime:
        """Beginning of the period the synthetic history covers (`size.years` back from now)."""
        return self.now - datetime.timedelta(days=365 * self.size.years)

    @property
    def years(self) -> list[int]:
        """Calendar years covered, oldest first (one per `size.years`)."""
        last = self.now.year
        return list(range(last - self.size.years + 1, last + 1))

    @property
    def central_site(self) -> Site:
        return next(s for s in self.sites if s.is_central)

    def add(self, label: str, n: int) -> None:
        self.created[label] = self.created.get(label, 0) + n


def new_gen_context(size: Size, *, log: Callable[[str], None] = lambda message: None) -> GenContext:
    from organization.models import Site

    return GenContext(
        size=size,
        sites=list(Site.objects.filter(is_active=True).order_by("order", "code")),
        now=timezone.now().replace(microsecond=0),
        rng=random.Random(f"sig-bench-{size.name}"),  # deterministic: same size, same data
        log=log,
    )


class RunContext:
    """Handed to scenario `path(ctx)` and `sql(ctx)` callables while measuring."""

    def __init__(self, now: datetime.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self._users: dict[str, User] = {}

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    def user(self, username: str) -> User:
        """The persona's User, with its role scope already read (so SQL timing excludes it)."""
        from accounts.models import User
        from core.access import get_scope

        if username not in self._users:
            user = User.objects.get(username=username)
            get_scope(user)
            self._users[username] = user
        return self._users[username]
