"""Django configured with no database and no apps, because xblock.utils imports and renders with it."""
from __future__ import annotations

import django
from django.conf import settings


def configure_django() -> None:
    """Configure Django once per process; XBlock's studio helpers need its template engine."""
    if settings.configured:
        return
    settings.configure(
        INSTALLED_APPS=[],
        DATABASES={},
        USE_I18N=True,
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": False}],
    )
    django.setup()
