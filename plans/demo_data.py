"""The seed's 2020 SIG development plan, Tablas 01–03 exactly as written (activity → products),
§5 responsibilities, §14 budget tasks and §15 change-control rows."""

# (code, activity, [products], responsible unit code, where ("SC", "UT", "ALL"), planned months (start, end))
STAGES: list[tuple[str, str, list[tuple[str, str, list[str], str, str, tuple[int, int]]]]] = [
    (
        "Mantenimiento",
        "Mantenimiento del SIG en los procesos del alcance, con asistencia técnica de la UPPM a todas las unidades.",
        [
            (
                "1.1",
                "Auditorías internas al SIG en la Sede Central y Unidades Territoriales",
                ["Informes de auditorías"],
                "UPPM-CMG",
                "ALL",
                (9, 11),
            ),
            (
                "1.2",
                "Supervisiones integrales a las Unidades Territoriales.",
                ["Informes de supervisiones"],
                "UOP-CT",
                "UT",
                (6, 11),
            ),
            (
                "1.3",
                "Realización de revisiones del SIG por la Dirección Ejecutiva en su calidad de Alta Dirección y Órgano de Gobierno.",
                ["Acta de revisión del SIG por la Alta Dirección y Órgano de Gobierno."],
                "DE",
                "SC",
                (12, 12),
            ),
            (
                "1.4",
                "Fortalecimiento de capacidades de los/as servidores/as del Programa JUNTOS en temas relacionados a: la norma NTP ISO/IEC 27001:2014; la norma ISO 9001:2015; la norma ISO 37001:2016; la norma ISO 19011:2018; integridad, ética y lucha contra la corrupción; gestión de no conformidades y planteamiento de acciones de mejora.",
                ["Informes sobre las capacitaciones realizadas."],
                "UPPM-CMG",
                "ALL",
                (4, 11),
            ),
            (
                "1.5",
                "Aplicación de encuestas para medir la satisfacción de las/os usuarias/os del Programa JUNTOS.",
                ["Informe de los resultados de la aplicación de las encuestas."],
                "UPPM-CMG",
                "UT",
                (8, 10),
            ),
            (
                "1.6",
                "Revisión de la matriz de socio de negocio y cuadro de debida diligencia.",
                [
                    "Informe de cumplimiento de los controles aplicados a los socios de negocio y debida diligencia de puestos claves.",
                    "Matrices actualizadas de socio de negocio y debida diligencia de puestos claves.",
                ],
                "DE",
                "SC",
                (5, 7),
            ),
            (
                "1.7",
                "Revisión y evaluación de los riesgos, cuando se producen cambios, nueva información disponible o cambios significativos de la estructura y actividades del Programa JUNTOS, considerando los riesgos de seguridad de la información.",
                [
                    "Informe de seguimiento de los planes de acción de la Matriz de riesgos 2019.",
                    "Procedimiento actualizado para la gestión de riesgos, alineado a la normativa de la CGR.",
                    "Manual de gestión de riesgos.",
                    "Matriz de riesgos actualizada.",
                ],
                "UPPM-CMG",
                "SC",
                (3, 10),
            ),
        ],
    ),
    (
        "Seguimiento, medición y análisis de procesos",
        "Seguimiento y medición de los procesos para demostrar su conformidad y mejorar la eficacia del SIG (cumplimiento de plazos, capacidad de los procesos).",
        [
            (
                "2.1",
                "Realización de reuniones de análisis de datos del SIG.",
                ["Actas de reunión de Análisis de datos del SIG."],
                "UPPM-CMG",
                "SC",
                (3, 12),
            ),
            (
                "2.2",
                "Seguimiento al monitoreo de los indicadores del SIG.",
                ["Informe de resultados de los indicadores del SIG."],
                "UPPM-CMG",
                "SC",
                (3, 12),
            ),
            (
                "2.3",
                "Seguimiento al estatus de la implementación de los Registros y reportes de las acciones de mejora.",
                ["Informes de seguimiento a la implementación de los Registros y reportes de las acciones de mejora."],
                "UPPM-CMG",
                "ALL",
                (3, 12),
            ),
            (
                "2.4",
                "Seguimiento a las actividades programadas en el Plan de difusión y concientización del SIG.",
                ["Informes de seguimiento a la implementación del Plan."],
                "UPPM-CMG",
                "SC",
                (6, 12),
            ),
            (
                "2.5",
                "Seguimiento al estatus de la implementación de las Matrices de Mejora de las supervisiones.",
                ["Informes sobre el estatus de la implementación de las Matrices de mejora de supervisión."],
                "UOP-CT",
                "UT",
                (7, 12),
            ),
            (
                "2.6",
                "Seguimiento al estatus de los reclamos, denuncias por presuntos actos de corrupción y alertas CTVC, proporcionado por la unidad competente.",
                ["Informes sobre el seguimiento al estatus de los reclamos, denuncias y alertas CTVC."],
                "UPPM-CMG",
                "SC",
                (3, 12),
            ),
            (
                "2.7",
                "Seguimiento a los acuerdos de las reuniones del Comité del SIG.",
                ["Actas de reuniones del Comité del SIG."],
                "UPPM-CMG",
                "SC",
                (2, 12),
            ),
        ],
    ),
    (
        "Mejora",
        "Actualización de procesos con controles de calidad y antisoborno explícitos, normativa sectorial aplicable y documentos normativos del SGSI.",
        [
            (
                "3.1",
                "Elaboración de mecanismos formales para la difusión y concientización del SIG.",
                ["Plan de difusión y concientización del SIG."],
                "UPPM-CMG",
                "SC",
                (4, 5),
            ),
            (
                "3.2",
                "Identificación de normativa sectorial aplicable al proceso de Gestión de la modernización institucional (GMI).",
                [
                    "Procedimientos nuevos y/o actualizados que dan cumplimiento a la normativa sectorial aplicable al proceso GMI."
                ],
                "UPPM-CMG",
                "SC",
                (4, 9),
            ),
            (
                "3.3",
                "Actualización del Procedimiento para la gestión de documentos normativos, a fin de establecer instrumentos que permitan identificar de manera explícita los controles de calidad, antisoborno y seguridad de la información, los cuales serán plasmados en los documentos normativos.",
                ["Procedimiento para la gestión de documentos normativos actualizado."],
                "UPPM-CMG",
                "SC",
                (5, 9),
            ),
            (
                "3.4",
                "Actualización de los documentos normativos relacionados al proceso de supervisión.",
                ["Procedimiento para la supervisión integral de los procesos."],
                "UOP-CT",
                "SC",
                (6, 10),
            ),
            (
                "3.5",
                "Actualización de los documentos normativos relacionados a la atención en la plataforma de atención al usuario.",
                [
                    "Procedimiento para la atención de consultas.",
                    "Procedimiento para la atención de sugerencias.",
                    "Procedimiento para la atención de QRD de las usuarias y partes interesadas.",
                    "Procedimiento para la atención de alertas CTVC.",
                ],
                "UCI",
                "SC",
                (6, 11),
            ),
            (
                "3.6",
                "Aprobación del procedimiento de gestión de no conformidades y acciones de mejora.",
                ["Procedimiento de gestión de No Conformidades y acciones de mejora"],
                "UPPM-CMG",
                "SC",
                (5, 9),
            ),
            (
                "3.7",
                "Actualización del procedimiento de revisión del SIG.",
                ["Procedimiento para la revisión del SIG"],
                "UPPM-CMG",
                "SC",
                (8, 11),
            ),
            (
                "3.8",
                "Actualización del procedimiento de auditorías del SIG.",
                ["Procedimiento de auditorías internas del SIG"],
                "UPPM-CMG",
                "SC",
                (6, 9),
            ),
            (
                "3.9",
                "Formulación de documento normativo para la realización de auditorías remotas.",
                ["Guía para la realización de auditorías remotas"],
                "UPPM-CMG",
                "SC",
                (7, 9),
            ),
            (
                "3.10",
                "Actualizar la Política y Objetivos SIG, incluyendo el SGSI.",
                [
                    "RDE que aprueba la actualización de la política y objetivos del SIG (Calidad-Antisoborno-Seguridad de la Información)"
                ],
                "UPPM",
                "SC",
                (4, 6),
            ),
            (
                "3.11",
                "Actualizar el Análisis de Contexto (FODA y Partes Interesadas), el cual incluye aspectos de seguridad de la información",
                ["Memorando múltiple aprobando los documentos del análisis del contexto."],
                "UPPM-CMG",
                "SC",
                (4, 6),
            ),
            (
                "3.12",
                "Revisar las funciones y roles de la Organización del SIG, el cual incluye al Oficial de Seguridad de la Información.",
                ["RDE que aprueba la Organización del SIG"],
                "UPPM",
                "SC",
                (4, 6),
            ),
            (
                "3.13",
                "Actualización del Manual del SIG",
                ["Propuesta de Manual del SIG e informe solicitando su aprobación"],
                "UPPM-CMG",
                "SC",
                (7, 10),
            ),
            (
                "3.14",
                "Elaboración de documentos normativos relacionados al SGSI.",
                [
                    "Documentos normativos relacionados al cumplimiento de los requisitos de la norma NTP ISO/IEC 27001:2014, considerando las actividades y entregables detallados en el Anexo 02."
                ],
                "UTI",
                "SC",
                (4, 11),
            ),
            (
                "3.15.1",
                "Auditoría externa de seguimiento ISO 9001 e ISO 37001.",
                ["@3.15"],
                "UPPM-CMG",
                "ALL",
                (11, 12),
            ),
            ("3.15.2", "Auditoría de certificación ISO/IEC 27001", ["@3.15"], "UPPM-CMG", "SC", (11, 12)),
            (
                "3.16",
                "Virtualización de los aspectos relacionados al Sistema Integrado de Gestión.",
                ["Videos informativos del SIG."],
                "UPPM-CMG",
                "SC",
                (6, 12),
            ),
        ],
    ),
]
# Seed Tabla 03, row 3.15: one product closes both external audits.
SHARED_PRODUCTS = {"@3.15": "Informe de auditoría externa integrada."}

