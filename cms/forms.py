"""The page editor's form: what a page publishes is checked for personal identity numbers,
as the records' forms are (motions.forms.PublicRecordForm)."""

from wagtail.admin.forms import WagtailAdminPageForm

from motions.forms import PublicRecordForm


class PublicPageForm(PublicRecordForm, WagtailAdminPageForm):
    def _publishes(self) -> bool:
        """Publish pressed by someone who may publish this page (or, for a new page, publish
        under its parent); otherwise Wagtail saves a draft, which nobody outside sees."""
        if not (self.data.get("action-publish") and self.for_user):
            return False
        if self.instance.pk:
            return self.instance.permissions_for_user(self.for_user).can_publish()
        return self.parent_page.permissions_for_user(self.for_user).can_publish_subpage()
