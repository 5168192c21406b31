"""Re-key the chain (SHA-256 → HMAC-SHA256 under SIG_AUDIT_KEY, with the sequence number in the
hashed content) and make the table append-only in the database.

The existing chain is verified with the old, unkeyed algorithm first: a broken trail is never
re-keyed (the migration stops, naming the first broken entry, so that nobody launders a
tampered trail by upgrading). Then every entry is re-hashed in id order, and the triggers that
refuse UPDATE and DELETE are installed (audit.guard)."""

import hashlib
import json

from django.db import migrations

GENESIS = "0" * 64


def _legacy_hash(row):
    (_id, timestamp, actor, label, action, otype, oid, orepr, site, changes, ip, prev) = row
    payload = {
        "timestamp": timestamp.isoformat(),
        "actor": actor,
        "actor_label": label,
        "action": action,
        "object_type": otype,
        "object_id": oid,
        "object_repr": orepr,
        "site": site,
        "changes": changes,
        "ip": ip,
        "prev": prev,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def rekey(apps, schema_editor):
    from audit.chain import CHAIN_FIELDS, audit_key, entry_hash

    Event = apps.get_model("audit", "AuditEvent")
    Head = apps.get_model("audit", "AuditChainHead")
    rows = list(Event.objects.order_by("id").values_list(*CHAIN_FIELDS, "hash"))
    prev = GENESIS
    for row in rows:
        if row[-2] != prev or _legacy_hash(row[:-1]) != row[-1]:
            raise RuntimeError(
                f"audit trail broken at entry #{row[0]}: it is not re-keyed. Investigate with the previous "
                "release's `./sig verify-audit` before upgrading."
            )
        prev = row[-1]
    key, prev = audit_key(), GENESIS
    for row in rows:
        new = entry_hash(key, (*row[:-2], prev))
        Event.objects.filter(id=row[0]).update(prev_hash=prev, hash=new)
        prev = new
    if rows:
        Head.objects.update_or_create(pk=1, defaults={"last_id": rows[-1][0], "last_hash": prev})


def guard(apps, schema_editor):
    from audit import guard as audit_guard

    audit_guard.install(schema_editor.connection)


def unguard(apps, schema_editor):
    from audit import guard as audit_guard

    audit_guard.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(rekey),
        migrations.RunPython(guard, unguard),
    ]
