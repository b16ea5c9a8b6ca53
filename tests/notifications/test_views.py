from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from puente.notifications.models import Kind, Notification, Preference
from puente.notifications.services import notification_send
from puente.notifications.tokens import UNSUBSCRIBE_SALT, unsubscribe_token_make
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = _("%(person)s asks to join %(organisation)s.")


def _notify(person: Any, url: str = "/organisations/") -> list[Notification]:
    return notification_send(
        kind=Kind.MEMBERSHIP_REQUESTED,
        recipients=[person],
        message=MESSAGE,
        params={"person": "Ana", "organisation": "CEPAL"},
        url=url,
    )


def _signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_bell_names_the_unread_count() -> None:
    ana = UserFactory()
    for _i in range(3):
        _notify(ana)
    response = _signed_in(ana).get(reverse("notifications:preferences"))
    content = response.content.decode()
    assert 'aria-label="Notifications, 3 unread"' in content
    assert 'class="badge rounded-pill notification-count" aria-hidden="true">3<' in content


def test_the_menu_button_shows_the_unread_count_for_narrow_screens() -> None:
    # Below 1200 px the bell is inside the folded menu; the button that opens it shows
    # the count too, and says what it counts.
    ana = UserFactory()
    for _i in range(2):
        _notify(ana)
    content = _signed_in(ana).get(reverse("accounts:profile")).content.decode()
    button = content[content.index('class="navbar-toggler"') : content.index("</button>")]
    assert (
        '<span class="badge rounded-pill notification-count">2'
        '<span class="visually-hidden"> unread notifications</span></span>'
    ) in button

    spanish = (
        _signed_in(ana).get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    )
    assert '<span class="visually-hidden"> notificaciones sin leer</span>' in spanish

    read = _signed_in(UserFactory()).get(reverse("accounts:profile")).content.decode()
    button = read[read.index('class="navbar-toggler"') : read.index("</button>")]
    assert "notification-count" not in button


def test_the_bell_without_unread_says_notifications_only() -> None:
    content = _signed_in(UserFactory()).get(reverse("accounts:profile")).content.decode()
    assert 'aria-label="Notifications"' in content
    assert "notification-count" not in content


def test_the_notifications_page_lists_newest_first_with_unread_marked() -> None:
    ana = UserFactory()
    (old,) = _notify(ana)
    (new,) = _notify(ana)
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    response = _signed_in(ana).get(reverse("notifications:list"))
    assert response.status_code == 200
    assert "notifications/notification_list.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert content.index(reverse("notifications:open", args=[new.pk])) < content.index(
        reverse("notifications:open", args=[old.pk])
    )
    assert content.count("notification-unread") == 1
    assert "Ana asks to join CEPAL." in content


def test_the_notifications_page_costs_a_bounded_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    ana = UserFactory()
    for _i in range(30):
        _notify(ana)
    client = _signed_in(ana)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_its_address() -> None:
    ana = UserFactory()
    (notification,) = _notify(ana, url="/organisations/cepal/")
    response = _signed_in(ana).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/organisations/cepal/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_another_persons_notification() -> None:
    ana, ben = UserFactory(), UserFactory()
    (notification,) = _notify(ana)
    response = _signed_in(ben).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404


def test_mark_all_as_read() -> None:
    ana = UserFactory()
    _notify(ana)
    _notify(ana)
    response = _signed_in(ana).post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=ana, read_at__isnull=True).count() == 0


def test_the_pages_need_a_sign_in() -> None:
    for name in ["notifications:list", "notifications:preferences"]:
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_preferences_page_has_a_labelled_choice_per_kind_and_saves_them() -> None:
    ana = UserFactory()
    client = _signed_in(ana)
    content = client.get(reverse("notifications:preferences")).content.decode()
    for kind in Kind:
        assert f'<label class="form-label" for="id_{kind.value}">' in content
    data = {kind.value: Preference.Frequency.IMMEDIATELY.value for kind in Kind}
    data[Kind.REPLY.value] = Preference.Frequency.WEEKLY.value
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert Preference.objects.get(person=ana, kind=Kind.REPLY).frequency == "weekly"


def test_a_bad_frequency_is_a_field_error_and_nothing_is_saved() -> None:
    ana = UserFactory()
    data = {kind.value: "daily" for kind in Kind}
    data[Kind.REPLY.value] = "hourly"
    response = _signed_in(ana).post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert 'id="id_reply_error"' in response.content.decode()
    assert not Preference.objects.filter(person=ana).exists()


def test_the_profile_links_to_the_notification_settings() -> None:
    content = _signed_in(UserFactory()).get(reverse("accounts:profile")).content.decode()
    assert reverse("notifications:preferences") in content


def test_unsubscribe_works_signed_out_get_asks_and_post_stops() -> None:
    ana = UserFactory()
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token_make(ana, [Kind.REPLY])])
    client = Client(enforce_csrf_checks=True)
    response = client.get(url)
    assert response.status_code == 200
    assert not Preference.objects.filter(person=ana).exists()
    # The one-click POST of RFC 8058: no session, no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(person=ana, kind=Kind.REPLY).frequency == "never"


def test_a_tampered_unsubscribe_token_is_a_400_page() -> None:
    ana = UserFactory()
    token = unsubscribe_token_make(ana, [Kind.REPLY])
    for bad in [token[:-2] + "xx", "nonsense", signing.dumps({"p": ana.pk, "k": ["reply"]})]:
        for method in ("get", "post"):
            response = getattr(Client(), method)(reverse("notifications:unsubscribe", args=[bad]))
            assert response.status_code == 400
    forged_kind = signing.dumps({"p": ana.pk, "k": ["everything"]}, salt=UNSUBSCRIBE_SALT)
    response = Client().post(reverse("notifications:unsubscribe", args=[forged_kind]))
    assert response.status_code == 400
    assert not Preference.objects.filter(person=ana).exists()
