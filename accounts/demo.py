"""Demo logins, one per persona (README). All share SIG_DEMO_PASSWORD."""

from __future__ import annotations

import datetime

from django.conf import settings

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from organization.models import OrgUnit, Site

# username, first, last, position, site code, unit code, [(role, site code or None)]
DemoUser = tuple[str, str, str, str, str, str, list[tuple[Role, str | None]]]
DEMO_USERS: list[DemoUser] = [
    ("admin", "Ana", "Administradora", "Administradora de la plataforma", "SC", "UTI", [(Role.ADMIN, None)]),
    (
        "direccion",
        "Jessica",
        "Niño de Guzmán Esaine",
        "Directora Ejecutiva",
        "SC",
        "DE",
        [(Role.DIRECTOR, None), (Role.COMMITTEE, None)],
    ),
    (
        "uppm",
        "Diana",
        "Silva Pretel",
        "Jefa de la Unidad de Planeamiento, Presupuesto y Modernización",
        "SC",
        "UPPM",
        [(Role.UPPM_HEAD, None), (Role.COMMITTEE, None)],
    ),
    (
        "cmg",
        "Silvia",
        "Villanueva Gavidia",
        "Coordinadora de Modernización de la Gestión",
        "SC",
        "UPPM-CMG",
        [(Role.SIG_COORDINATOR, None)],
    ),
    ("tecnico", "Tomás", "Quispe Rojas", "Coordinador Técnico", "SC", "UOP-CT", [(Role.TECH_COORDINATOR, None)]),
    ("auditor", "Aurora", "Mendoza Salas", "Auditora interna del SIG", "SC", "UPPM-CMG", [(Role.AUDITOR, None)]),
    ("integridad", "Inés", "Paredes Vega", "Oficial de Integridad", "SC", "DE", [(Role.INTEGRITY_OFFICER, None)]),
    (
        "oficial.si",
        "Óscar",
        "Huamán Torres",
        "Oficial de Seguridad de la Información",
        "SC",
        "UTI",
        [(Role.SECURITY_OFFICER, None)],
    ),
    (
        "ut.cusco",
        "Carmen",
        "Condori Huallpa",
        "Jefa de la Unidad Territorial Cusco",
        "UT-CUS",
        "UT-CUS",
        [(Role.UNIT_HEAD, "UT-CUS")],
    ),
    (
        "ut.puno",
        "Pedro",
        "Mamani Apaza",
        "Jefe de la Unidad Territorial Puno",
        "UT-PUN",
        "UT-PUN",
        [(Role.UNIT_HEAD, "UT-PUN")],
    ),
    ("lector", "Lucía", "Ramos Cárdenas", "Especialista (solo lectura)", "SC", "UPPM-CSE", [(Role.READER, None)]),
]
DEMO_SINCE = datetime.date(2020, 1, 1)


def load() -> list[User]:
    users = []
    for username, first, last, position, site_code, unit_code, roles in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "position": position,
                "is_demo": True,
                "site": Site.objects.get(code=site_code),
                "unit": OrgUnit.objects.get(code=unit_code),
                "email": f"{username}@juntos.example",
            },
        )
        if created:
            if settings.SIG_DEMO_PASSWORD:
                user.set_password(settings.SIG_DEMO_PASSWORD)
            else:  # production without SIG_DEMO_PASSWORD: no usable demo login
                user.set_unusable_password()
            user.save(update_fields=["password"])
            for role, role_site in roles:
                RoleAssignment.objects.create(
                    user=user,
                    role=role,
                    site=Site.objects.get(code=role_site or site_code),
                    unit=user.unit,
                    valid_from=DEMO_SINCE,
                )
        users.append(user)
    return users
