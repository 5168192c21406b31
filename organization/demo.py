"""Demo organisation: Programa JUNTOS as the seed describes it (Cuadro 01, §3, §4, §11).

Unit and site names the seed does not give (the 21 UT departments, Sede Central units beyond
DE/UPPM/CMG/CSE/UAJ/UCI) are plausible demo values and are flagged as such."""

from __future__ import annotations

from organization.models import Entity, GlossaryTerm, LegalNorm, OrgUnit, Process, Site

# 21 departments where the programme works (demo: the seed gives the number, not the names).
UT_DEPARTMENTS = [
    ("AMA", "Amazonas"),
    ("ANC", "Áncash"),
    ("APU", "Apurímac"),
    ("ARE", "Arequipa"),
    ("AYA", "Ayacucho"),
    ("CAJ", "Cajamarca"),
    ("CUS", "Cusco"),
    ("HUV", "Huancavelica"),
    ("HUC", "Huánuco"),
    ("ICA", "Ica"),
    ("JUN", "Junín"),
    ("LAL", "La Libertad"),
    ("LAM", "Lambayeque"),
    ("LIM", "Lima"),
    ("LOR", "Loreto"),
    ("PAS", "Pasco"),
    ("PIU", "Piura"),
    ("PUN", "Puno"),
    ("SAM", "San Martín"),
    ("TUM", "Tumbes"),
    ("UCA", "Ucayali"),
]

# (code, name, kind, parent code)
SEDE_UNITS = [
    ("DE", "Dirección Ejecutiva", OrgUnit.Kind.EXECUTIVE, None),
    ("OCI", "Órgano de Control Institucional", OrgUnit.Kind.UNIT, None),
    ("UAJ", "Unidad de Asesoría Jurídica", OrgUnit.Kind.UNIT, "DE"),
    ("UPPM", "Unidad de Planeamiento, Presupuesto y Modernización", OrgUnit.Kind.UNIT, "DE"),
    ("UPPM-CPP", "Coordinación de Planeamiento y Presupuesto", OrgUnit.Kind.COORDINATION, "UPPM"),
    ("UPPM-CMG", "Coordinación de Modernización de la Gestión", OrgUnit.Kind.COORDINATION, "UPPM"),
    ("UPPM-CSE", "Coordinación de Seguimiento y Evaluación", OrgUnit.Kind.COORDINATION, "UPPM"),
    ("UCI", "Unidad de Comunicación e Imagen", OrgUnit.Kind.UNIT, "DE"),
    ("UA", "Unidad de Administración", OrgUnit.Kind.UNIT, "DE"),
    ("URH", "Unidad de Recursos Humanos", OrgUnit.Kind.UNIT, "DE"),
    ("UTI", "Unidad de Tecnologías de la Información", OrgUnit.Kind.UNIT, "DE"),
    ("UOP", "Unidad de Operaciones", OrgUnit.Kind.UNIT, "DE"),
    ("UOP-CT", "Coordinación Técnica de Operaciones", OrgUnit.Kind.COORDINATION, "UOP"),
]

