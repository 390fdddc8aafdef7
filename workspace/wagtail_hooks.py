from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from motions.access import reach

from . import views


@hooks.register("register_admin_urls")
def workspace_admin_urls():
    return [
        path("workspace/", views.workspace_index, name="workspace_index"),
        path("workspace/watch/", views.watch_add, name="workspace_watch_add"),
        path("workspace/watch/<int:pk>/remove/", views.watch_remove, name="workspace_watch_remove"),
    ]


class WorkspaceMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(reach(request.user).parties)


@hooks.register("register_admin_menu_item")
def workspace_menu_item():
    return WorkspaceMenuItem(
        _("Workspace"), reverse("workspace_index"), icon_name="clipboard-list", order=150
    )
