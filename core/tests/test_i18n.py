"""Spanish (Peru) is the default UI language; English is opt-in through the language switcher.

The catalogue checks keep new strings from reaching users untranslated: whoever adds a msgid
runs `makemessages`, translates it and runs `compilemessages`."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]")


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # msgstr → 0; msgstr[n] → n


def parse_po(text: str) -> list[Entry]:
    """Reads the non-obsolete entries of a PO file (enough of the format for this catalogue)."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, target = Entry(), ""
        for line in block.splitlines():
            if line.startswith("#~"):
                break  # obsolete entry: not served, ignore it
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if line.startswith("#"):
                continue
            keyword, _, rest = line.partition(" ")
            if line.startswith('"'):
                keyword, rest = target, line
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[index] = entry.msgstr.get(index, "") + value
            else:
                setattr(entry, keyword, (getattr(entry, keyword) or "") + value)
            target = keyword
        else:
            entries.append(entry)
    return entries


# The project's catalogue and each area's own (<app>/locale/es/LC_MESSAGES/django.po), which an
# area keeps in its folder so that adding it touches nothing outside.
CATALOGUES = sorted({PO_PATH, *Path(settings.BASE_DIR).glob("*/locale/es/LC_MESSAGES/django.po")})


@pytest.fixture(scope="module", params=CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def po_path(request: pytest.FixtureRequest) -> Path:
    return Path(request.param)


@pytest.fixture(scope="module")
def catalogue(po_path: Path) -> list[Entry]:
    entries = parse_po(po_path.read_text(encoding="utf-8"))
    assert entries and entries[0].msgid == "", "the catalogue should start with its header"
    return entries[1:]


def _label(entry: Entry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


# -- the catalogue -------------------------------------------------------------------------------


def test_the_spanish_catalogue_has_no_untranslated_messages(catalogue):
    untranslated = [_label(e) for e in catalogue if not e.msgstr or not all(e.msgstr.values())]
    assert untranslated == [], "run makemessages and translate these msgids"


def test_the_spanish_catalogue_has_no_fuzzy_messages(catalogue):
    fuzzy = [_label(e) for e in catalogue if "fuzzy" in e.flags]
    assert fuzzy == [], "check these translations and remove their fuzzy flag"


def test_translations_keep_every_placeholder_of_their_msgid(catalogue):
    broken = []
    for e in (e for e in catalogue if "python-format" in e.flags):
        expected = set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or "")))
        if any(set(PLACEHOLDER.findall(text)) != expected for text in e.msgstr.values()):
            broken.append(_label(e))
    assert broken == []


def test_the_compiled_catalogue_matches_the_po_file(catalogue, po_path):
    with po_path.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in catalogue:
        if e.msgid_plural is not None:
            continue  # plural lookups are covered by the singular form check below
        msgid = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        if compiled._catalog.get(msgid) != e.msgstr[0]:  # type: ignore[attr-defined]
            stale.append(_label(e))
    assert stale == [], "run compilemessages"


# -- the language the pages speak ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _restore_language():
    """The middleware activates the request's language in the test thread; undo it so an
    English request here does not change the language of the tests that run next."""
    before = translation.get_language()
    yield
    translation.activate(before) if before else translation.deactivate()


def test_it_serves_spanish_by_default_even_when_the_browser_asks_for_english(client_as, cmg):
    response = client_as(cmg).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es-PE">' in html
    assert response["Content-Language"] == "es"
    for spanish in ("Organización", "Mapa de procesos", "Sistemas de gestión", "Cerrar sesión"):
        assert spanish in html
    assert "Organisation" not in html


def test_choosing_english_switches_the_page_to_english_and_remembers_it(client_as, cmg):
    client = client_as(cmg)
    dashboard = reverse("core:dashboard")
    response = client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert settings.LANGUAGE_COOKIE_NAME == "sig_language"

    html = client.get(dashboard).content.decode()
    assert '<html lang="en">' in html
    assert "Organisation" in html and "Process map" in html
    assert "Organización" not in html


def test_choosing_spanish_again_switches_back(client_as, cmg):
    client = client_as(cmg)
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("set_language"), {"language": "es"})
    html = client.get(reverse("core:dashboard")).content.decode()
    assert '<html lang="es-PE">' in html and "Organización" in html


def test_an_unknown_language_cookie_falls_back_to_spanish(client_as, cmg):
    client = client_as(cmg)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(reverse("core:dashboard")).content.decode()
    assert '<html lang="es-PE">' in html


def test_the_login_page_is_in_spanish_for_anonymous_visitors(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contraseña" in html and "Iniciar sesión" in html


# -- domain data ---------------------------------------------------------------------------------


def _m01_on_the_process_map(client) -> str:
    html = client.get(reverse("organization:process_map")).content.decode()
    match = re.search(r'<article class="proc" data-code="M01">.*?</h3>', html, re.S)
    assert match, "M01 should be on the process map"
    return match.group(0)


def test_domain_names_stay_spanish_in_the_spanish_ui(client_as, cmg):
    card = _m01_on_the_process_map(client_as(cmg))
    assert "Gestión de Operaciones" in card
    assert "Operations management" not in card


def test_domain_names_switch_to_english_where_an_english_name_exists(client_as, cmg):
    client = client_as(cmg)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    card = _m01_on_the_process_map(client)
    assert "Operations management" in card
    assert "Gestión de Operaciones" not in card


def test_every_plural_message_has_every_spanish_form(po_path: Path) -> None:
    """Spanish here has three plural forms (1, millions, the rest): a message with two falls back
    to English for "9 nonconformities"."""
    import re

    entries = parse_po(po_path.read_text(encoding="utf-8"))
    header = entries[0].msgstr.get(0, "")
    match = re.search(r"nplurals=(\d+)", header)
    assert match, "the catalogue's header declares its plural forms"
    forms = int(match.group(1))
    short = [e.msgid for e in entries[1:] if e.msgid_plural is not None and sorted(e.msgstr) != list(range(forms))]
    assert short == []


def test_a_message_reads_the_same_in_every_catalogue():
    """Django serves one translation per msgid (and context): the project's catalogue wins, then
    the apps' in INSTALLED_APPS order. An area that translates a msgid differently never sees its
    own wording, so the same words must read alike everywhere; where the Spanish depends on what
    is meant (gender: "Cerrado"/"Cerrada", or a domain word: "Puesto" of a key position), the
    code gives the message a context (pgettext) and each context has its one translation."""
    seen: dict[tuple[str | None, str, int], dict[str, str]] = {}
    for path in CATALOGUES:
        for e in parse_po(path.read_text(encoding="utf-8"))[1:]:
            for index, text in e.msgstr.items():
                if text:
                    seen.setdefault((e.msgctxt, e.msgid, index), {})[str(path.relative_to(settings.BASE_DIR))] = text
    clashes = {f"{c or ''}|{m}[{i}]": by for (c, m, i), by in seen.items() if len(set(by.values())) > 1}
    assert clashes == {}
