"""Mail that leaves after the response, so how long a page takes tells nothing about it."""

import logging
from contextvars import ContextVar
from typing import Any

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)

# Messages waiting for the end of the current request; None outside a request.
_after_response: ContextVar[list[EmailMessage] | None] = ContextVar(
    "puente_mail_after_response", default=None
)


def mail_send_after_response(message: EmailMessage) -> None:
    """Send the message once the response has gone out, or now outside a request."""
    waiting = _after_response.get()
    if waiting is None:
        message.send()
    else:
        waiting.append(message)


def mail_queue_open(**kwargs: Any) -> None:
    """Start holding mail for the request that begins (request_started receiver)."""
    _after_response.set([])


def mail_queue_send(**kwargs: Any) -> None:
    """Send the mail held for the request whose response went out (request_finished)."""
    waiting = _after_response.get()
    _after_response.set(None)
    for message in waiting or []:
        try:
            message.send()
        except Exception:
            # The person already has their page; one failed delivery must not stop the rest.
            logger.exception("Sending the mail %r to %s failed", message.subject, message.to)
