import logging
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from puente.core.mail import mail_queue_open, mail_queue_send, mail_send_after_response


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages: object) -> int:
        raise SMTPException("refused")


def _message(subject: str, connection: BaseEmailBackend | None = None) -> EmailMessage:
    return EmailMessage(subject, "body", to=["someone@example.org"], connection=connection)


def test_outside_a_request_mail_leaves_at_once():
    mail_send_after_response(_message("Now"))
    assert [message.subject for message in mail.outbox] == ["Now"]


def test_in_a_request_mail_waits_for_the_response_to_go_out():
    mail_queue_open()
    mail_send_after_response(_message("First"))
    mail_send_after_response(_message("Second"))
    assert mail.outbox == []
    mail_queue_send()
    assert [message.subject for message in mail.outbox] == ["First", "Second"]
    mail_queue_send()
    assert len(mail.outbox) == 2, "each message leaves once"


def test_a_refused_mail_is_logged_and_the_others_still_leave(caplog: pytest.LogCaptureFixture):
    mail_queue_open()
    mail_send_after_response(_message("Refused", connection=RefusingBackend()))
    mail_send_after_response(_message("Delivered"))
    with caplog.at_level(logging.ERROR, logger="puente.core.mail"):
        mail_queue_send()
    assert [message.subject for message in mail.outbox] == ["Delivered"]
    assert "Refused" in caplog.text
