"""The build's speed-ups (issue 10) must not change the data: the tiny dataset, generated at a
fixed moment, has the same rows as before them, table by table (a digest of every generated row's
columns, recorded from the generators as they were), its audit chain verifies and the search index
answers what the plain text search answers."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from audit.services import verify_chain
from bench.context import SIZES
from bench.dataset import generate_all
from bench.registry import discover
from documents import fts
from documents.models import Document

FIXED_NOW = datetime.datetime(2026, 6, 15, 14, 30, tzinfo=datetime.UTC)
# Per table: (generated rows, digest of their columns in id order), as the generators wrote them
# before the build was made faster. Only rows the generators added (id above the demo's).
EXPECTED: dict[str, tuple[int, str]] = {
    "accounts_roleassignment": (78, "8d2d05ba8f007aa54d624b7d32459a37df3bc3a20290bc669b699019042121a4"),
    "accounts_user": (66, "36b6519dc7442b8eb3258ddde9981bcc31a111c82f3b1d4add974e62ea7e8b64"),
    "actions_actionitem": (5287, "611c1889f8fddb86d1c37463ca4deb228807db6e8093328fc16b1788504f9c12"),
    "audit_auditevent": (400, "9dd03312c6d0bb8a08106e158165622412871bcf92d938cb66e61f533e2beb19"),
    "audits_audit": (23, "b06f11ab24b075830cb4c21d74ef7b93f3088cef42ef220e9ebb681a07766506"),
    "audits_audit_criteria": (30, "df5b12cfc532c76728bb0b8f8f4c468a014f4118b04b9c89407445ae6780571c"),
    "audits_audit_sites": (25, "2a3fe4e88a9dc5453104711fe491fac41c6d831e25f76f782ea1cdbd4d0dc8b0"),
    "audits_audit_team": (1, "897f2d716054060f2ca982c2c33a131f2ed181cfdbc18aa021ec38d1f82b9248"),
    "audits_auditprogramme": (1, "095beb80ad6cdbfc0bb1efebf1b526fd23cdcba54fd75627fe562e1f4c235458"),
    "audits_checklistquestion": (30, "b8d1981166325eb425aaace3e569f39a1f38c24b241c91ce8f610b760d9cdfa9"),
    "audits_checklistquestion_requirements": (30, "9e3f03186b573d72da86744b84884c395abbdc0e686362d8fee252fcc5d6eb0e"),
    "audits_finding": (106, "fad8ee768b801974f691e2ac3421cb32a9aecd6f6c4992f0e4ba256e402ae0a4"),
    "audits_finding_requirements": (235, "ea307e47b148be5080c105f38e7fe3eb6b7076bb5c5384f75704c502f9cba761"),
    "committee_agendaitem": (30, "434c1b47613db37a585187dba35605dbb85e5bcbbf90f83cd0324f105b7df8ef"),
    "committee_session": (10, "eadade01ff5b42e90dea57ed451d21a945c423cdc98d32f63b32b57dfa386324"),
    "committee_session_attendees": (46, "d4f8705e8ab0c11653117ea52e7132f33319b15de1a7301ee5f04c52501c9b1e"),
    "documents_changeentry": (634, "9d2bb33e0a1b6754d2fce0e482a2ecb1765d926eb1064d91a84e50a77cca6bc6"),
    "documents_codesequence": (151, "226b60384102e7f9d79b3027eda0bee9269691714e85013acead46a3f0131973"),
    "documents_document": (200, "fff756dbff64bec91caeaf45d868fb5dfe8f66f05cdb0a1d834c1717f89a781d"),
    "documents_document_distribution_units": (64, "5a9310dde13dccdb67b70ff72f409f3190f67fd1b03507e7b94e55ba0ece91a8"),
    "documents_document_requirements": (187, "334014f858c2dbe6609c7b8136360e359d2d1161442ee887f67bbc2c73c3202e"),
    "documents_document_systems": (293, "eea4409abf0d84691bb829315227a17f74f121c9b35306b94302abc6e6b17325"),
    "documents_documentversion": (600, "54a23392d4500695ce52e7a9b72a67122494c3001b18b059de4c6ef1289e1544"),
    "documents_documentversion_endorsing_units": (
        108,
        "1445e48fb091da7c5bef2d095dc8dffdef344db15cb307d47694220faae07899",
    ),
    "documents_workflowstep": (2393, "512d2dfc6007e0b84b0158d510aecbea585f350bbb3e25b4e71808268ce5334f"),
    "evidence_evidencelink": (270, "538c7d20da37a856b1b9e98f68172e1823ac0ecc21cc8184a80a11e9dcf612fd"),
    "integrity_businesspartner": (100, "f8437eac5906354d6f147757fe5669a7e76f51543de1efb259f2f8a2675e895b"),
    "integrity_duediligence": (500, "5710a843e04ac7cd532f0a65d1ab91beafff714b7c7204145c650b90fab79a76"),
    "nonconformities_nonconformity": (2000, "1416421a2c0783e7336cedf0ff5161ba3266ac244c8a46c91f336dd1689998fe"),
    "organization_orgunit": (22, "4339f419119e1928b1e2f7aa3ed8edbcf41105281588e113e107c8e612c80ff7"),
    "plans_activity": (335, "70fec4a1a182e80a1f7755115cfcdd087a5dea8e6c2ecf6fdf45ff5a0cd96d2c"),
    "plans_activity_depends_on": (77, "4c399775047c8d21ab8e37dea3716aaf76ecd5993bde71c385e60c63b9810010"),
    "plans_activity_sites": (1810, "1bf8038c96f0a69f71068d3465d5a4e7aff447edcd35afd8a8cf644e54985bd3"),
    "plans_budgettask": (18, "bebe2ec4dc556559014fc3bf07281d01617fac11f28da5edb3ecf208c1d1ea17"),
    "plans_budgettask_activities": (30, "6476227505984f5a40d3ceb3f9d38059088e618cee793bf0b37fba0cf40cc4c3"),
    "plans_changerequest": (6, "3cd2287f9cbad00f9ea1ddeb6369ab51f9de5327845ff4d5ce25cda78f2df9f1"),
    "plans_changerequest_affected_activities": (14, "bc0a548ed68046fdd9fb8df2c26101c7d1760f0cc0bcd8c0b020b55b68addd45"),
    "plans_plan": (4, "1a60de9ebc6f398ad3668fe776caba036f6907b3846199c9aed5142db2c3c331"),
    "plans_plan_legal_basis": (60, "c1c257a34bde5f102d465bfdb7550546c704bbcf8b68f512fb2a7e9776fa2c72"),
    "plans_planchangeentry": (8, "43d072571d918143ce99b5e242ecb0375ad730def66c99c7b25778122828e0b8"),
    "plans_planresponsibility": (24, "b42ca22ada34486433fbbe15b6fd465798bd1cf8a161317865411a7623b8ab77"),
    "plans_planversion": (8, "75219a83941a3cf572d7659b1c583bb9f0f6bfad10e646e91e2d555e497a8ea4"),
    "plans_product": (618, "5b9a268d4134091e2d7dc309de2f9f13b0eb07e79752f260f3cf5e3556feab2c"),
    "plans_product_activities": (618, "8c0573e39068d3c531a1fe55ce96942807e6645ab45f06882f15b7054558ebcf"),
    "plans_stage": (12, "f40c63722bd9e5feae34a3038692455ba532b01047aff6bfd31a479340fee925"),
    "risks_evaluation": (2000, "657b3aff8016e7399a1541ca30dd6826b43cd8d00ec0bcd3895079b3b0f4e3e0"),
    "risks_risk": (500, "ae8a99255365b1ef532b529fccee31d94a08d08aadd16b5df3a3e41863b76b83"),
}
# Not fixed by the frozen clock: a fresh salt per unusable password, hashes under the test
# session's own key, and a risk evaluation's date (the model's default, datetime.date.today).
UNSTABLE = {"password", "hash", "prev_hash", "evaluated_on"}


def _pk_tables() -> list[Any]:
    existing = set(connection.introspection.table_names())
    out = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in existing:
            continue
        if meta.pk.get_internal_type() not in {"AutoField", "BigAutoField"}:
            continue
        out.append(model)
    return sorted(out, key=lambda m: m._meta.db_table)


def _max_ids(models: list[Any]) -> dict[str, int]:
    out = {}
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - the model's own table
            out[model._meta.db_table] = int(cursor.fetchone()[0] or 0)
    return out


def _digests(models: list[Any], after: dict[str, int]) -> dict[str, tuple[int, str]]:
    out = {}
    with connection.cursor() as cursor:
        for model in models:
            meta = model._meta
            columns = sorted(str(f.column) for f in meta.concrete_fields if f.column not in UNSTABLE)
            cursor.execute(
                "SELECT {} FROM {} WHERE id > %s ORDER BY id".format(  # noqa: S608 - the model's own names
                    ", ".join(connection.ops.quote_name(c) for c in columns), connection.ops.quote_name(meta.db_table)
                ),
                [after[meta.db_table]],
            )
            rows = cursor.fetchall()
            if not rows:
                continue
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(str(v) for v in row)).encode())
            out[meta.db_table] = (len(rows), digest.hexdigest())
    return out


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime.datetime:
    monkeypatch.setattr(timezone, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.mark.skipif(connection.vendor != "sqlite", reason="ids come from sequences other tests advance on PostgreSQL")
def test_the_tiny_dataset_is_the_same_row_for_row(db: Any, frozen: datetime.datetime) -> None:
    models = _pk_tables()
    before = _max_ids(models)
    generate_all(SIZES["tiny"], discover(), log=lambda message: None)
    got = _digests(models, before)
    assert got == EXPECTED


def test_the_tiny_dataset_verifies_and_its_search_index_matches_the_text(db: Any, frozen: datetime.datetime) -> None:
    created = generate_all(SIZES["tiny"], discover(), log=lambda message: None)
    assert created["documents"] == 200
    assert created["document versions"] == 600
    result = verify_chain()
    assert result.ok, result.reason
    if fts.supported():
        for word in ("hogares", "friaje", "UT Cusco", "Procedimiento"):
            with connection.cursor() as cursor:
                cursor.execute(*fts.matching_ids_sql(word))
                indexed = {row[0] for row in cursor.fetchall()}
            plain = set(Document.objects.filter(search_text__contains=word).values_list("pk", flat=True)) | set(
                Document.objects.filter(title__contains=word).values_list("pk", flat=True)
            )
            assert indexed == plain, word