RESPONSIBILITIES = [
    ("Comité del Sistema Integrado de Gestión", "Revisar el Plan de Desarrollo del SIG y sus modificaciones."),
    ("Director/a Ejecutivo/a", "Aprobar el Plan y sus modificaciones."),
    ("Jefe/a de UPPM", "Gestionar la implementación de las acciones en el marco de su competencia."),
    (
        "Coordinador/a de Modernización de la Gestión",
        "Realizar el seguimiento de la implementación de las acciones plasmadas en el cronograma de actividades.",
    ),
    (
        "Coordinador/a Técnico/a",
        "Desarrollar las acciones plasmadas en el cronograma de actividades, en el marco de sus competencias.",
    ),
    ("Jefes de Unidades", ""),  # the seed's text stops here (§5)
]

# §14: the six tasks are in the seed; the split of S/ 130,000.00 among them is not (demo amounts).
BUDGET_TASKS = [
    (
        "Asistencia técnica para la implementación del Sistema de Gestión de Seguridad de la Información (NTP ISO/IEC 27001:2014).",
        "45000.00",
        "38500.00",
        ["3.14"],
    ),
    (
        "Virtualización de los aspectos relacionados al Sistema Integrado de Gestión (Calidad, Antisoborno y Seguridad de la Información).",
        "15000.00",
        "6000.00",
        ["3.16"],
    ),
    ("Auditoría interna ISO 9001 e ISO 37001 en Sede Central y Unidades Territoriales.", "20000.00", "0.00", ["1.1"]),
    (
        "Auditoría externa de mantenimiento de la certificación ISO 9001:2015 e ISO 37001:2016.",
        "25000.00",
        "0.00",
        ["3.15.1"],
    ),
    ("Auditoría externa de certificación de la NTP ISO/IEC 27001:2014.", "20000.00", "0.00", ["3.15.2"]),
    ("Servicios varios relacionados a la implementación de mejoras del SIG", "5000.00", "1200.00", []),
]

