"""The channel's state changes. Every function that touches content takes the key it needs
(the receipt, or the member's unlocked private key) and never stores it; every read of a case by
the integrity function is an audit entry; nothing of the content ever reaches the audit trail.
Public filings and the filer's follow-up are recorded without the client's address."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import Subject, record
from core import calendar
from core.files import InspectedFile
from core.request_context import reset_ip, set_ip
from core.services import ServiceError, lock
from whistleblowing import crypto
from whistleblowing.access import is_member, member_users
from whistleblowing.models import (
    Attachment,
    Case,
    CaseKey,
    Channel,
    MemberKey,
    Message,
    ProtectionMeasure,
    Referral,
    Step,
)

MAX_FACTS = 20_000
MAX_ATTACHMENTS = 10
FILER = "filer (receipt)"


def protection_days() -> int:
    return int(getattr(settings, "SIG_WB_PROTECTION_DAYS", 15))


@contextlib.contextmanager
def without_address() -> Iterator[None]:
    """Audit entries written inside carry no client address (the filer's side of the channel)."""
    token = set_ip(None)
    try:
        yield
    finally:
        reset_ip(token)


# --- set-up -----------------------------------------------------------------------------------


def channel() -> Channel | None:
    return Channel.objects.first()


def _fingerprint(public_key: bytes) -> str:
    return hashlib.sha256(bytes(public_key)).hexdigest()[:16]


@transaction.atomic
def setup_channel(*, rotate: bool = False, actor: Any = "system:whistleblowing_setup") -> tuple[Channel, bytes]:
    """Create the channel (receipt salt, escrow key pair) and return the escrow private key,
    which the caller prints once and forgets. `rotate` replaces the escrow key: new cases are
    sealed for the new one (old cases keep the old one, so keep the old sheet)."""
    existing = Channel.objects.select_for_update().first()
    if existing is not None and not rotate:
        raise ServiceError(_("The channel is already set up."))
    public_key, private_key = crypto.new_keypair()
    params = crypto.kdf_params()
    now = timezone.now()
    if existing is None:
        existing = Channel(receipt_salt=crypto.new_salt(), receipt_ops=params.ops, receipt_mem=params.mem)
    existing.escrow_public_key = public_key
    existing.escrow_fingerprint = _fingerprint(public_key)
    existing.escrow_created_at = now
    existing.save()
    record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if rotate else AuditEvent.Action.CREATE,
        obj=existing,
        changes={"escrow_fingerprint": existing.escrow_fingerprint},
    )
    return existing, private_key


def _require_channel() -> Channel:
    found = channel()
    if found is None:
        raise ServiceError(_("The whistleblowing channel is not set up yet (whistleblowing_setup)."))
    return found


# --- member keys ------------------------------------------------------------------------------


def member_key_for(user: Any) -> MemberKey | None:
    return MemberKey.objects.filter(user=user, retired_at__isnull=True).order_by("-pk").first()


def _recipients() -> list[MemberKey]:
    """The approved keys of the people who hold the integrity role today."""
    return list(MemberKey.objects.filter(user__in=member_users(), retired_at__isnull=True, approved_at__isnull=False))


@transaction.atomic
def create_member_key(user: Any, password: str) -> MemberKey:
    """The member's key pair, its private key encrypted under their password. The very first
    key of the function is approved at once (bootstrap); later keys wait for an approved member
    to admit them (approve_member_key), so a role granted by someone else opens no case."""
    if not is_member(user):
        raise PermissionDenied
    if not user.check_password(password):
        raise ServiceError(_("The password is not right."), field="password")
    params = crypto.kdf_params()
    salt = crypto.new_salt()
    public_key, private_key = crypto.new_keypair()
    for old in MemberKey.objects.filter(user=user, retired_at__isnull=True):
        old.retired_at = timezone.now()
        old.save(update_fields=["retired_at"])
    bootstrap = not MemberKey.objects.filter(approved_at__isnull=False, retired_at__isnull=True).exists()
    key = MemberKey.objects.create(
        user=user,
        public_key=public_key,
        private_ct=crypto.encrypt(crypto.derive_key(password, salt, params), private_key),
        kdf_salt=salt,
        kdf_ops=params.ops,
        kdf_mem=params.mem,
        fingerprint=_fingerprint(public_key),
        approved_at=timezone.now() if bootstrap else None,
    )
    record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        obj=key,
        changes={"fingerprint": key.fingerprint, "approved": bootstrap},
    )
    return key


