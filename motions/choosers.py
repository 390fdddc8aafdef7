"""Admin choosers ask the same rules as the rest of the admin: a user chooses among the records
their roles reach (`access.visible`), and without the right to edit a kind of record among
its published ones only, never its drafts, the rule every public channel asks."""

from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)

from . import access


def chooser_rows(request, model, objects):
    """The rows of `objects` a chooser offers the request's user."""
    objects = access.visible(request.user, objects)
    opts = model._meta
    if hasattr(objects, "published") and not request.user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    ):
        return objects.published()
    return objects


class _ListsReachable:
    def get_object_list(self):
        return chooser_rows(self.request, self.model_class, super().get_object_list())


class ReachableChooseView(_ListsReachable, ChooseView):
    pass


class ReachableChooseResultsView(_ListsReachable, ChooseResultsView):
    pass


class ReachableChosenView(SnippetChosenView):
    def get_object(self, pk):
        return chooser_rows(self.request, self.model_class, self.model_class.objects).get(pk=pk)


class ReachableChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ReachableChooseView
    choose_results_view_class = ReachableChooseResultsView
    chosen_view_class = ReachableChosenView
