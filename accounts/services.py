"""State changes on people, roles, tokens and logins. Each owns its transaction and audit entry."""

from __future__ import annotations

import datetime
import math
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.access import AccountAuthority, account_authority
from accounts.models import ApiToken, LoginFailure, RoleAssignment, User
from accounts.signals import password_changed
from audit.models import AuditEvent
from audit.services import Subject, diff, record, snapshot
from core.access import forget_scope
from core.notifications import notify
from core.services import ServiceError

__all__ = ["ServiceError"]

ASSIGNMENT_FIELDS = ["user", "role", "unit", "site", "valid_from", "valid_until", "note"]


# --- login throttling -------------------------------------------------------------------
#
# Failures are counted per (username, address) pair: after SIG_LOGIN_MAX_FAILURES of them within
# SIG_LOGIN_WINDOW_SECONDS the pair waits SIG_LOGIN_BACKOFF_SECONDS, doubling with each further
# failure (capped at the window). Nobody can lock an account out from another address. An address
# that fails SIG_LOGIN_MAX_FAILURES × 4 times (password spraying) is refused only for the names
# that have not logged in successfully from it in the last KNOWN_ADDRESS_DAYS days, so the people
# of an office behind one proxy keep their access. Each lock is an entry of the audit trail.

KNOWN_ADDRESS_DAYS = 30
ADDRESS_FACTOR = 4


