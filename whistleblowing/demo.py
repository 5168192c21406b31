"""Demo denuncias, encrypted like real ones: the channel is set up (its escrow private key is
discarded, as nobody needs to recover demo cases), the demo `integridad` gets a key pair under
the demo password, and a few cases are filed and moved through their states."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from whistleblowing import services
from whistleblowing.models import Case, ProtectionMeasure, Referral, Step

CASES = [
    (
        Case.Category.BRIBERY,
        "El gestor local de la UT Cusco pidió S/ 200 a una usuaria para mantenerla en el padrón.",
        None,
        "received",
    ),
    (
        Case.Category.COLLUSION,
        "En la contratación del servicio de transporte de valores se habría favorecido a un postor.",
        {"name": "Rosa Quispe Mamani", "document": "41234567", "email": "", "phone": "984000111"},
        "referred",
    ),
    (Case.Category.INFLUENCE, "Un funcionario ofreció agilizar un trámite a cambio de un favor.", None, "closed"),
]


def load() -> dict[str, Any]:
    if services.channel() is None:
        services.setup_channel(actor="system:load_demo")
    elif Case.objects.exists():
        return {"skipped": "already loaded"}
    officer = User.objects.filter(username="integridad").first()
    private = None
    if officer is not None and settings.SIG_DEMO_PASSWORD:
        key = services.member_key_for(officer) or services.create_member_key(officer, settings.SIG_DEMO_PASSWORD)
        private = services.unlock_member_key(key, settings.SIG_DEMO_PASSWORD)
    made = 0
    for i, (category, facts, identity, state) in enumerate(CASES):
        received = timezone.now() - datetime.timedelta(days=40 - i * 15)
        filed = services.file_case(
            facts=facts,
            category=category,
            identity=identity,
            channel=Case.Channel.WEB if i != 1 else Case.Channel.PDUD,
            pdud_number="PDUD-2026-000123" if i == 1 else "",
            protection_requested=identity is not None,
            received_at=received,
            by=officer if i == 1 else None,
        )
        made += 1
        case = filed.case
        if private is None or state == "received":
            continue
        services.decide_admissibility(case, by=officer, private_key=private, admit=True, notes="Hechos verosímiles.")
        if case.protection_requested:
            services.decide_protection(
                case,
                by=officer,
                private_key=private,
                kind=ProtectionMeasure.Kind.IDENTITY,
                granted=True,
                details="Trascendencia y verosimilitud acreditadas.",
                justification="Registro de demostración.",
            )
        services.add_step(
            case,
            by=officer,
            private_key=private,
            kind=Step.Kind.PLAN,
            on=timezone.localdate(),
            notes="Plan de investigación.",
        )
        if state == "referred":
            services.add_referral(
                case,
                by=officer,
                private_key=private,
                body=Referral.Body.ST_PAD,
                referred_on=timezone.localdate(),
                reference="Memorando 015-2026-MIDIS/PNADP-OI",
            )
        if state == "closed":
            services.close_case(
                case,
                by=officer,
                private_key=private,
                outcome=Case.Outcome.UNSUBSTANTIATED,
                conclusion="No se acreditó.",
            )
    return {"cases": made}