# §15 (version, date dd/mm/yyyy or None, justification, texts modified, responsible)
CHANGE_CONTROL = [
    (1, None, "Elaboración inicial del documento", "", "UPPM-CMG"),
    (2, "12/03/2020", "Actualización", "Informe 043-2020-MIDIS/PNADP-UPPM-CMG", "UPPM-CMG"),
    (2, "02/08/2020", "Actualización", "Informe 114-2020-MIDIS/PNADP-UPPM-CMG", "UPPM-CMG"),
]

OBJECTIVE_2020 = (
    "Establecer las actividades para la planificación, mantenimiento y mejora del Sistema de Gestión de la Calidad "
    "(SGC) y Antisoborno (SGAS) basado en las normas ISO 9001:2015 e ISO 37001:2016, así como implementar el Sistema "
    "de Gestión de Seguridad de la Información (SGSI) en el marco de la norma NTP ISO/IEC 27001:2014, en el Programa "
    "Nacional de Apoyo Directo a los Más Pobres “JUNTOS”."
)
SCOPE_2020 = (
    "El presente Plan aplica a todos los procesos involucrados en el alcance del Sistema de Gestión de la Calidad y "
    "Antisoborno (Cuadro N.º 01). Asimismo, contempla las acciones para implementar y certificar el SGSI basado en la "
    "norma NTP ISO/IEC 27001:2014."
)

# Anexo 02 (Gantt de implementación del SGSI) is an image missing from the seed text: these
# steps are inferred from ISO/IEC 27001 and marked as demo data.
ISMS_ACTIVITIES = [
    ("S.1", "Definición del alcance del SGSI (Liquidación y transferencia, Sede Central)", (3, 4)),
    ("S.2", "Inventario y valoración de activos de información", (4, 6)),
    ("S.3", "Evaluación y tratamiento de riesgos de seguridad de la información", (6, 8)),
    ("S.4", "Declaración de Aplicabilidad (Anexo A)", (8, 9)),
    ("S.5", "Políticas y procedimientos del SGSI", (6, 10)),
    ("S.6", "Auditoría interna del SGSI", (10, 10)),
    ("S.7", "Auditoría de certificación ISO/IEC 27001", (11, 12)),
]
