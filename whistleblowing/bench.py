"""Benchmark data and scenarios for the whistleblowing channel (harness: bench/__init__.py).

Issue 13 asks for "opening a case with 50 messages and 20 attachments (decryption included)". The
generator files one such case through the services, encrypted like a real one (the channel and
the demo `integridad` key come from the demo data): 20 PDF attachments of about half a megabyte
and 50 messages, alternately from the filer and the officer. The officer's scenarios log in and
unlock the key for the session (the unlock page, as a member does), so every request decrypts
the case key with the member's private key and then the case. The filer's scenario reads the
case with its receipt through the public API (X-Receipt), which costs two Argon2id derivations
by design (the look-up hash and the key that unwraps the case key).

The bench case's receipt is a constant (RECEIPT): the generator re-wraps the case key for it,
with the same functions the filing uses, so the scenario can send it."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from bench import sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement

ORDER = 95  # after the other registers; before audit (1000)
GENERATOR_VERSION = 1
MESSAGES = 50
ATTACHMENTS = 20
ATTACHMENT_BYTES = 500_000  # each (the tiny size, which the harness's own tests build, uses 20 KB)
TINY_ATTACHMENT_BYTES = 20_000
RECEIPT = "20261302000000000013"  # the bench case's receipt (bench data only)
UNLOCK = "/denuncias/casos/clave/"


def _pdf(n: int, size: int) -> bytes:
    from whistleblowing.tests.helpers import pdf_bytes

    return pdf_bytes() + b"%" + (f"adjunto {n} ".encode() * (size // 10 + 1))[:size]


def generate(ctx: GenContext) -> None:
    from accounts.models import User
    from core.files import InspectedFile
    from whistleblowing import services
    from whistleblowing.models import Case

    officer = User.objects.get(username="integridad")
    key = services.member_key_for(officer)
    if services.channel() is None or key is None or not settings.SIG_DEMO_PASSWORD:
        ctx.log("  whistleblowing: no channel or no demo key; the large case is not generated")
        return
    private = services.unlock_member_key(key, settings.SIG_DEMO_PASSWORD)
    assert private is not None

    size = TINY_ATTACHMENT_BYTES if ctx.size.name == "tiny" else ATTACHMENT_BYTES

    def inspected(n: int) -> tuple[InspectedFile, str]:
        data = _pdf(n, size)
        return InspectedFile("pdf", len(data), hashlib.sha256(data).hexdigest(), "", data), f"anexo-{n:02d}.pdf"

    half = ATTACHMENTS // 2
    filed = services.file_case(
        facts="Caso del benchmark: pagos indebidos para mantener usuarios en el padrón. " * 20,
        channel=Case.Channel.WEB,
        category=Case.Category.BRIBERY,
        identity={"name": "Denunciante de prueba", "document": "40000000"},
        attachments=[inspected(n) for n in range(half)],
    )
    case = filed.case
    found = services.open_with_receipt(filed.receipt)
    assert found is not None
    case_key = found[1]
    _rewrap_for(case, case_key, RECEIPT)
    services.filer_reply(
        case, case_key, body="Adjunto más documentos.", attachments=[inspected(n) for n in range(half, ATTACHMENTS)]
    )
    for n in range(1, MESSAGES):
        if n % 2:
            services.officer_message(case, by=officer, private_key=private, body=f"Pregunta {n} del oficial. " * 10)
        else:
            services.filer_reply(case, case_key, body=f"Respuesta {n} del denunciante. " * 10)
    assert case.messages.count() == MESSAGES and case.attachments.count() == ATTACHMENTS
    assert services.open_with_receipt(RECEIPT) is not None
    ctx.add("whistleblowing cases", 1)
    ctx.add("whistleblowing messages", MESSAGES)
    ctx.add("whistleblowing attachments", ATTACHMENTS)


def _rewrap_for(case: object, case_key: bytes, receipt: str) -> None:
    """Point the case at `receipt` (look-up hash and wrapped key), as file_case does for a new one."""
    from whistleblowing import crypto, services
    from whistleblowing.models import Case

    assert isinstance(case, Case)
    ch = services.channel()
    assert ch is not None
    lookup = crypto.receipt_hash(receipt, bytes(ch.receipt_salt), crypto.KdfParams(ch.receipt_ops, ch.receipt_mem))
    kek = crypto.derive_key(receipt, bytes(case.receipt_salt), crypto.KdfParams(case.receipt_ops, case.receipt_mem))
    Case.objects.filter(pk=case.pk).update(receipt_hash=lookup, receipt_key_ct=crypto.encrypt(kek, case_key))


def _large_case(ctx: RunContext) -> int:
    from whistleblowing.models import Case

    return Case.objects.annotate(n=Count("messages")).order_by("-n", "pk").values_list("pk", flat=True)[0]


def _case_sql(ctx: RunContext) -> list[Statement]:
    """whistleblowing.services.read_case: the case, the member's wrapped case key, messages and
    attachment metadata (the page decrypts these; not the attachments' contents)."""
    from whistleblowing.models import Attachment, Case, CaseKey, Message

    pk = _large_case(ctx)
    return [
        sql.select(Case.objects.filter(pk=pk)),
        sql.select(CaseKey.objects.filter(case_id=pk, member_key__user__username="integridad")),
        sql.select(Message.objects.filter(case_id=pk)),
        sql.select(Attachment.objects.filter(case_id=pk).defer("data_ct")),
    ]


def _attachment_sql(ctx: RunContext) -> list[Statement]:
    """whistleblowing.services.read_attachment: the member's wrapped case key and the attachment."""
    from whistleblowing.models import Attachment, CaseKey

    pk = _large_case(ctx)
    first = Attachment.objects.filter(case_id=pk).order_by("pk")
    return [
        sql.select(CaseKey.objects.filter(case_id=pk, member_key__user__username="integridad")),
        sql.select(first, 1),
    ]


def _receipt_sql(ctx: RunContext) -> list[Statement]:
    """whistleblowing.services.open_with_receipt and filer_view: the case by its receipt's hash
    (the Argon2id derivations are the view's own work) and its messages."""
    from whistleblowing.models import Case, Channel, Message

    pk = _large_case(ctx)
    lookup = Case.objects.filter(pk=pk).values_list("receipt_hash", flat=True)[0]
    return [
        sql.select(Channel.objects.all(), 1),
        sql.select(Case.objects.filter(receipt_hash=lookup), 1),
        sql.select(Message.objects.filter(case_id=pk)),
    ]


def _attachment_path(ctx: RunContext) -> str:
    from whistleblowing.models import Attachment

    pk = _large_case(ctx)
    first = Attachment.objects.filter(case_id=pk).order_by("pk").values_list("pk", flat=True).first()
    return reverse("whistleblowing:attachment", args=[pk, first or 0])  # 0: no bench data yet


SCENARIOS = [
    Scenario(
        "whistleblowing.case",
        lambda ctx: reverse("whistleblowing:case_detail", args=[_large_case(ctx)]),
        "integridad",
        sql=_case_sql,
        after_login=UNLOCK,
        note=f"{MESSAGES} messages and {ATTACHMENTS} attachments, decrypted with the key unlocked for the session",
    ),
    Scenario(
        "whistleblowing.attachment",
        _attachment_path,
        "integridad",
        sql=_attachment_sql,
        after_login=UNLOCK,
        note=f"one attachment of {ATTACHMENT_BYTES // 1000} kB, decrypted",
    ),
    Scenario(
        "api.whistleblowing.self",
        "/api/v1/public/whistleblowing/reports/self",
        None,
        auth="none",
        headers=lambda ctx: {"X-Receipt": RECEIPT},
        sql=_receipt_sql,
        note="the filer's view with the receipt: two Argon2id derivations by design (SIG_WB_MIN_MS=0 here)",
    ),
]