def normalize_username(raw: str) -> str:
    """The username as typed, made comparable: NFKC, without spaces or invisible characters.
    Used once, before throttling and authentication."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C")[:150]


def login_key(username: str) -> str:
    """The throttling key of a (normalised) username: case variants share it."""
    return normalize_username(username).casefold()


@dataclass(frozen=True)
class Throttle:
    blocked: bool
    retry_after: int = 0  # seconds


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.SIG_LOGIN_WINDOW_SECONDS)


def _backoff(failures: int) -> int:
    """Seconds a pair waits after its latest failure (0 below the threshold)."""
    over = failures - settings.SIG_LOGIN_MAX_FAILURES
    if over < 0:
        return 0
    return int(min(settings.SIG_LOGIN_BACKOFF_SECONDS * 2 ** min(over, 30), settings.SIG_LOGIN_WINDOW_SECONDS))


def _known_address(key: str, ip: str) -> bool:
    """Did this user log in successfully from this address lately? (the audit trail's logins)"""
    user_id = User.objects.filter(username__iexact=key).values_list("pk", flat=True).first()
    if user_id is None:
        return False
    since = timezone.now() - datetime.timedelta(days=KNOWN_ADDRESS_DAYS)
    return AuditEvent.objects.filter(
        object_type="accounts.user",
        object_id=str(user_id),
        action=AuditEvent.Action.LOGIN,
        ip_address=ip,
        timestamp__gte=since,
    ).exists()


def login_throttle(username: str, ip: str | None) -> Throttle:
    """May `username` try to log in from `ip` now?"""
    key, now, since = login_key(username), timezone.now(), _window_start()
    pair = LoginFailure.objects.filter(username=key, ip_address=ip, at__gte=since).aggregate(
        n=Count("pk"), last=Max("at")
    )
    wait = _backoff(pair["n"])
    if wait and pair["last"] is not None:
        until = pair["last"] + datetime.timedelta(seconds=wait)
        if until > now:
            return Throttle(True, math.ceil((until - now).total_seconds()))
    if ip:
        limit = settings.SIG_LOGIN_MAX_FAILURES * ADDRESS_FACTOR
        recent = LoginFailure.objects.filter(ip_address=ip, at__gte=since).order_by("-at")
        times = list(recent.values_list("at", flat=True)[:limit])
        if len(times) >= limit and not _known_address(key, ip):
            until = times[-1] + datetime.timedelta(seconds=settings.SIG_LOGIN_WINDOW_SECONDS)
            return Throttle(True, max(1, math.ceil((until - now).total_seconds())))
    return Throttle(False)


@transaction.atomic
def register_login_failure(username: str, ip: str | None) -> None:
    key = login_key(username)
    LoginFailure.objects.create(username=key, ip_address=ip)
    record(actor=key, action=AuditEvent.Action.LOGIN_FAILED, obj=Subject("accounts.user", "", key))
    since = _window_start()
    failures = LoginFailure.objects.filter(username=key, ip_address=ip, at__gte=since).count()
    wait = _backoff(failures)
    if wait:
        record(
            actor=key,
            action=AuditEvent.Action.LOGIN_LOCKED,
            obj=Subject("accounts.user", "", key),
            changes={"scope": "username+address", "failures": failures, "seconds": wait},
        )
    limit = settings.SIG_LOGIN_MAX_FAILURES * ADDRESS_FACTOR
    if ip and LoginFailure.objects.filter(ip_address=ip, at__gte=since).count() == limit:
        record(
            actor=key,
            action=AuditEvent.Action.LOGIN_LOCKED,
            obj=Subject("accounts.user", "", key),
            changes={"scope": "address", "failures": limit, "seconds": settings.SIG_LOGIN_WINDOW_SECONDS},
        )


def clear_login_failures(username: str, ip: str | None) -> None:
    """A successful login forgets the failures of that pair only."""
    LoginFailure.objects.filter(username=login_key(username), ip_address=ip).delete()


# --- authority over accounts (accounts.access.AccountAuthority) ----------------------------


def _authority(by: Any) -> AccountAuthority:
    authority = account_authority(by) if getattr(by, "is_authenticated", False) else AccountAuthority()
    if not authority.central and not authority.site_ids:
        raise PermissionDenied(_("Only an administrator manages accounts."))
    return authority


def _require_manages(by: Any, person: User) -> AccountAuthority:
    authority = _authority(by)
    if not authority.manages_person(person):
        raise PermissionDenied(_("You manage only the people of your own unit."))
    return authority


def _require_site(authority: AccountAuthority, site: Any) -> None:
    if not authority.manages_site(site):
        raise PermissionDenied(_("Only a central administrator manages people of the Sede Central or of another UT."))


def _require_grant(by: Any, person: User, role: str, site: Any) -> None:
    """Refuse unless `by` may grant (or revoke) `role` at `site` to `person`: never to oneself;
    a UT administrator only for the people of their UT, at their UT, and not the roles reserved
    to central administrators."""
    if getattr(by, "pk", None) == person.pk:
        raise PermissionDenied(_("Nobody assigns or revokes their own roles."))
    authority = _require_manages(by, person)
    if not authority.may_grant(role, site):
        raise PermissionDenied(
            _(
                "Only a central administrator grants the administrator role or roles at the Sede Central; "
                "a UT administrator grants the other roles at their own UT."
            )
        )


# --- role assignments -------------------------------------------------------------------


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: str,
    site: Any,
    unit: Any,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    note: str,
    by: Any,
) -> RoleAssignment:
    _require_grant(by, user, role, site)
    if valid_until is not None and valid_until < valid_from:
        raise ServiceError(_("The end date is before the start date."), field="valid_until")
    if not user.is_active:
        raise ServiceError(_("The account is deactivated."), field="user")
    overlapping = RoleAssignment.objects.active(valid_from).filter(user=user, role=role, site=site, unit=unit)
    if overlapping.exists():
        raise ServiceError(_("The person already holds this role there."), field="role")
    assignment = RoleAssignment.objects.create(
        user=user, role=role, site=site, unit=unit, valid_from=valid_from, valid_until=valid_until, note=note
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=assignment,
        changes=diff({}, snapshot(assignment, ASSIGNMENT_FIELDS)),
    )
    forget_scope(user)
    notify(
        [user],
        _("Role assigned: %(role)s") % {"role": assignment.get_role_display()},
        _("You now hold the role %(role)s at %(site)s from %(start)s.")
        % {"role": assignment.get_role_display(), "site": site or "—", "start": valid_from.strftime("%d/%m/%Y")},
    )
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, by: Any) -> RoleAssignment:
    _require_grant(by, assignment.user, assignment.role, assignment.site)
    if assignment.revoked_at is not None:
        raise ServiceError(_("This role assignment is already revoked."))
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    record(
        actor=by, action=AuditEvent.Action.STATE, obj=assignment, changes={"revoked_at": [None, assignment.revoked_at]}
    )
    forget_scope(assignment.user)
    notify(
        [assignment.user],
        _("Role revoked: %(role)s") % {"role": assignment.get_role_display()},
        _("Your role %(role)s was revoked.") % {"role": assignment.get_role_display()},
    )
    return assignment