def rewrap_member_key(user: Any, old_password: str | None, new_password: str) -> bool:
    """Re-protect the member's private key under their new password (accounts.signals.
    password_changed, inside the transaction that stores it). Without the old password (a
    password set through an e-mailed link) or when the old one no longer opens the key, the key
    stays as it was: its owner opens it with the password that protected it, or the function
    recovers it with the escrow sheet; never through the administrator. True when re-protected."""
    key = member_key_for(user)
    if key is None or old_password is None:
        return False
    private = unlock_member_key(key, old_password)
    if private is None:
        return False
    params = crypto.kdf_params()
    salt = crypto.new_salt()
    key.private_ct = crypto.encrypt(crypto.derive_key(new_password, salt, params), private)
    key.kdf_salt, key.kdf_ops, key.kdf_mem = salt, params.ops, params.mem
    key.save(update_fields=["private_ct", "kdf_salt", "kdf_ops", "kdf_mem"])
    record(actor=user, action=AuditEvent.Action.UPDATE, obj=key, changes={"private_key": "re-protected"})
    return True


def unlock_member_key(key: MemberKey, password: str) -> bytes | None:
    """The private key, or None when the password does not open it."""
    params = crypto.KdfParams(ops=key.kdf_ops, mem=key.kdf_mem)
    try:
        return crypto.decrypt(crypto.derive_key(password, bytes(key.kdf_salt), params), bytes(key.private_ct))
    except crypto.CryptoError:
        return None


def _case_key(case: Case, user: Any, private_key: bytes) -> bytes:
    """The case key through the member's own sealed copy; 404-like refusal otherwise."""
    if not is_member(user):
        raise PermissionDenied
    key = member_key_for(user)
    if key is None or crypto.public_from_private(private_key) != bytes(key.public_key):
        raise PermissionDenied(_("Unlock your key first."))
    sealed = CaseKey.objects.filter(case=case, member_key=key).values_list("sealed", flat=True).first()
    if sealed is None:
        raise PermissionDenied(_("This case has not been shared with your key yet."))
    return crypto.unseal(private_key, bytes(sealed))


def can_open(case: Case, user: Any) -> bool:
    key = member_key_for(user)
    return key is not None and CaseKey.objects.filter(case=case, member_key=key).exists()


@transaction.atomic
def approve_member_key(key: MemberKey, *, by: Any, private_key: bytes) -> int:
    """An approved member admits a colleague's key: every case they can open is sealed for it
    too. Returns the number of cases shared."""
    mine = member_key_for(by)
    if mine is None or mine.approved_at is None or mine.pk == key.pk:
        raise PermissionDenied
    if not member_users().filter(pk=key.user_id).exists() or key.retired_at is not None:
        raise ServiceError(_("That person no longer holds the integrity role."))
    shared = 0
    have = set(CaseKey.objects.filter(member_key=key).values_list("case_id", flat=True))
    for row in CaseKey.objects.filter(member_key=mine).exclude(case_id__in=have):
        case_key = crypto.unseal(private_key, bytes(row.sealed))
        CaseKey.objects.create(case_id=row.case_id, member_key=key, sealed=crypto.seal(bytes(key.public_key), case_key))
        shared += 1
    if key.approved_at is None:
        key.approved_at, key.approved_by = timezone.now(), by
        key.save(update_fields=["approved_at", "approved_by"])
    record(actor=by, action=AuditEvent.Action.UPDATE, obj=key, changes={"approved": True, "cases_shared": shared})
    return shared


@transaction.atomic
def recover_with_escrow(escrow_private_key: bytes, *, actor: str = "system:whistleblowing_recover") -> int:
    """When no approved member can open the cases (the only officer left, or lost their key):
    with the printed escrow key, every case's key is sealed for the keys of today's members,
    which are approved. Never through the administrator: only the sheet opens the escrow."""
    ch = _require_channel()
    if crypto.public_from_private(escrow_private_key) != bytes(ch.escrow_public_key):
        older = Case.objects.exists()
        if not older:
            raise ServiceError(_("That recovery sheet does not belong to this channel."))
    keys = list(MemberKey.objects.filter(user__in=member_users(), retired_at__isnull=True))
    shared = 0
    for case in Case.objects.all().only("pk", "escrow_key_ct"):
        try:
            case_key = crypto.unseal(escrow_private_key, bytes(case.escrow_key_ct))
        except crypto.CryptoError:
            continue  # sealed for another (rotated) escrow key
        have = set(CaseKey.objects.filter(case=case).values_list("member_key_id", flat=True))
        for key in keys:
            if key.pk not in have:
                CaseKey.objects.create(case=case, member_key=key, sealed=crypto.seal(bytes(key.public_key), case_key))
                shared += 1
    now = timezone.now()
    for key in keys:
        if key.approved_at is None:
            key.approved_at = now
            key.save(update_fields=["approved_at"])
    record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=Subject("whistleblowing.channel", str(ch.pk), "escrow recovery"),
        changes={"members": [k.fingerprint for k in keys], "case_keys_written": shared},
    )
    return shared


