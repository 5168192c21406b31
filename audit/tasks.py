"""Background jobs of the audit trail (run by `manage.py db_worker`)."""

from django_tasks import task

from audit.anchors import write_anchor


@task()
def anchor_audit_head() -> int:
    """Anchor the head of the chain outside the database (nothing when it has not moved)."""
    anchor = write_anchor("worker", only_if_moved=True)
    return anchor.seq if anchor else -1