# --- accounts ---------------------------------------------------------------------------


@transaction.atomic
def deactivate_user(user: User, *, by: Any) -> User:
    """Accounts are never deleted: deactivation keeps the person in every record they touched."""
    _require_manages(by, user)
    if not user.is_active:
        raise ServiceError(_("The account is already deactivated."))
    if getattr(by, "pk", None) == user.pk:
        raise ServiceError(_("You cannot deactivate your own account."))
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=user.deactivated_at)
    record(actor=by, action=AuditEvent.Action.STATE, obj=user, changes={"is_active": [True, False]})
    return user


@transaction.atomic
def reactivate_user(user: User, *, by: Any) -> User:
    _require_manages(by, user)
    if user.is_active:
        raise ServiceError(_("The account is already active."))
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    record(actor=by, action=AuditEvent.Action.STATE, obj=user, changes={"is_active": [False, True]})
    return user


PERSON_FIELDS = ["first_name", "last_name", "email", "position", "site", "unit"]


@transaction.atomic
def create_person(*, data: dict[str, Any], by: Any) -> User:
    _require_site(_authority(by), data.get("site"))
    user = User(
        username=data["username"],
        **{k: data.get(k) or "" for k in ["first_name", "last_name", "email", "position"]},
        site=data.get("site"),
        unit=data.get("unit"),
    )
    user.set_unusable_password()
    user.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=user,
        changes=diff({}, snapshot(user, ["username", *PERSON_FIELDS])),
    )
    return user


@transaction.atomic
def update_person(user: User, *, data: dict[str, Any], by: Any) -> User:
    authority = _require_manages(by, user)
    if "site" in data:
        _require_site(authority, data["site"])
    before = snapshot(user, PERSON_FIELDS)
    for name in PERSON_FIELDS:
        if name in data:
            setattr(
                user, name, data[name] if data[name] is not None else ("" if name not in {"site", "unit"} else None)
            )
    changes = diff(before, snapshot(user, PERSON_FIELDS))
    if changes:
        user.save(update_fields=list(changes))
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=user, changes=changes)
    return user


# --- API tokens -------------------------------------------------------------------------


@transaction.atomic
def issue_token(user: User, *, by: Any) -> str:
    if not user.is_active:
        raise ServiceError(_("The account is deactivated."), field="username")
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(raw),
        prefix=raw[4:12],
        expires_at=timezone.now() + datetime.timedelta(days=settings.SIG_API_TOKEN_DAYS),
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=token,
        changes={"user": [None, user.pk], "prefix": [None, token.prefix]},
    )
    return raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Any) -> ApiToken:
    """Its owner or an administrator who manages its owner revokes a token; it stops working at once.
    A string actor is the server's operator (`./sig token USER --revoke ID`), like issue_token's."""
    if not isinstance(by, str) and getattr(by, "pk", None) != token.user_id:
        _require_manages(by, token.user)
    if token.revoked_at is not None:
        raise ServiceError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=by, action=AuditEvent.Action.STATE, obj=token, changes={"revoked_at": [None, token.revoked_at]})
    return token


