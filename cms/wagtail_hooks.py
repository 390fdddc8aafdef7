from wagtail import hooks

from motions.forms import log_personal_ids_checked


@hooks.register("after_create_page")
def log_confirmed_personal_ids(request, page):
    """A new page's confirmation that its flagged text holds no personal identity number: the
    form could not log it, the page had no id yet (cms.forms.PublicPageForm)."""
    if fields := getattr(page, "personal_ids_confirmed", None):
        log_personal_ids_checked(page, user=request.user, fields=fields)