# (code, name, name_en, type, parent, owner unit)
PROCESSES = [
    ("E01", "Gestión del Programa Presupuestal", "Budget programme management", "strategic", None, "UPPM"),
    (
        "E02",
        "Modernización de la Gestión, Integridad y Mejora Continua",
        "Management modernisation, integrity and continual improvement",
        "strategic",
        None,
        "UPPM",
    ),
    (
        "E03",
        "Gestión de la Comunicación e Imagen Institucional",
        "Communication and institutional image",
        "strategic",
        None,
        "UCI",
    ),
    ("E04", "Gestión del Control Institucional", "Institutional control", "strategic", None, "OCI"),
    ("M01", "Gestión de Operaciones", "Operations management", "mission", None, "UOP"),
    ("A01", "Gestión Administrativa", "Administrative management", "support", None, "UA"),
    ("A02", "Gestión de Personas", "People management", "support", None, "URH"),
    (
        "A03",
        "Gestión de Sistemas y Tecnologías de la Información",
        "Information systems and technology",
        "support",
        None,
        "UTI",
    ),
    ("A04", "Gestión de Asesoramiento Jurídico", "Legal advice", "support", None, "UAJ"),
    # Level 1 under M01: the six operational processes in the SIG scope (Cuadro 01).
    ("M01.01", "Afiliación", "Enrolment", "mission", "M01", "UOP"),
    (
        "M01.02",
        "Verificación del cumplimiento de corresponsabilidades",
        "Co-responsibility compliance check",
        "mission",
        "M01",
        "UOP",
    ),
    ("M01.03", "Mantenimiento de Padrón de Hogares", "Household register maintenance", "mission", "M01", "UOP"),
    ("M01.04", "Liquidación y transferencia", "Settlement and transfer", "mission", "M01", "UOP"),
    (
        "M01.05",
        "Entrega del incentivo monetario condicionado",
        "Conditional cash incentive delivery",
        "mission",
        "M01",
        "UOP",
    ),
    ("M01.06", "Acompañamiento familiar", "Family support", "mission", "M01", "UOP"),
    # Level 1 under E02 named in §12.4 and §16 (placement inferred).
    (
        "E02.01",
        "Gestión de la Modernización Institucional (GMI)",
        "Institutional modernisation",
        "strategic",
        "E02",
        "UPPM-CMG",
    ),
    ("E02.02", "Gestión de la Mejora Continua", "Continual improvement", "strategic", "E02", "UPPM-CMG"),
]

SGC_SCOPE_PROCESSES = ["M01.01", "M01.02", "M01.03", "M01.04", "M01.05", "M01.06"]
SGSI_SCOPE_PROCESSES = ["M01.04"]

SGC_SCOPE_STATEMENT = (
    "Procesos de Afiliación, Verificación del cumplimiento de corresponsabilidades, Mantenimiento de "
    "Padrón de Hogares, Liquidación y transferencia, Entrega del incentivo monetario condicionado y "
    "Acompañamiento familiar, que se llevan a cabo en Sede Central y en las Unidades Territoriales del "
    "Programa Nacional de Apoyo Directo a los Más Pobres “JUNTOS”."
)
SGSI_SCOPE_STATEMENT = "Proceso de Liquidación y transferencia."

# (code, name_es, name_en, standard edition label, objective, scope key, status, order)
SYSTEMS = [
    (
        "SGC",
        "Sistema de Gestión de la Calidad",
        "Quality management system",
        "ISO 9001:2015",
        "Garantizar la capacidad para brindar un servicio que satisfaga las necesidades de los/as usuarios/as y "
        "aumentar la satisfacción de los/as mismos/as.",
        "sgc",
        "certified",
        1,
    ),
    (
        "SGAS",
        "Sistema de Gestión Antisoborno",
        "Anti-bribery management system",
        "ISO 37001:2016",
        "Prevenir, detectar y enfrentar al soborno y cumplir con las leyes antisoborno y los compromisos "
        "voluntarios aplicables a las actividades del Programa JUNTOS",
        "sgc",
        "certified",
        2,
    ),
    (
        "SGSI",
        "Sistema de Gestión de Seguridad de la Información",
        "Information security management system",
        "ISO/IEC 27001:2013",
        "Garantizar la custodia, preservando la confidencialidad e integridad de la información",
        "sgsi",
        "implementing",
        3,
    ),
]

