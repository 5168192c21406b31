import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from core.notifications import notify


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_queued_notification_is_delivered_by_the_database_worker(mailoutbox):
    from django_tasks_db.models import DBTaskResult

    call_command("load_demo", verbosity=0)  # the areas' demo workflows queue their own notices
    DBTaskResult.objects.all().delete()
    notify(User.objects.filter(username__in=["cmg", "uppm"]), "Prueba", "Cuerpo")
    assert DBTaskResult.objects.count() == 1
    assert mailoutbox == []
    call_command("db_worker", batch=True, queue_name="*", verbosity=0, startup_delay=False, reload=False)
    # One message per person: nobody sees who else received it.
    assert sorted(m.to for m in mailoutbox) == [["cmg@juntos.example"], ["uppm@juntos.example"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
def test_nothing_is_sent_to_inactive_users_or_users_without_email(mailoutbox, django_capture_on_commit_callbacks):
    u1 = User.objects.create(username="noemail")
    u2 = User.objects.create(username="gone", email="gone@x.example", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify([u1, u2], "s", "b")
    assert mailoutbox == []
