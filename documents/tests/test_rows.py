"""The master list's rows are written by documents.rows (issue 10), not by a template loop: the
markup is the old template's, byte for byte, on varied rows (HTML-special characters, external
and issued-record documents, no version in force, no effective date, every review state and
status), in Spanish and English, for the central coordinator and a UT head, and when nothing
matches."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.rows import DateWriter
from core.tests.template_oracle import old_templates, without_csrf
from documents.models import Document, DocumentVersion
from documents.selectors import due_limit
from documents.tests.page_support import LIST, draft, load_types, vigente

pytestmark = pytest.mark.django_db

# documents/_document_rows.html before issue 10 (the row loop in the template).
OLD_ROWS = """{% load i18n %}<div class="actions">
  <span class="muted" data-testid="result-count">{% if page.paginator.capped %}{% blocktranslate with n=page.paginator.cap_label %}more than {{ n }} documents{% endblocktranslate %}{% else %}{% blocktranslate count n=page.paginator.count %}{{ n }} document{% plural %}{{ n }} documents{% endblocktranslate %}{% endif %}</span>
  <a class="btn small secondary" href="{% url 'documents:document_export' 'xlsx' %}{% if query %}?{{ query }}{% endif %}" data-testid="export-xlsx">{% translate "Export" %} XLSX</a>
  <a class="btn small secondary" href="{% url 'documents:document_export' 'pdf' %}{% if query %}?{{ query }}{% endif %}" data-testid="export-pdf">{% translate "Export" %} PDF</a>
</div>
<div class="table-wrap"><table>
  <caption class="sr-only">{% translate "Master list of documents" %}</caption>
  <thead><tr><th scope="col">{% translate "Code" %}</th><th scope="col">{% translate "Title" %}</th><th scope="col">{% translate "Type" %}</th><th scope="col">{% translate "Owner unit" %}</th><th scope="col">{% translate "Version in force" %}</th><th scope="col">{% translate "Status" %}</th><th scope="col">{% translate "Next review" %}</th></tr></thead>
  <tbody>
  {% for d in page %}
    <tr data-code="{{ d.code }}">
      <td><a href="{{ d.get_absolute_url }}">{{ d.code }}</a></td>
      <td>{{ d.title }}{% if d.is_external %} <span class="muted">({{ d.external_issuer }})</span>{% endif %}{% if d.origin_type_id %} <a class="muted" href="{% url 'documents:document_origin' d.pk %}" data-testid="record-origin">({% translate "issued record: see its source" %})</a>{% endif %}</td>
      <td>{{ d.document_type.name_l }}</td>
      <td>{{ d.owner_unit.code }}</td>
      <td>{% if d.current_version %}{{ d.current_version.label }} · {{ d.current_version.effective_on|date:"SHORT_DATE_FORMAT" }}{% else %}—{% endif %}</td>
      <td>{% include "documents/_status_badge.html" with status=d.status %}</td>
      <td>{% if d.current_version and d.next_review_on %}{% if d.next_review_on < today %}<span class="badge danger" data-review="overdue">{{ d.next_review_on|date:"SHORT_DATE_FORMAT" }} · {% translate "overdue" %}</span>{% elif d.next_review_on <= due_limit %}<span class="badge warn" data-review="due">{{ d.next_review_on|date:"SHORT_DATE_FORMAT" }}</span>{% else %}{{ d.next_review_on|date:"SHORT_DATE_FORMAT" }}{% endif %}{% else %}—{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="7">{% translate "No documents match." %}</td></tr>
  {% endfor %}
  </tbody>
</table></div>
{% include "_pagination.html" %}
"""

SPECIAL = "<b>\"Plan\"</b> & 'más' ñandú «»"


@pytest.fixture
def varied(cmg, uppm, direccion, ut_cusco):
    load_types()
    today = timezone.localdate()
    overdue = vigente(cmg, uppm, direccion, title=SPECIAL)
    due = vigente(cmg, uppm, direccion, title="Manual de calidad", type_code="M")
    later = vigente(cmg, uppm, direccion, title="Guía <script>alert(1)</script>", type_code="G")
    drafts = [draft(cmg, f"Borrador {n} & <x>", type_code=t) for n, t in enumerate(["P", "R", "I", "F"])]
    ut_draft = draft(ut_cusco, 'Registro de la UT "Cusco"', type_code="R", unit_code="UT-CUS")
    Document.objects.filter(pk=overdue.document_id).update(next_review_on=today - datetime.timedelta(days=1))
    Document.objects.filter(pk=due.document_id).update(
        next_review_on=due_limit(), is_external=True, external_issuer="ACME <&> \"Ltd\" 'x'"
    )
    Document.objects.filter(pk=later.document_id).update(
        next_review_on=due_limit() + datetime.timedelta(days=1),
        origin_type=ContentType.objects.get_for_model(Document),
        origin_id=1,
    )
    DocumentVersion.objects.filter(pk=later.pk).update(effective_on=None)
    # a draft with a review date but no version in force; odd statuses; an external one without issuer
    Document.objects.filter(pk=drafts[0].pk).update(next_review_on=today, status="obsolete")
    Document.objects.filter(pk=drafts[1].pk).update(status="in_review", is_external=True, external_issuer="")
    Document.objects.filter(pk=drafts[2].pk).update(status="approved", current_version=due.pk, next_review_on=today)
    Document.objects.filter(pk=drafts[3].pk).update(status="something-else")
    return {"ut": ut_draft}


def _pages(client, lang: str) -> list[bytes]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    htmx = {"HTTP_HX_REQUEST": "true"}
    return [
        client.get(LIST, **htmx).content,
        client.get(LIST, {"q": "zzzzzz-nada"}, **htmx).content,  # nothing matches
        client.get(LIST, {"review": "due"}, **htmx).content,
        without_csrf(client.get(LIST).content),
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_rows_are_the_old_templates_byte_for_byte(client_as, cmg, ut_cusco, varied, lang, tmp_path):
    for user in (cmg, ut_cusco):
        new = _pages(client_as(user), lang)
        with old_templates(tmp_path, {"documents/_document_rows.html": OLD_ROWS}):
            old = _pages(client_as(user), lang)
        assert new == old
        assert b"<tr data-code" in new[0] and b'colspan="7"' in new[1]
    assert b"&lt;script&gt;" in new[0] and b"<script>alert" not in new[0]


def test_the_date_writer_is_djangos_date_filter():
    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    days = [datetime.date(2024, 3, 1), datetime.date(1, 1, 1), datetime.date(999, 12, 31), datetime.date(9999, 12, 31)]
    moments = [
        timezone.make_aware(datetime.datetime(2024, 3, 1, 2, 30), datetime.timezone.utc),  # the day before in Lima
        timezone.make_aware(datetime.datetime(2024, 3, 1, 23, 59, 59), datetime.timezone.utc),
    ]
    for lang in ("es", "en"):
        with translation.override(lang):
            write = DateWriter()
            assert write.fast
            for value in [*days, *moments]:
                assert write(value) == date_filter(timezone.template_localtime(value), "SHORT_DATE_FORMAT")
            assert write(None) == "" == date_filter(None, "SHORT_DATE_FORMAT")
            with_time = DateWriter("SHORT_DATETIME_FORMAT")
            assert with_time.fast and with_time.with_time
            for value in [*moments, datetime.datetime(2024, 12, 31, 23, 59), datetime.datetime(5, 1, 2, 0, 0)]:
                want = date_filter(timezone.template_localtime(value), "SHORT_DATETIME_FORMAT")
                assert with_time(value) == want