# Seed §3 (type, number, year, issuer, title, seed ref)
LEGAL_BASIS = [
    (
        "ley",
        "27658",
        2002,
        "Congreso de la República",
        "Ley Marco de la Modernización de la Gestión del Estado y modificatoria",
        "3.1",
    ),
    (
        "ds",
        "032-2005-PCM",
        2005,
        "PCM",
        'Crea el Programa Nacional de Apoyo Directo a los Más Pobres "JUNTOS", modificado por los D.S. N.° 062-2005-PCM y N.° 012-2012-MIDIS',
        "3.2",
    ),
    (
        "ds",
        "009-2012-MIDIS",
        2012,
        "MIDIS",
        'Amplía la cobertura del Programa "Pensión 65" y del Programa JUNTOS',
        "3.3",
    ),
    (
        "rm",
        "148-2015-MIDIS",
        2015,
        "MIDIS",
        'Aprueba la Directiva N.° 004-2015-MIDIS "Lineamientos para el desarrollo de sistemas de gestión de la calidad en los programas sociales del MIDIS"',
        "3.4",
    ),
    ("rm", "278-2017-MIDIS", 2017, "MIDIS", "Aprueba el Manual de Operaciones del Programa JUNTOS", "3.5"),
    (
        "rm",
        "004-2016-PCM",
        2016,
        "PCM",
        "Aprueba el uso obligatorio de la NTP ISO/IEC 27001:2014 en las entidades del Sistema Nacional de Informática",
        "3.6",
    ),
    (
        "rd",
        "012-2017-INACAL/DN",
        2017,
        "INACAL",
        "Aprueba la NTP-ISO 37001:2017 Sistemas de gestión antisoborno",
        "3.7",
    ),
    ("res", "129-2014/DNB-INDECOPI", 2014, "INDECOPI", "Aprueba la NTP ISO/IEC 27001:2014 (2.ª edición)", "3.8"),
    (
        "rde",
        "130-2020-MIDIS/PNADP-DE",
        2020,
        "PNADP-DE",
        "Aprueba la Organización del Sistema Integrado de Gestión",
        "3.9",
    ),
    (
        "rde",
        "081-2020-MIDIS/PNADP-DE",
        2020,
        "PNADP-DE",
        "Aprueba el Manual del Sistema Integrado de Gestión (Calidad – Antisoborno – Seguridad de la Información)",
        "3.10",
    ),
    (
        "rde",
        "020-2020-MIDIS/PNADP-DE",
        2020,
        "PNADP-DE",
        "Aprueba la Política y Objetivos del Sistema Integrado de Gestión",
        "3.11",
    ),
    (
        "rde",
        "216-2019-MIDIS/PNADP-DE",
        2019,
        "PNADP-DE",
        "Aprueba la conformación del Comité del Sistema Integrado de Gestión y sus funciones",
        "3.12",
    ),
    ("iso", "ISO 9001:2015", 2015, "ISO", "Requisitos para los Sistemas de Gestión de la Calidad", "3.13"),
    ("iso", "ISO 37001:2016", 2016, "ISO", "Requisitos para los Sistemas de Gestión Antisoborno", "3.14"),
    (
        "iso",
        "ISO/IEC 27001:2013",
        2013,
        "ISO/IEC",
        "Requisitos para los Sistemas de Gestión de Seguridad de la Información",
        "3.15",
    ),
]

