"""One message sent: subject, plain text and HTML from a domain's mail/<name>.* templates, in the recipient's language.

Flask-Mailman delivers it by the MAIL_* settings: over SMTP when MAIL_SERVER is set, otherwise
(the embedded default, development) as a file in the instance folder's mail/, where whoever runs
the site can open it.
"""
from __future__ import annotations

import logging
import threading

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives

log = logging.getLogger(__name__)


def send(to: str, locale: str, template: str, **context) -> None:
    """Send mail/<template>.subject.txt, .txt and .html, rendered in ``locale``, to the address ``to``."""
    with force_locale(locale):
        # A subject is one line: a stray newline would start the message's headers over.
        subject = " ".join(render_template(f"mail/{template}.subject.txt", **context).split())
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_later(to: str, locale: str, template: str, **context) -> None:
    """send(), in a thread of its own, so the answer to the request does not wait for the mail server.

    Where timing would tell something (a reset asked for an address with or without an account),
    the page then answers as fast either way. A message the process dies before sending is lost:
    use it only for mail the person can ask for again.
    """
    app = current_app._get_current_object()

    def deliver() -> None:
        with app.app_context():
            try:
                send(to, locale, template, **context)
            except Exception:  # noqa: BLE001 - no request is left to fail; the log says what happened
                log.exception("could not send %s mail", template)

    threading.Thread(target=deliver, name=f"mail-{template}", daemon=True).start()