# --- filing -----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"DEN-{year}-"
    last = Case.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _attachment(case: Case, key: bytes, inspected: InspectedFile, name: str, from_filer: bool) -> Attachment:
    meta = {"name": name[:200], "kind": inspected.kind, "sha256": inspected.sha256, "size": inspected.size}
    return Attachment.objects.create(
        case=case,
        from_filer=from_filer,
        meta_ct=crypto.encrypt(key, json.dumps(meta).encode()),
        data_ct=crypto.encrypt(key, inspected.data),
    )


def _clean_identity(identity: dict[str, Any] | None) -> dict[str, str] | None:
    if not identity:
        return None
    out = {k: str(identity.get(k) or "").strip()[:300] for k in ("name", "document", "email", "phone")}
    return out if any(out.values()) else None


@dataclass
class Filed:
    case: Case
    receipt: str


def file_case(
    *,
    facts: str,
    channel: str,
    category: str = Case.Category.OTHER,
    identity: dict[str, Any] | None = None,
    attachments: list[tuple[InspectedFile, str]] | None = None,
    protection_requested: bool = False,
    pdud_number: str = "",
    by: Any = None,
    received_at: datetime.datetime | None = None,
) -> Filed:
    """A new denuncia, encrypted with its own key; the receipt is returned once and only its
    Argon2id hash is kept. `by` is the staff member registering it (desk, PDUD), else None."""
    ch = _require_channel()
    facts = (facts or "").strip()
    if not facts:
        raise ServiceError(_("Describe the facts."), field="facts")
    if len(facts) > MAX_FACTS:
        raise ServiceError(_("The facts may be at most %(n)s characters long.") % {"n": MAX_FACTS}, field="facts")
    if category not in Case.Category.values:
        raise ServiceError(_("Choose a category from the list."), field="category")
    attachments = attachments or []
    if len(attachments) > MAX_ATTACHMENTS:
        raise ServiceError(_("At most %(n)s files.") % {"n": MAX_ATTACHMENTS}, field="attachments")
    if channel == Case.Channel.PDUD and not pdud_number.strip():
        raise ServiceError(_("Give the case number on the national platform."), field="pdud_number")
    if channel in (Case.Channel.DESK, Case.Channel.PDUD):
        from whistleblowing.access import can_register_intake

        if by is None or not can_register_intake(by) or (channel == Case.Channel.PDUD and not is_member(by)):
            raise PermissionDenied
    identity_clean = _clean_identity(identity)
    lookup_params = crypto.KdfParams(ops=ch.receipt_ops, mem=ch.receipt_mem)
    params = crypto.kdf_params()
    case_key = crypto.new_key()
    receipt_salt = crypto.new_salt()
    for _attempt in range(5):
        receipt = crypto.new_receipt()
        lookup = crypto.receipt_hash(receipt, bytes(ch.receipt_salt), lookup_params)
        if not Case.objects.filter(receipt_hash=lookup).exists():
            break
    receipt_kek = crypto.derive_key(receipt, receipt_salt, params)
    now = received_at or timezone.now()
    with transaction.atomic():
        Channel.objects.select_for_update().filter(pk=ch.pk).first()
        case = Case.objects.create(
            number=_next_number(timezone.localtime(now).year),
            channel=channel,
            pdud_number=pdud_number.strip()[:40],
            category=category,
            with_identity=identity_clean is not None,
            protection_requested=protection_requested,
            received_at=now,
            protection_due_at=calendar.deadline(now, business_days=protection_days()),
            receipt_hash=lookup,
            receipt_salt=receipt_salt,
            receipt_ops=params.ops,
            receipt_mem=params.mem,
            receipt_key_ct=crypto.encrypt(receipt_kek, case_key),
            escrow_key_ct=crypto.seal(bytes(ch.escrow_public_key), case_key),
            facts_ct=crypto.encrypt_text(case_key, facts),
            identity_ct=crypto.encrypt(case_key, json.dumps(identity_clean).encode()) if identity_clean else None,
        )
        for key in _recipients():
            CaseKey.objects.create(case=case, member_key=key, sealed=crypto.seal(bytes(key.public_key), case_key))
        for inspected, name in attachments:
            _attachment(case, case_key, inspected, name, from_filer=True)
        record(
            actor=by or "filer",
            action=AuditEvent.Action.CREATE,
            obj=case,
            changes={"channel": channel, "category": category, "attachments": len(attachments)},
        )
    _notify_members(case, _("New denuncia %(number)s") % {"number": case.number})
    return Filed(case=case, receipt=receipt)


