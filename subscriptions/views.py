"""Follow, confirm, manage and unsubscribe. No accounts: signed links are the credentials.

The follow form is CSRF-exempt on purpose: it is embedded in pages cached for anonymous
visitors, it only ever sends a confirmation mail, and it is rate-limited. The unsubscribe
URL must accept a bare POST from a mail client (RFC 8058).

The follow form and the "lost link" form answer the same, with the same database writes,
for an address we know and one we do not: they only queue the mail (services), and the
worker decides whether to send it. With no broker (`make demo`) the task runs in-process as
the request commits, so there the timing differs; that is the development mode."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import get_script_prefix
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import registry, services, throttle
from .forms import FollowForm, ManageLinkForm

# Per client address and per e-mail address, in a sliding window of an hour, counted in the
# database so that every web process sees the same count.
LIMIT_PER_CLIENT = 20
LIMIT_PER_EMAIL = 5
WINDOW = 3600

LINK_MESSAGES = {
    "invalid": (
        400,
        gettext_lazy("The link is not valid"),
        gettext_lazy("The link is incomplete or has been changed. Nothing was changed."),
    ),
    "expired": (
        410,
        gettext_lazy("The link has expired"),
        gettext_lazy(
            "Confirmation links work for three days. Nothing was changed: follow again to get a new link."
        ),
    ),
    "used": (
        410,
        gettext_lazy("The link has already been used"),
        gettext_lazy("Nothing was changed."),
    ),
}


def _message(request, heading: str, text: str, *, status: int = 200, link=None):
    return render(
        request,
        "subscriptions/message.html",
        {"heading": heading, "text": text, "link": link},
        status=status,
    )


def _link_error(request, error: services.LinkError):
    status, heading, text = LINK_MESSAGES[error.reason]
    return _message(request, heading, text, status=status)


def _too_many(request):
    return _message(
        request,
        _("Too many requests"),
        _(
            "We have received many requests from you or for this address. Please try again in an hour."
        ),
        status=429,
    )


def _client_allowed(request) -> bool:
    return throttle.allow(
        "client", throttle.client_ip(request), limit=LIMIT_PER_CLIENT, window=WINDOW
    )


def _shown_target(request, key: str):
    """The record `key` names, if this site publishes it (a municipality's site, its own)."""
    target = services.target_resolve(key)
    return target if target is not None and registry.shown(request, target) else None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow(request):
    if request.method == "GET":
        form = FollowForm(initial={"target": request.GET.get("target", "")})
        target = _shown_target(request, request.GET.get("target", ""))
        return render(request, "subscriptions/follow_page.html", {"form": form, "target": target})
    if not _client_allowed(request):
        return _too_many(request)
    form = FollowForm(request.POST, request=request)
    if not form.is_valid():
        target = _shown_target(request, request.POST.get("target", ""))
        return render(
            request, "subscriptions/follow_page.html", {"form": form, "target": target}, status=400
        )
    email = form.cleaned_data["email"].strip().lower()
    if not throttle.allow("email", email, limit=LIMIT_PER_EMAIL, window=WINDOW):
        return _too_many(request)
    services.follow_request(
        email=email, target=form.cleaned_data["target"], frequency=form.cleaned_data["frequency"]
    )
    return _message(
        request,
        _("Check your e-mail"),
        _(
            "We have sent a link to %(email)s. Open it within three days to start following %(target)s."
        )
        % {"email": email, "target": form.cleaned_data["target"]},
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    try:
        subscription = services.subscription_from_confirm_token(token)
        if subscription.target is None or not registry.shown(request, subscription.target):
            raise Http404  # a link to another municipality's site, opened on this one
        if request.method == "POST":
            subscription = services.subscription_confirm(token=token)
    except services.LinkError as error:
        return _link_error(request, error)
    if request.method == "GET":
        return render(request, "subscriptions/confirm.html", {"subscription": subscription})
    return _message(
        request,
        _("You are now following %(target)s") % {"target": subscription.target},
        _("Every e-mail we send has a link to stop following."),
        link=(
            services.manage_url(subscription.subscriber, base=_this_site(request)),
            _("See all you follow"),
        ),
    )


def _this_site(request) -> str:
    """The root of the site serving `request` ("/boras" on the path fallback, no slash)."""
    return request.build_absolute_uri(get_script_prefix()).rstrip("/")


def _manage_link_form(request, form, *, status: int = 200, expired: bool = False):
    context = {
        "form": form,
        "expired": expired,
        "max_age_days": services.manage_link_max_age().days,
    }
    return render(request, "subscriptions/manage_link.html", context, status=status)


@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    try:
        subscriber = services.subscriber_from_manage_token(token)
    except services.LinkError as error:
        if error.reason == "expired":
            return _manage_link_form(request, ManageLinkForm(), status=410, expired=True)
        return _link_error(request, error)
    if request.method == "POST":
        if request.POST.get("action") == "forget":
            services.subscriber_forget(subscriber=subscriber)
            return _message(
                request, _("Everything about you is deleted"), _("We no longer keep your address.")
            )
        subscription_id = services.record_id(request.POST.get("subscription", ""))
        if subscription_id is not None:
            services.subscription_delete(subscriber=subscriber, subscription_id=subscription_id)
        if not type(subscriber).objects.filter(pk=subscriber.pk).exists():
            return _message(
                request,
                _("You follow nothing any more"),
                _("Your address was deleted with your last subscription."),
            )
        return redirect(request.path)
    subscriptions = subscriber.subscriptions.prefetch_related("target")
    return render(
        request,
        "subscriptions/manage.html",
        {"subscriber": subscriber, "subscriptions": subscriptions},
    )


@require_http_methods(["GET", "POST"])
def manage_link(request):
    if request.method == "GET":
        return _manage_link_form(request, ManageLinkForm())
    if not _client_allowed(request):
        return _too_many(request)
    form = ManageLinkForm(request.POST)
    if not form.is_valid():
        return _manage_link_form(request, form, status=400)
    email = form.cleaned_data["email"].strip().lower()
    if not throttle.allow("email", email, limit=LIMIT_PER_EMAIL, window=WINDOW):
        return _too_many(request)
    services.manage_link_request(email=email)
    return _message(
        request,
        _("Check your e-mail"),
        _("If %(email)s follows anything here, we have sent it a link to your subscriptions.")
        % {"email": email},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (mail scanners follow links); POST, from the page or a mail client's
    one-click button, deletes the address and all its follows. The link never expires."""
    try:
        subscriber = services.subscriber_from_unsubscribe_token(token)
    except services.LinkError as error:
        return _link_error(request, error)
    if request.method == "GET":
        return render(request, "subscriptions/unsubscribe.html", {"subscriber": subscriber})
    services.subscriber_forget(subscriber=subscriber)
    return _message(
        request,
        _("You will get no more e-mail from us"),
        _("Your address and everything you followed are deleted."),
    )