# Seed §4 plus the Spanish domain words the product keeps (term, acronym?, definition es, definition en, source)
GLOSSARY = [
    (
        "Calidad",
        False,
        "Grado en el que un conjunto de características inherentes a un objeto cumple con los requisitos.",
        "Degree to which a set of inherent characteristics of an object fulfils requirements.",
        "Plan §4.1",
    ),
    (
        "Soborno",
        False,
        "Oferta, promesa, entrega, aceptación o solicitud de una ventaja indebida de cualquier valor, directa o indirectamente, como incentivo o recompensa para que una persona actúe o deje de actuar en relación con sus obligaciones.",
        "Offering, promising, giving, accepting or soliciting an undue advantage of any value, directly or indirectly, as an inducement or reward for a person to act or refrain from acting in relation to their duties.",
        "Plan §4.2",
    ),
    (
        "Comité del SIG",
        False,
        "Equipo multidisciplinario conformado por la Dirección Ejecutiva y los/as Jefes/as de Unidades de la Sede Central, con el objetivo de implementar los sistemas de gestión de calidad, antisoborno y seguridad de la información.",
        "Multidisciplinary team of the Executive Direction and the heads of the head-office units that implements the quality, anti-bribery and information-security systems.",
        "Plan §4.3",
    ),
    (
        "SGC",
        True,
        "Sistema de gestión de la calidad: conjunto de procesos y/o actividades que se interrelacionan para cumplir con los objetivos institucionales en materia de calidad.",
        "Quality management system.",
        "Plan §4.4",
    ),
    (
        "SGAS",
        True,
        "Sistema de gestión antisoborno: conjunto de elementos que interactúan para establecer políticas, objetivos y procesos para combatir el soborno.",
        "Anti-bribery management system.",
        "Plan §4.5",
    ),
    (
        "SGSI",
        True,
        "Sistema de gestión de seguridad de la información: conjunto de políticas de administración de la información para garantizar su integridad, disponibilidad y confiabilidad.",
        "Information security management system.",
        "Plan §4.6",
    ),
    (
        "Requisito",
        False,
        "Necesidad o expectativa establecida, generalmente implícita u obligatoria.",
        "Need or expectation that is stated, generally implied or obligatory.",
        "Plan §4.7",
    ),
    (
        "SIG",
        True,
        "Sistema Integrado de Gestión: incluye los requisitos del SGC, el SGAS y el SGSI.",
        "Integrated management system: the requirements of the QMS, ABMS and ISMS together.",
        "Plan §4.8",
    ),
    ("DE", True, "Dirección Ejecutiva.", "Executive Direction (top management and governing body).", "Plan §4.9"),
    (
        "UPPM",
        True,
        "Unidad de Planeamiento, Presupuesto y Modernización.",
        "Planning, Budget and Modernisation Unit.",
        "Plan §4.10",
    ),
    (
        "UT",
        True,
        "Unidad Territorial: sede desconcentrada del Programa en un departamento.",
        "Territorial unit: the programme's office in a department.",
        "Plan §2",
    ),
    (
        "CMG",
        True,
        "Coordinación de Modernización de la Gestión (UPPM), que coordina el SIG.",
        "Management Modernisation Coordination (within UPPM), which coordinates the SIG.",
        "Plan portada",
    ),
    (
        "Acta",
        False,
        "Documento que registra lo tratado y acordado en una reunión o sesión.",
        "Minutes: the record of what a meeting discussed and agreed.",
        "Plan Tabla 02",
    ),
    (
        "Acuerdo",
        False,
        "Compromiso adoptado en una sesión, con responsable y plazo, al que se hace seguimiento.",
        "A decision taken in a meeting, with an owner and a due date, followed up to closure.",
        "Plan Tabla 02",
    ),
    ("RDE", True, "Resolución de Dirección Ejecutiva.", "Executive Direction resolution.", "Plan RDE"),
    (
        "QRD",
        True,
        "Quejas, reclamos y denuncias de las usuarias y partes interesadas.",
        "Complaints, claims and reports from users and interested parties.",
        "Plan Tabla 03",
    ),
    (
        "CTVC",
        True,
        "Comités de Transparencia y Vigilancia Ciudadana, que emiten alertas sobre irregularidades.",
        "Citizen transparency and oversight committees, which raise alerts on irregularities.",
        "Plan Tabla 02",
    ),
    (
        "Copia no controlada",
        False,
        "Toda copia de un documento que se encuentra fuera del portal; no garantiza ser la versión vigente.",
        "Any copy of a document found outside the portal; it is not guaranteed to be the current version.",
        "Plan portada",
    ),
    (
        "Memorando múltiple",
        False,
        "Memorando dirigido a varias unidades a la vez por el Sistema de Gestión Documental.",
        "Memorandum sent to several units at once through the document management system.",
        "Plan §13",
    ),
    (
        "DGCGPS",
        True,
        "Dirección General de Calidad de la Gestión de los Programas Sociales (MIDIS).",
        "MIDIS Directorate-General for the Quality of Social Programme Management.",
        "Plan §13",
    ),
    ("POI", True, "Plan Operativo Institucional.", "Institutional operating plan.", "Plan §14"),
]


