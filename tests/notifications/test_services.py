import pytest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from puente.accounts.services import personal_data_export
from puente.notifications.models import Kind, Notification, Preference
from puente.notifications.selectors import notification_text, notification_unread_count
from puente.notifications.services import notification_send, preference_set
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notification_send_tells_each_recipient_once_and_never_the_actor():
    actor, ana, ben = UserFactory(), UserFactory(), UserFactory()

    sent = notification_send(
        kind=Kind.MEMBERSHIP_DECIDED,
        recipients=[ana, ben, ana, actor],
        message=_("Your request to join %(organisation)s was approved."),
        params={"organisation": "CEPAL"},
        url="/organisations/cepal/",
        actor=actor,
    )

    assert sorted(n.recipient_id for n in sent) == sorted([ana.pk, ben.pk])
    assert Notification.objects.filter(recipient=actor).count() == 0
    assert notification_unread_count(person=ana) == 1


def test_notification_text_is_stored_in_english_and_read_in_the_active_language():
    ana = UserFactory()
    with override("es"):
        (notification,) = notification_send(
            kind=Kind.MEMBERSHIP_DECIDED,
            recipients=[ana],
            message=_("Your request to join %(organisation)s was approved."),
            params={"organisation": "<b>CEPAL</b>"},
        )
    notification.refresh_from_db()

    assert notification.message == "Your request to join %(organisation)s was approved."
    with override("en"):
        assert notification_text(notification) == (
            "Your request to join <b>CEPAL</b> was approved."
        )


def test_the_personal_data_export_holds_the_notifications_and_mail_settings():
    ana = UserFactory()
    notification_send(
        kind=Kind.MEMBERSHIP_DECIDED,
        recipients=[ana],
        message=_("Your request to join %(organisation)s was approved."),
        params={"organisation": "CEPAL"},
    )
    preference_set(person=ana, kind=Kind.REPLY, frequency=Preference.Frequency.NEVER)
    section = personal_data_export(person=ana)["notifications"]
    assert [row["text"] for row in section["notifications"]] == [
        "Your request to join CEPAL was approved."
    ]
    assert section["mail_frequencies"] == {"reply": "never"}
