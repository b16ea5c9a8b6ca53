from django.apps import AppConfig
from django.core import checks
from django.core.signals import request_finished, request_started
from django.db.backends.signals import connection_created

from .checks import site_url_check
from .mail import mail_queue_open, mail_queue_send
from .rows import timestamp_loader_install


class CoreConfig(AppConfig):
    name = "puente.core"

    def ready(self) -> None:
        checks.register(site_url_check)
        # The WSGI server fires request_finished when it closes the response, after the
        # client has the whole of it: held mail then leaves without delaying the page.
        request_started.connect(mail_queue_open, dispatch_uid="puente_mail_queue_open")
        request_finished.connect(mail_queue_send, dispatch_uid="puente_mail_queue_send")
        connection_created.connect(
            timestamp_loader_install, dispatch_uid="puente_timestamp_loader_install"
        )
