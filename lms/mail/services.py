"""One message sent: subject, plain text and HTML from a domain's mail/<name>.* templates, in the recipient's language.

Flask-Mailman delivers it by the MAIL_* settings: over SMTP when MAIL_SERVER is set, otherwise
(the embedded default, development) as a file in the instance folder's mail/, where whoever runs
the site can open it.
"""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives


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
