"""What every process that serves the site or runs its jobs checks before it starts."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key(**_signal_kwargs) -> None:
    """Without a secret, sessions and the links in e-mails cannot be signed: refuse to start
    rather than fail on the first request or the first e-mail."""
    try:
        settings.SECRET_KEY  # noqa: B018 (Django raises here when it is empty)
    except ImproperlyConfigured:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from None
