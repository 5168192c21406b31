"""Canal de denuncias por presuntos actos de corrupción (D.Leg. 1327, ISO 37001 8.9).

Everything a case says (facts, identity, attachments, messages, measures' details, the
investigation's notes, referrals' references) is stored only encrypted with the case's own key
(`*_ct` fields, see whistleblowing.crypto). What stays readable is what the statistics need and
reveals nothing of the content: number, channel, category, status, dates, outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.Model):
    """The channel's set-up (one row): the receipts' salt and the escrow public key."""

    receipt_salt = models.BinaryField()
    receipt_ops = models.PositiveIntegerField()
    receipt_mem = models.PositiveBigIntegerField()
    escrow_public_key = models.BinaryField()
    escrow_fingerprint = models.CharField(max_length=16)
    escrow_created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("whistleblowing channel")

    def __str__(self) -> str:
        return f"escrow {self.escrow_fingerprint}"


class MemberKey(models.Model):
    """An integrity-function member's key pair: the private key only encrypted under a key
    derived from their password (Argon2id). `approved_at` is set when an approved member (or
    the escrow recovery) admits the key; only approved keys receive new cases."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    public_key = models.BinaryField()
    private_ct = models.BinaryField()
    kdf_salt = models.BinaryField()
    kdf_ops = models.PositiveIntegerField()
    kdf_mem = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("integrity member key")

    def __str__(self) -> str:
        return f"{self.user} {self.fingerprint}"


class Case(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Public web form")
        API = "api", _("Public API")
        DESK = "desk", _("In person / mesa de partes")
        PDUD = "pdud", _("Plataforma Digital Única de Denuncias")

    class Category(models.TextChoices):
        BRIBERY = "bribery", _("Bribery (cohecho)")
        COLLUSION = "collusion", _("Collusion in procurement")
        EMBEZZLEMENT = "embezzlement", _("Embezzlement (peculado)")
        INFLUENCE = "influence", _("Influence peddling")
        CONFLICT = "conflict", _("Undeclared conflict of interest")
        BENEFITS = "benefits", _("Misuse of the programme's transfers")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, under evaluation")
        ADMITTED = "admitted", _("Admitted")
        INVESTIGATION = "investigation", _("Under investigation")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", pgettext_lazy("denuncia", "Closed")  # denuncia cerrada

    class Outcome(models.TextChoices):
        INADMISSIBLE = "inadmissible", _("Not admitted")
        SUBSTANTIATED = "substantiated", _("Facts substantiated")
        UNSUBSTANTIATED = "unsubstantiated", _("Facts not substantiated")
        REFERRED = "referred", _("Referred to the competent body")
        BAD_FAITH = "bad_faith", _("Report in bad faith")

    number = models.CharField(_("number"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    pdud_number = models.CharField(_("PDUD number"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    with_identity = models.BooleanField(_("identity given"), default=False)
    protection_requested = models.BooleanField(_("protection requested"), default=False)
    received_at = models.DateTimeField(_("received at"))
    protection_due_at = models.DateTimeField(_("protection decision due"))
    admitted_at = models.DateTimeField(_("admissibility decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The receipt: its Argon2id hash (lookup) and the case key under a key derived from it.
    receipt_hash = models.CharField(max_length=64, unique=True)
    receipt_salt = models.BinaryField()
    receipt_ops = models.PositiveIntegerField()
    receipt_mem = models.PositiveBigIntegerField()
    receipt_key_ct = models.BinaryField()
    escrow_key_ct = models.BinaryField()
    facts_ct = models.BinaryField()
    identity_ct = models.BinaryField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("denuncia")
        verbose_name_plural = _("denuncias")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("whistleblowing:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class CaseKey(models.Model):
    """The case key sealed for one member's public key."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="keys")
    member_key = models.ForeignKey(MemberKey, on_delete=models.PROTECT, related_name="case_keys")
    sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "member_key"], name="wb_casekey_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.member_key_id}"


class Message(models.Model):
    class Author(models.TextChoices):
        FILER = "filer", _("Filer")
        OFFICER = "officer", _("Integrity Officer")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=Author.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_ct = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.pk}"


class Attachment(models.Model):
    """A file of the case: name, type, hash and content all encrypted with the case key."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    from_filer = models.BooleanField(default=True)
    meta_ct = models.BinaryField()  # JSON {name, kind, sha256, size}
    data_ct = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}/attachment {self.pk}"


class ProtectionMeasure(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Reserve of identity (código cifrado)")
        TRANSFER = "transfer", _("Temporary transfer without worse conditions")
        RENEWAL = "renewal", _("Renewal of contract or agreement")
        ACCUSED_LEAVE = "accused_leave", _("Leave or exemption of the accused")
        OTHER = "other", _("Other measure")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure"), max_length=20, choices=Kind.choices)
    granted = models.BooleanField(_("granted"))
    decided_at = models.DateTimeField(_("decided at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField(_("decided after the legal term"), default=False)
    details_ct = models.BinaryField()  # grounds (trascendencia, gravedad, verosimilitud)
    justification_ct = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.kind}"


class Step(models.Model):
    """The investigation: its plan, each step (diligencia) and its conclusion; notes encrypted."""

    class Kind(models.TextChoices):
        ADMISSIBILITY = "admissibility", _("Admissibility evaluation")
        PLAN = "plan", _("Investigation plan")
        STEP = "step", _("Investigation step")
        CONCLUSION = "conclusion", _("Conclusion")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    notes_ct = models.BinaryField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.kind}"


class Referral(models.Model):
    class Body(models.TextChoices):
        ST_PAD = "st_pad", _("Secretaría Técnica PAD")
        PROCURADURIA = "procuraduria", _("Procuraduría Pública")
        OCI = "oci", _("Órgano de Control Institucional")
        MINISTERIO_PUBLICO = "ministerio_publico", _("Ministerio Público")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCEEDING = "proceeding", _("Proceeding opened")
        SANCTION = "sanction", _("Sanction or charges")
        ARCHIVED = "archived", _("Archived")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    body = models.CharField(_("referred to"), max_length=30, choices=Body.choices)
    referred_on = models.DateField(_("referred on"))
    reference_ct = models.BinaryField()  # document number and note
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["referred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.body}"
