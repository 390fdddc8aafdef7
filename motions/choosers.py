"""Admin choosers ask the same publication rule as every public channel: a user without the
right to edit a kind of record chooses among its published ones only, never its drafts."""

from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)


def _visible(request, model, objects):
    opts = model._meta
    if request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return objects
    return objects.published()


class _ListsPublished:
    def get_object_list(self):
        return _visible(self.request, self.model_class, super().get_object_list())


class PublishedChooseView(_ListsPublished, ChooseView):
    pass


class PublishedChooseResultsView(_ListsPublished, ChooseResultsView):
    pass


class PublishedChosenView(SnippetChosenView):
    def get_object(self, pk):
        return _visible(self.request, self.model_class, self.model_class.objects).get(pk=pk)


class PublishedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = PublishedChooseView
    choose_results_view_class = PublishedChooseResultsView
    chosen_view_class = PublishedChosenView
