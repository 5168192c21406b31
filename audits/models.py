"""Audits of the SIG (ISO 19011, seed Tablas 01–03): the yearly programme, each audit with its
criteria (requirements of one or several standards), team and method (on site or remote), the
integrated checklist (one question per harmonized clause, covering every standard's twin), the
findings with configurable grades, and the audit report (PDF with verification code)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FindingGrade(models.Model):
    """A grade of finding; those with an NC grade raise a nonconformity."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # A Nonconformity.Grade value ("major", "minor") when the finding raises an NC, else "".
    nc_grade = models.CharField(_("raises a nonconformity of grade"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(pgettext_lazy("auditor", "active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("finding grade")

    def __str__(self) -> str:
        return self.name

    @property
    def raises_nc(self) -> bool:
        return bool(self.nc_grade)


class AuditProgramme(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("objectives"))
    risks = models.TextField(_("risks and opportunities of the programme"), blank=True)
    scope = models.TextField(_("scope (systems, processes, sites)"), blank=True)
    resources = models.TextField(_("resources and budget line"), blank=True)
    systems = models.ManyToManyField(
        "organization.ManagementSystem", verbose_name=_("systems"), blank=True, related_name="+"
    )
    # The products of the year's plan that the audit reports deliver; empty: found by name
    # ("Informes de auditorías", "Informe de auditoría externa…", audits.delivery).
    plan_product = models.ForeignKey(
        "plans.Product",
        verbose_name=_("plan product delivered by internal audit reports"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_plan_product = models.ForeignKey(
        "plans.Product",
        verbose_name=_("plan product delivered by external audit reports"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("audit programme")

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("audits:programme_detail", args=[self.pk])


class Audit(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External (certification body)")

    class Method(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        REMOTE = "remote", _("Remote")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("audit", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("audit", "In progress")
        COMPLETED = "completed", pgettext_lazy("audit", "Completed")

    programme = models.ForeignKey(AuditProgramme, on_delete=models.PROTECT, related_name="audits")
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTERNAL)
    certification_body = models.CharField(_("certification body"), max_length=200, blank=True)
    objectives = models.TextField(_("objectives"))
    scope = models.TextField(_("scope"), blank=True)
    processes = models.ManyToManyField("organization.Process", verbose_name=_("processes"), related_name="+")
    sites = models.ManyToManyField("organization.Site", verbose_name=_("sites"), related_name="audits")
    criteria = models.ManyToManyField("catalog.Requirement", verbose_name=_("criteria"), related_name="audits")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lead auditor"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("audit team"), related_name="audits")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.ON_SITE)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    consent_to_record = models.BooleanField(_("consent to record obtained"), default=False)
    connection_notes = models.TextField(_("connection test and incidents"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    agenda = models.TextField(_("agenda"), blank=True)
    # Opening and closing meetings (ISO 19011 §6.4.3, §6.4.10): their date, the attendance
    # (MeetingAttendee: people of the system and external attendees, present or absent) and a
    # free note of other attendees (what the free-text attendance of before became).
    opening_on = models.DateField(_("opening meeting held on"), null=True, blank=True)
    closing_on = models.DateField(_("closing meeting held on"), null=True, blank=True)
    opening_other_attendees = models.TextField(_("opening meeting: other attendees and notes"), blank=True)
    closing_other_attendees = models.TextField(_("closing meeting: other attendees and notes"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    report_pdf = models.FileField(upload_to="auditorias/%Y/", blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    report_verification_code = models.CharField(max_length=7, unique=True, null=True, blank=True)
    # The report registered in document control (every issue a version of it).
    report_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.pk])


class MeetingAttendee(models.Model):
    """Who was called to the opening or closing meeting of an audit: a person of the system or an
    external attendee (name, organisation), present or absent. A list replaced by a later record
    keeps its rows, marked removed."""

    class Meeting(models.TextChoices):
        OPENING = "opening", _("Opening meeting")
        CLOSING = "closing", _("Closing meeting")

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="attendees")
    meeting = models.CharField(_("meeting"), max_length=10, choices=Meeting.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The person's name as it was when recorded, or the external attendee's.
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation or unit"), max_length=200, blank=True)
    present = models.BooleanField(_("present"), default=True)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["audit", "meeting", "-present", "name", "pk"]
        indexes = [models.Index(fields=["audit", "meeting", "removed_at"], name="attendee_audit_meeting")]
        verbose_name = _("meeting attendee")

    def __str__(self) -> str:
        return f"{self.audit_id} {self.meeting} {self.name}"

    @property
    def is_external(self) -> bool:
        return self.person_id is None


class ChecklistQuestion(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("Not yet audited")
        CONFORM = "conform", _("Conform")
        NONCONFORM = "nonconform", _("Nonconform")
        OBSERVATION = "observation", _("Observation")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    hs_clause = models.ForeignKey(
        "catalog.HarmonizedClause", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("question"), max_length=500)
    requirements = models.ManyToManyField("catalog.Requirement", verbose_name=_("requirements"), related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.PENDING)
    notes = models.TextField(_("evidence notes"), blank=True)
    interviewee = models.CharField(_("interviewee"), max_length=200, blank=True)
    sampled_records = models.TextField(_("sampled records"), blank=True)

    class Meta:
        ordering = ["audit", "order", "pk"]
        verbose_name = _("checklist question")

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.audit_id]) + f"#q-{self.pk}"

    @property
    def audit_site_id(self) -> None:
        return None


class Finding(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", _("Awaiting the auditee")
        ACCEPTED = "accepted", _("Accepted")
        CONTESTED = "contested", _("Contested")

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    number = models.CharField(_("number"), max_length=40)
    grade = models.ForeignKey(FindingGrade, verbose_name=_("grade"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"))
    evidence = models.TextField(_("objective evidence"))
    requirements = models.ManyToManyField(
        "catalog.Requirement", verbose_name=_("requirements"), related_name="findings"
    )
    process = models.ForeignKey(
        "organization.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey("organization.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(
        ChecklistQuestion, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    nonconformity = models.OneToOneField(
        "nonconformities.Nonconformity", null=True, blank=True, on_delete=models.PROTECT, related_name="finding"
    )
    response = models.CharField(
        _("auditee response"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    response_reason = models.TextField(_("reason"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audit", "pk"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="finding_audit_number_unique")]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.number} {self.grade}"

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.audit_id]) + f"#finding-{self.pk}"

    @property
    def audit_site_id(self) -> int:
        return self.site_id


class AuditorProfile(models.Model):
    """An auditor's competence: the standards they may audit, ISO 19011 training, evidence."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="auditor_profile")
    standards = models.ManyToManyField("catalog.Standard", verbose_name=_("competent in"), blank=True, related_name="+")
    iso19011 = models.BooleanField(_("trained in ISO 19011"), default=False)
    training = models.TextField(_("training evidence"), blank=True)

    class Meta:
        verbose_name = _("auditor profile")

    def __str__(self) -> str:
        return str(self.user)


class AuditorEvaluation(models.Model):
    """The evaluation of a team member after an audit (ISO 19011 §5.6, §7.6)."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="evaluations")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField(_("evaluated on"))

    class Meta:
        ordering = ["audit", "pk"]
        constraints = [models.UniqueConstraint(fields=["audit", "auditor"], name="evaluation_audit_auditor_unique")]
        verbose_name = _("auditor evaluation")

    def __str__(self) -> str:
        return f"{self.audit.code} {self.auditor} {self.rating}"