def _notify_members(case: Case, subject: str) -> None:
    """A notice without content: only that something arrived, and where."""
    from core.notifications import notify

    users = list(member_users())
    if users:
        notify(
            users,
            subject,
            _("Open the whistleblowing channel to read it (your key is needed)."),
            link=case.get_absolute_url(),
        )


# --- the filer's side -------------------------------------------------------------------------


def open_with_receipt(raw: str) -> tuple[Case, bytes] | None:
    """The case and its key for a receipt, or None. A wrong receipt costs the same Argon2id
    work as a right one that matches nothing (malformed ones included)."""
    ch = channel()
    receipt = crypto.normalise_receipt(raw)
    if ch is None:
        return None
    params = crypto.KdfParams(ops=ch.receipt_ops, mem=ch.receipt_mem)
    lookup = crypto.receipt_hash(receipt or "0" * crypto.RECEIPT_DIGITS, bytes(ch.receipt_salt), params)
    if receipt is None:
        return None
    case = Case.objects.filter(receipt_hash=lookup).first()
    if case is None:
        return None
    kek = crypto.derive_key(receipt, bytes(case.receipt_salt), crypto.KdfParams(case.receipt_ops, case.receipt_mem))
    try:
        return case, crypto.decrypt(kek, bytes(case.receipt_key_ct))
    except crypto.CryptoError:
        return None


@dataclass
class MessageView:
    author_kind: str
    author_label: str
    body: str
    created_at: datetime.datetime


@dataclass
class AttachmentView:
    pk: int
    name: str
    kind: str
    sha256: str
    size: int
    from_filer: bool
    created_at: datetime.datetime


def _messages(case: Case, key: bytes) -> list[MessageView]:
    labels = dict(Message.Author.choices)
    return [
        MessageView(m.author_kind, str(labels[m.author_kind]), crypto.decrypt_text(key, m.body_ct), m.created_at)
        for m in case.messages.all()
    ]


def filer_view(case: Case, key: bytes) -> dict[str, Any]:
    with without_address(), transaction.atomic():
        record(actor=FILER, action=AuditEvent.Action.READ, obj=case, changes={"read": "status"})
    return {"case": case, "messages": _messages(case, key)}


def filer_reply(
    case: Case, key: bytes, *, body: str, attachments: list[tuple[InspectedFile, str]] | None = None
) -> Message:
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write your message."), field="body")
    if len(body) > MAX_FACTS:
        raise ServiceError(_("The message may be at most %(n)s characters long.") % {"n": MAX_FACTS}, field="body")
    if not case.is_open:
        raise ServiceError(_("The case is closed."))
    with without_address(), transaction.atomic():
        message = Message.objects.create(
            case=case, author_kind=Message.Author.FILER, body_ct=crypto.encrypt_text(key, body)
        )
        for inspected, name in attachments or []:
            _attachment(case, key, inspected, name, from_filer=True)
        record(
            actor=FILER, action=AuditEvent.Action.CREATE, obj=message, changes={"attachments": len(attachments or [])}
        )
    _notify_members(case, _("New message on denuncia %(number)s") % {"number": case.number})
    return message


# --- the integrity function's side ------------------------------------------------------------


@dataclass
class CaseView:
    case: Case
    facts: str
    identity: dict[str, str] | None
    messages: list[MessageView]
    attachments: list[AttachmentView]
    measures: list[tuple[ProtectionMeasure, str, str]] = field(default_factory=list)
    steps: list[tuple[Step, str]] = field(default_factory=list)
    referrals: list[tuple[Referral, str]] = field(default_factory=list)