def user_for_token(raw: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- passwords ----------------------------------------------------------------------------
#
# A person changes their own password knowing the current one. Somebody who has none yet (a new
# account) or forgot it receives a single-use link by e-mail: from the administrator who manages
# them, or by asking on the login page (the answer never says whether an account exists). The
# link's token (Django's PasswordResetTokenGenerator) stops working once used, once the person
# logs in, and after PASSWORD_RESET_TIMEOUT. Nobody, administrators included, ever sees or types
# somebody else's password.

PASSWORD_LINK_EVERY = 10 * 60  # at most one requested link per person per this many seconds


def _validated(user: User, new: str, field: str) -> str:
    try:
        validate_password(new, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(str(m) for m in exc.messages), field=field) from exc
    return new


def _store_password(user: User, *, old: str | None, new: str, actor: Any, how: str) -> User:
    user.set_password(new)
    user.save(update_fields=["password"])
    password_changed.send(sender=User, user=user, old_password=old, new_password=new)
    record(actor=actor, action=AuditEvent.Action.UPDATE, obj=user, changes={"password": how})
    notify(
        [user],
        _("Your sig password was changed"),
        _("The password of your account %(username)s was changed. If it was not you, tell the administrator at once."),
        link=reverse("accounts:password_change"),
        username=user.username,
    )
    return user


@transaction.atomic
def change_password(user: User, *, old: str, new: str) -> User:
    """`user` changes their own password; the current one must be right."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if not user.check_password(old):
        raise ServiceError(_("Your current password is not right."), field="old_password")
    if new == old:
        raise ServiceError(_("The new password must differ from the current one."), field="new_password1")
    return _store_password(user, old=old, new=_validated(user, new, "new_password1"), actor=user, how="changed")


def password_link(user: User) -> str:
    """The path of a single-use link with which `user` sets a new password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_set", args=[uid, default_token_generator.make_token(user)])


def user_for_password_link(uidb64: str, token: str) -> User | None:
    """The active person a link was made for, while it is valid; None otherwise."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not -(2**63) < pk < 2**63:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def _send_link(user: User, *, actor: Any) -> None:
    notify(
        [user],
        _("Set your sig password"),
        _(
            "Use the link below to set the password of your account %(username)s. It works once and "
            "expires in %(hours)s hours. If you did not expect it, ignore this message."
        ),
        link=password_link(user),
        actor=actor,
        username=user.username,
        hours=settings.PASSWORD_RESET_TIMEOUT // 3600,
    )


@transaction.atomic
def send_password_link(person: User, *, by: Any) -> User:
    """An administrator who manages `person` e-mails them a link to set their password."""
    _require_manages(by, person)
    if getattr(by, "pk", None) == person.pk:
        raise ServiceError(_("Change your own password on your password page."))
    if not person.is_active:
        raise ServiceError(_("The account is deactivated."))
    if not person.email:
        raise ServiceError(_("The person has no e-mail address: add one first."), field="email")
    _send_link(person, actor=by)
    record(actor=by, action=AuditEvent.Action.UPDATE, obj=person, changes={"password": "link sent"})
    return person


@transaction.atomic
def request_password_link(identifier: str) -> None:
    """Somebody on the login page asks for a link for a username or an e-mail address. Sent
    only to an active account with an address, at most once per PASSWORD_LINK_EVERY; the caller
    answers the same whatever happened."""
    key = normalize_username(identifier)
    if not key:
        return
    people = list(User.objects.filter(is_active=True, username=key)[:1])
    if not people and "@" in key:
        people = list(User.objects.filter(is_active=True, email__iexact=key)[:2])
    if len(people) != 1 or not people[0].email:
        return
    user = people[0]
    recent = AuditEvent.objects.filter(
        object_type="accounts.user",
        object_id=str(user.pk),
        action=AuditEvent.Action.UPDATE,
        timestamp__gte=timezone.now() - datetime.timedelta(seconds=PASSWORD_LINK_EVERY),
    ).values_list("changes", flat=True)
    if any(isinstance(c, dict) and c.get("password") == "link requested" for c in recent):
        return  # the audit trail, shared by every server process, is the rate limit's memory
    _send_link(user, actor=None)
    record(actor=None, action=AuditEvent.Action.UPDATE, obj=user, changes={"password": "link requested"})


@transaction.atomic
def set_password_with_link(uidb64: str, token: str, *, new: str) -> User:
    user = user_for_password_link(uidb64, token)
    if user is None:
        raise ServiceError(_("This link is not valid any more: ask for a new one."))
    return _store_password(user, old=None, new=_validated(user, new, "new_password1"), actor=user, how="set by link")