def load() -> Entity:
    """Create the demo organisation (idempotent by codes)."""
    entity, _ = Entity.objects.get_or_create(
        acronym="PNADP",
        defaults={
            "name": "Programa Nacional de Apoyo Directo a los Más Pobres “JUNTOS”",
            "short_name": "Programa JUNTOS",
            "sector": "Ministerio de Desarrollo e Inclusión Social (MIDIS)",
            "vice_ministry": "Viceministerio de Prestaciones Sociales",
            "website": "https://www.gob.pe/juntos",
            "portal_name": "Portal Web JUNTOS PODEMOS",
        },
    )
    central, _ = Site.objects.get_or_create(
        code="SC",
        defaults={
            "entity": entity,
            "name": "Sede Central",
            "kind": Site.Kind.CENTRAL,
            "department": "Lima",
            "address": "Miraflores, Lima",
            "order": 0,
        },
    )
    units: dict[str, OrgUnit] = {}
    for order, (code, name, kind, parent) in enumerate(SEDE_UNITS):
        units[code], _ = OrgUnit.objects.get_or_create(
            code=code,
            defaults={
                "entity": entity,
                "name": name,
                "kind": kind,
                "site": central,
                "parent": units.get(parent) if parent else None,
                "order": order,
            },
        )
    for order, (code, dept) in enumerate(UT_DEPARTMENTS, start=1):
        site, _ = Site.objects.get_or_create(
            code=f"UT-{code}",
            defaults={
                "entity": entity,
                "name": f"UT {dept}",
                "kind": Site.Kind.TERRITORIAL,
                "department": dept,
                "is_demo": True,
                "order": order,
            },
        )
        OrgUnit.objects.get_or_create(
            code=f"UT-{code}",
            defaults={
                "entity": entity,
                "name": f"Unidad Territorial {dept}",
                "kind": OrgUnit.Kind.TERRITORIAL,
                "site": site,
                "parent": units["UOP"],
                "order": 100 + order,
            },
        )
    processes: dict[str, Process] = {}
    for order, (code, name, name_en, ptype, parent, owner) in enumerate(PROCESSES):
        processes[code], _ = Process.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "type": ptype,
                "order": order,
                "parent": processes.get(parent) if parent else None,
                "owner_unit": units[owner],
            },
        )
    for order, (norm_kind, number, year, issuer, title, ref) in enumerate(LEGAL_BASIS):
        LegalNorm.objects.get_or_create(
            kind=norm_kind,
            number=number,
            defaults={"year": year, "issuer": issuer, "title": title, "seed_ref": ref, "order": order},
        )
    for term, acronym, definition, definition_en, source in GLOSSARY:
        GlossaryTerm.objects.get_or_create(
            term=term,
            defaults={
                "is_acronym": acronym,
                "definition": definition,
                "definition_en": definition_en,
                "source": source,
            },
        )
    return entity


def load_systems() -> None:
    """Management systems and their scopes; needs the standards catalogue loaded first."""
    from catalog.models import Edition
    from organization.models import ManagementSystem, Scope

    sites = list(Site.objects.all())
    central = [s for s in sites if s.is_central]
    scopes: dict[str, Scope] = {}
    if not Scope.objects.filter(name="Alcance SGC–SGAS").exists():
        sgc = Scope.objects.create(name="Alcance SGC–SGAS", statement=SGC_SCOPE_STATEMENT)
        sgc.processes.set(Process.objects.filter(code__in=SGC_SCOPE_PROCESSES))
        sgc.sites.set(sites)
        sgsi = Scope.objects.create(name="Alcance SGSI", statement=SGSI_SCOPE_STATEMENT)
        sgsi.processes.set(Process.objects.filter(code__in=SGSI_SCOPE_PROCESSES))
        sgsi.sites.set(central)
    scopes["sgc"] = Scope.objects.get(name="Alcance SGC–SGAS")
    scopes["sgsi"] = Scope.objects.get(name="Alcance SGSI")
    for code, name, name_en, edition, objective, scope_key, status, order in SYSTEMS:
        ManagementSystem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "edition": Edition.objects.get(label=edition),
                "objective": objective,
                "scope": scopes[scope_key],
                "certification_status": status,
                "order": order,
            },
        )