def read_case(case: Case, *, by: Any, private_key: bytes) -> CaseView:
    """Everything the case says, decrypted for a member; the read is an audit entry."""
    key = _case_key(case, by, private_key)
    identity = json.loads(crypto.decrypt(key, bytes(case.identity_ct))) if case.identity_ct else None
    attachments = []
    # The page lists the attachments' metadata: their contents (up to the upload limit each)
    # stay in the database until one is downloaded (read_attachment).
    for a in case.attachments.defer("data_ct"):
        meta = json.loads(crypto.decrypt(key, bytes(a.meta_ct)))
        attachments.append(
            AttachmentView(a.pk, meta["name"], meta["kind"], meta["sha256"], meta["size"], a.from_filer, a.created_at)
        )
    view = CaseView(
        case=case,
        facts=crypto.decrypt_text(key, case.facts_ct),
        identity=identity,
        messages=_messages(case, key),
        attachments=attachments,
        measures=[
            (m, crypto.decrypt_text(key, m.details_ct), crypto.decrypt_text(key, m.justification_ct))
            for m in case.measures.all()
        ],
        steps=[(s, crypto.decrypt_text(key, s.notes_ct)) for s in case.steps.all()],
        referrals=[(r, crypto.decrypt_text(key, r.reference_ct)) for r in case.referrals.all()],
    )
    with transaction.atomic():
        record(actor=by, action=AuditEvent.Action.READ, obj=case, changes={"read": "case"})
        Case.objects.filter(pk=case.pk).update(last_read_at=timezone.now())
    return view


def read_attachment(case: Case, pk: int, *, by: Any, private_key: bytes) -> tuple[dict[str, Any], bytes]:
    key = _case_key(case, by, private_key)
    attachment = case.attachments.filter(pk=pk).first()
    if attachment is None:
        from django.http import Http404

        raise Http404
    meta = json.loads(crypto.decrypt(key, bytes(attachment.meta_ct)))
    data = crypto.decrypt(key, bytes(attachment.data_ct))
    with transaction.atomic():
        record(actor=by, action=AuditEvent.Action.READ, obj=case, changes={"read": "attachment", "attachment": pk})
    return meta, data


def _open_case(case: Case, by: Any, private_key: bytes) -> bytes:
    key = _case_key(case, by, private_key)
    lock(case)
    return key


def officer_message(case: Case, *, by: Any, private_key: bytes, body: str) -> Message:
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write your message."), field="body")
    with transaction.atomic():
        key = _open_case(case, by, private_key)
        message = Message.objects.create(
            case=case, author_kind=Message.Author.OFFICER, author=by, body_ct=crypto.encrypt_text(key, body)
        )
        record(actor=by, action=AuditEvent.Action.CREATE, obj=message, changes={"case": case.number})
    return message


def _require_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise ServiceError(
            _("Not possible while the case is %(status)s.") % {"status": case.get_status_display().lower()}
        )


def _set_status(case: Case, by: Any, status: str, **extra: Any) -> None:
    old = case.status
    case.status = status
    for name, value in extra.items():
        setattr(case, name, value)
    case.save(update_fields=["status", *extra])
    record(
        actor=by,
        action=AuditEvent.Action.STATE,
        obj=case,
        changes={"status": [old, status], **{k: [None, v] for k, v in extra.items()}},
    )


def decide_admissibility(case: Case, *, by: Any, private_key: bytes, admit: bool, notes: str) -> Case:
    if not (notes or "").strip():
        raise ServiceError(_("Give the grounds of the decision."), field="notes")
    with transaction.atomic():
        key = _open_case(case, by, private_key)
        _require_status(case, Case.Status.RECEIVED)
        now = timezone.now()
        Step.objects.create(
            case=case,
            kind=Step.Kind.ADMISSIBILITY,
            on=timezone.localdate(),
            notes_ct=crypto.encrypt_text(key, notes),
            by=by,
        )
        if admit:
            _set_status(case, by, Case.Status.ADMITTED, admitted_at=now)
        else:
            _set_status(case, by, Case.Status.CLOSED, admitted_at=now, closed_at=now, outcome=Case.Outcome.INADMISSIBLE)
    return case


