"""Rendering a page with an old template as the oracle (issue 10): rows now written in Python
must give the markup the template gave, byte for byte."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.test import override_settings

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@contextmanager
def old_templates(directory: Path, sources: dict[str, str]) -> Iterator[None]:
    """Serve `sources` (template name → source) ahead of the project's own templates."""
    for name, source in sources.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [str(directory), *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        yield


def without_csrf(content: bytes) -> bytes:
    """A page without its CSRF tokens (masked afresh on every render)."""
    return CSRF.sub(b'name="csrfmiddlewaretoken" value=""', content)
