"""Our own cross-walk from ISO/IEC 27001:2013 Annex A to the 2022 Annex A.

Rows are ``(code_2013, code_2022, relation)``. The relation describes the
2013 control relative to the 2022 one:

* ``equal``: same intent and reach;
* ``subset``: the 2013 control is one part of the (merged or wider) 2022 one;
* ``superset``: the 2013 control reaches further than the 2022 one;
* ``intersect``: they overlap, but each covers something the other does not.

Derived by us from what each control is about (our short titles in the
edition modules); it is not copied from any third-party mapping file. Every
2013 control appears at least once; every 2022 control appears at least once
except the ones with no 2013 predecessor, listed in ``NEW_IN_2022``.
"""

NEW_IN_2022: tuple[str, ...] = (
    "A.5.7",  # threat intelligence
    "A.5.23",  # cloud services
    "A.5.30",  # ICT readiness for continuity
    "A.7.4",  # physical security monitoring
    "A.8.9",  # configuration management
    "A.8.10",  # information deletion
    "A.8.11",  # data masking
    "A.8.12",  # data leakage prevention
    "A.8.16",  # monitoring activities
    "A.8.23",  # web filtering
    "A.8.28",  # secure coding
)

ANNEX_A_2013_TO_2022: list[tuple[str, str, str]] = [
    # A.5 policies: the 2022 policy control also absorbs the periodic review.
    ("A.5.1.1", "A.5.1", "equal"),
    ("A.5.1.2", "A.5.1", "subset"),
    # A.6 organisation
    ("A.6.1.1", "A.5.2", "equal"),
    ("A.6.1.2", "A.5.3", "equal"),
    ("A.6.1.3", "A.5.5", "equal"),
    ("A.6.1.4", "A.5.6", "equal"),
    ("A.6.1.5", "A.5.8", "equal"),
    # Mobile devices become one case of user endpoint devices.
    ("A.6.2.1", "A.8.1", "subset"),
    ("A.6.2.2", "A.6.7", "equal"),
    # A.7 people
    ("A.7.1.1", "A.6.1", "equal"),
    ("A.7.1.2", "A.6.2", "equal"),
    ("A.7.2.1", "A.5.4", "equal"),
    ("A.7.2.2", "A.6.3", "equal"),
    ("A.7.2.3", "A.6.4", "equal"),
    ("A.7.3.1", "A.6.5", "equal"),
    # A.8 assets: inventory and ownership merge; acceptable use and handling
    # merge; the three media controls merge into one storage-media control.
    ("A.8.1.1", "A.5.9", "subset"),
    ("A.8.1.2", "A.5.9", "subset"),
    ("A.8.1.3", "A.5.10", "subset"),
    ("A.8.1.4", "A.5.11", "equal"),
    ("A.8.2.1", "A.5.12", "equal"),
    ("A.8.2.2", "A.5.13", "equal"),
    ("A.8.2.3", "A.5.10", "subset"),
    ("A.8.3.1", "A.7.10", "subset"),
    ("A.8.3.2", "A.7.10", "subset"),
    ("A.8.3.3", "A.7.10", "subset"),
    # A.9 access control: policy + network access merge into access control;
    # provisioning, review and removal merge into access rights; credential
    # issue, user duties and password systems merge into authentication info.
    ("A.9.1.1", "A.5.15", "subset"),
    ("A.9.1.2", "A.5.15", "subset"),
    ("A.9.2.1", "A.5.16", "equal"),
    ("A.9.2.2", "A.5.18", "subset"),
    ("A.9.2.3", "A.8.2", "equal"),
    ("A.9.2.4", "A.5.17", "subset"),
    ("A.9.2.5", "A.5.18", "subset"),
    ("A.9.2.6", "A.5.18", "subset"),
    ("A.9.3.1", "A.5.17", "subset"),
    ("A.9.4.1", "A.8.3", "equal"),
    ("A.9.4.2", "A.8.5", "equal"),
    ("A.9.4.3", "A.5.17", "subset"),
    ("A.9.4.4", "A.8.18", "equal"),
    ("A.9.4.5", "A.8.4", "equal"),
    # A.10 cryptography: policy and key management merge.
    ("A.10.1.1", "A.8.24", "subset"),
    ("A.10.1.2", "A.8.24", "subset"),
    # A.11 physical: entry control and delivery areas merge into physical
    # entry. Asset removal is split between off-site assets and storage media.
    ("A.11.1.1", "A.7.1", "equal"),
    ("A.11.1.2", "A.7.2", "subset"),
    ("A.11.1.3", "A.7.3", "equal"),
    ("A.11.1.4", "A.7.5", "equal"),
    ("A.11.1.5", "A.7.6", "equal"),
    ("A.11.1.6", "A.7.2", "subset"),
    ("A.11.2.1", "A.7.8", "equal"),
    ("A.11.2.2", "A.7.11", "equal"),
    ("A.11.2.3", "A.7.12", "equal"),
    ("A.11.2.4", "A.7.13", "equal"),
    ("A.11.2.5", "A.7.9", "intersect"),
    ("A.11.2.5", "A.7.10", "intersect"),
    ("A.11.2.6", "A.7.9", "equal"),
    ("A.11.2.7", "A.7.14", "equal"),
    # Unattended equipment becomes part of user endpoint devices.
    ("A.11.2.8", "A.8.1", "subset"),
    ("A.11.2.9", "A.7.7", "equal"),
    # A.12 operations
    ("A.12.1.1", "A.5.37", "equal"),
    # 2013 operational change control also covered organisational and
    # business-process changes, while the 2022 control also absorbs system
    # change control from development: they only overlap.
    ("A.12.1.2", "A.8.32", "intersect"),
    ("A.12.1.3", "A.8.6", "equal"),
    # 2022 environment separation also absorbs the secure development
    # environment control (A.14.2.6).
    ("A.12.1.4", "A.8.31", "subset"),
    ("A.12.2.1", "A.8.7", "equal"),
    ("A.12.3.1", "A.8.13", "equal"),
    # The three logging controls merge into one.
    ("A.12.4.1", "A.8.15", "subset"),
    ("A.12.4.2", "A.8.15", "subset"),
    ("A.12.4.3", "A.8.15", "subset"),
    ("A.12.4.4", "A.8.17", "equal"),
    # Installing on production and limits on user installs merge.
    ("A.12.5.1", "A.8.19", "subset"),
    ("A.12.6.1", "A.8.8", "subset"),
    ("A.12.6.2", "A.8.19", "subset"),
    ("A.12.7.1", "A.8.34", "equal"),
    # A.13 communications: transfer rules, agreements and messaging merge.
    ("A.13.1.1", "A.8.20", "equal"),
    ("A.13.1.2", "A.8.21", "equal"),
    ("A.13.1.3", "A.8.22", "equal"),
    ("A.13.2.1", "A.5.14", "subset"),
    ("A.13.2.2", "A.5.14", "subset"),
    ("A.13.2.3", "A.5.14", "subset"),
    ("A.13.2.4", "A.6.6", "equal"),
    # A.14 development: the three requirements controls merge into
    # application security requirements; requirements of new systems also
    # overlap with security in projects.
    ("A.14.1.1", "A.8.26", "subset"),
    ("A.14.1.1", "A.5.8", "intersect"),
    ("A.14.1.2", "A.8.26", "subset"),
    ("A.14.1.3", "A.8.26", "subset"),
    ("A.14.2.1", "A.8.25", "equal"),
    # System, platform and package change controls merge into change
    # management.
    ("A.14.2.2", "A.8.32", "subset"),
    ("A.14.2.3", "A.8.32", "subset"),
    ("A.14.2.4", "A.8.32", "subset"),
    ("A.14.2.5", "A.8.27", "equal"),
    ("A.14.2.6", "A.8.31", "subset"),
    ("A.14.2.7", "A.8.30", "equal"),
    # Security testing and acceptance testing merge.
    ("A.14.2.8", "A.8.29", "subset"),
    ("A.14.2.9", "A.8.29", "subset"),
    ("A.14.3.1", "A.8.33", "equal"),
    # A.15 suppliers: monitoring and change of supplier services merge.
    ("A.15.1.1", "A.5.19", "equal"),
    ("A.15.1.2", "A.5.20", "equal"),
    ("A.15.1.3", "A.5.21", "equal"),
    ("A.15.2.1", "A.5.22", "subset"),
    ("A.15.2.2", "A.5.22", "subset"),
    # A.16 incidents: reporting events and weaknesses merge into a people
    # control.
    ("A.16.1.1", "A.5.24", "equal"),
    ("A.16.1.2", "A.6.8", "subset"),
    ("A.16.1.3", "A.6.8", "subset"),
    ("A.16.1.4", "A.5.25", "equal"),
    ("A.16.1.5", "A.5.26", "equal"),
    ("A.16.1.6", "A.5.27", "equal"),
    ("A.16.1.7", "A.5.28", "equal"),
    # A.17 continuity: plan, implement and test merge into one control.
    ("A.17.1.1", "A.5.29", "subset"),
    ("A.17.1.2", "A.5.29", "subset"),
    ("A.17.1.3", "A.5.29", "subset"),
    ("A.17.2.1", "A.8.14", "equal"),
    # A.18 compliance: legal obligations absorb the cryptography regulation
    # control; internal policy compliance absorbs technical compliance review,
    # whose technical testing side also overlaps vulnerability management.
    ("A.18.1.1", "A.5.31", "subset"),
    ("A.18.1.2", "A.5.32", "equal"),
    ("A.18.1.3", "A.5.33", "equal"),
    ("A.18.1.4", "A.5.34", "equal"),
    ("A.18.1.5", "A.5.31", "subset"),
    ("A.18.2.1", "A.5.35", "equal"),
    ("A.18.2.2", "A.5.36", "subset"),
    ("A.18.2.3", "A.5.36", "subset"),
    ("A.18.2.3", "A.8.8", "intersect"),
]