def decide_protection(
    case: Case, *, by: Any, private_key: bytes, kind: str, granted: bool, details: str, justification: str = ""
) -> ProtectionMeasure:
    """A protection measure, within the legal term (business days from filing); after it, only
    with a justification of the delay."""
    if kind not in ProtectionMeasure.Kind.values:
        raise ServiceError(_("Choose a measure from the list."), field="kind")
    if not (details or "").strip():
        raise ServiceError(_("Give the grounds (trascendencia, gravedad, verosimilitud)."), field="details")
    now = timezone.now()
    late = now > case.protection_due_at
    if late and not (justification or "").strip():
        raise ServiceError(
            _("The legal term for this decision ended on %(date)s: justify the delay.")
            % {"date": timezone.localtime(case.protection_due_at).strftime("%d/%m/%Y")},
            field="justification",
        )
    with transaction.atomic():
        key = _open_case(case, by, private_key)
        if case.status == Case.Status.CLOSED:
            raise ServiceError(_("The case is closed."))
        measure = ProtectionMeasure.objects.create(
            case=case,
            kind=kind,
            granted=granted,
            decided_at=now,
            decided_by=by,
            late=late,
            details_ct=crypto.encrypt_text(key, details),
            justification_ct=crypto.encrypt_text(key, justification) if late else None,
        )
        record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            obj=measure,
            changes={"kind": kind, "granted": granted, "late": late},
        )
    return measure


def add_step(
    case: Case,
    *,
    by: Any,
    private_key: bytes,
    kind: str,
    on: datetime.date,
    notes: str,
    evidence: list[tuple[InspectedFile, str]] | None = None,
) -> Step:
    if kind not in (Step.Kind.PLAN, Step.Kind.STEP):
        raise ServiceError(_("Choose a step from the list."), field="kind")
    if not (notes or "").strip():
        raise ServiceError(_("Describe the step."), field="notes")
    with transaction.atomic():
        key = _open_case(case, by, private_key)
        _require_status(case, Case.Status.ADMITTED, Case.Status.INVESTIGATION, Case.Status.REFERRED)
        step = Step.objects.create(case=case, kind=kind, on=on, notes_ct=crypto.encrypt_text(key, notes), by=by)
        for inspected, name in evidence or []:
            _attachment(case, key, inspected, name, from_filer=False)
        record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            obj=step,
            changes={"kind": kind, "on": on, "evidence": len(evidence or [])},
        )
        if case.status == Case.Status.ADMITTED:
            _set_status(case, by, Case.Status.INVESTIGATION)
    return step


def add_referral(
    case: Case, *, by: Any, private_key: bytes, body: str, referred_on: datetime.date, reference: str
) -> Referral:
    if body not in Referral.Body.values:
        raise ServiceError(_("Choose a body from the list."), field="body")
    with transaction.atomic():
        key = _open_case(case, by, private_key)
        _require_status(case, Case.Status.ADMITTED, Case.Status.INVESTIGATION, Case.Status.REFERRED)
        referral = Referral.objects.create(
            case=case, body=body, referred_on=referred_on, reference_ct=crypto.encrypt_text(key, reference or ""), by=by
        )
        record(
            actor=by, action=AuditEvent.Action.CREATE, obj=referral, changes={"body": body, "referred_on": referred_on}
        )
        if case.status != Case.Status.REFERRED:
            _set_status(case, by, Case.Status.REFERRED)
    return referral


def set_referral_outcome(
    referral: Referral, *, by: Any, private_key: bytes, outcome: str, on: datetime.date
) -> Referral:
    if outcome not in Referral.Outcome.values:
        raise ServiceError(_("Choose an outcome from the list."), field="outcome")
    with transaction.atomic():
        _open_case(referral.case, by, private_key)
        old = referral.outcome
        referral.outcome, referral.outcome_on = outcome, on
        referral.save(update_fields=["outcome", "outcome_on"])
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=referral, changes={"outcome": [old, outcome]})
    return referral


def close_case(case: Case, *, by: Any, private_key: bytes, outcome: str, conclusion: str) -> Case:
    if outcome not in Case.Outcome.values or outcome == Case.Outcome.INADMISSIBLE:
        raise ServiceError(_("Choose an outcome from the list."), field="outcome")
    if not (conclusion or "").strip():
        raise ServiceError(_("Write the conclusion."), field="conclusion")
    with transaction.atomic():
        key = _open_case(case, by, private_key)
        _require_status(case, Case.Status.ADMITTED, Case.Status.INVESTIGATION, Case.Status.REFERRED)
        Step.objects.create(
            case=case,
            kind=Step.Kind.CONCLUSION,
            on=timezone.localdate(),
            notes_ct=crypto.encrypt_text(key, conclusion),
            by=by,
        )
        _set_status(case, by, Case.Status.CLOSED, closed_at=timezone.now(), outcome=outcome)
    return case
