"""Harmonized-structure (HS) clauses shared by ISO management-system standards.

Each row is ``(hs_number, title_es, title_en)``. Titles are our own short
paraphrases, never the wording of any ISO or INACAL text.

Numbering convention: HS numbers follow the 2012 high-level structure (the one
used by ISO 9001:2015, ISO 37001:2016 and ISO/IEC 27001:2013). Therefore:

* HS 10.1 = nonconformity and corrective action ("No conformidad y acción
  correctiva");
* HS 10.2 = continual improvement ("Mejora continua").

Standards built on the 2021/22 harmonized structure (e.g. ISO/IEC 27001:2022)
swap those two numbers: their 10.1 (continual improvement) maps to HS 10.2 and
their 10.2 (nonconformity and corrective action) maps to HS 10.1. HS 6.3
(planning of changes) exists only in the newer structure, but ISO 9001:2015
already has its own 6.3 on the same topic, so it is kept here.
"""

HS_CLAUSES: list[tuple[str, str, str]] = [
    ("4.1", "Contexto: cuestiones internas y externas", "Internal and external issues"),
    (
        "4.2",
        "Partes interesadas y sus requisitos",
        "Interested parties and their needs",
    ),
    ("4.3", "Alcance del sistema", "Boundaries of the system"),
    (
        "4.4",
        "El sistema de gestión y sus procesos",
        "Setting up the system and its processes",
    ),
    ("5.1", "Liderazgo y compromiso", "Commitment shown by top management"),
    ("5.2", "Política", "Policy statement of the system"),
    ("5.3", "Roles, responsabilidades y autoridades", "Assigned roles and authority"),
    (
        "6.1",
        "Acciones ante riesgos y oportunidades",
        "Responding to risks and opportunities",
    ),
    ("6.2", "Objetivos y su planificación", "Setting objectives and action plans"),
    ("6.3", "Planificación de cambios", "Managing planned changes to the system"),
    ("7.1", "Recursos", "Providing resources"),
    ("7.2", "Competencia", "Staff competence"),
    ("7.3", "Toma de conciencia", "Staff awareness"),
    ("7.4", "Comunicación", "Internal and external communication"),
    ("7.5", "Información documentada", "Controlled documents and records"),
    (
        "8.1",
        "Planificación y control operacional",
        "Planning and controlling operations",
    ),
    (
        "9.1",
        "Seguimiento, medición, análisis y evaluación",
        "Tracking and evaluating performance",
    ),
    ("9.2", "Auditoría interna", "In-house audits of the system"),
    ("9.3", "Revisión por la dirección", "Top management review of the system"),
    (
        "10.1",
        "No conformidad y acción correctiva",
        "Handling nonconformities and their causes",
    ),
    ("10.2", "Mejora continua", "Ongoing improvement of the system"),
]
