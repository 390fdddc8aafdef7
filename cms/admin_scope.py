"""Site settings in the admin, scoped like every record (README "Roles").

A municipality's site is a Wagtail Site whose root page is a `HomePage` with that `body`.
Wagtail lets anyone with `cms.change_sitesettings` open every site's settings; here a
secretariat opens only its own municipality's sites (a site of no municipality, such as a
regional portal, is for superusers). Imported from `CmsConfig.ready()`, after Wagtail's
settings registry, so this policy replaces the one Wagtail registered for the model.
"""

from wagtail.models import Site
from wagtail.permission_policies.sites import SitePermissionPolicy
from wagtail.permissions import register_permission_policy

from motions import access

from .models import HomePage, SiteSettings


def sites_of_bodies(body_ids):
    homes = HomePage.objects.filter(body_id__in=body_ids).values("pk")
    return Site.objects.filter(root_page_id__in=homes)


class MunicipalSitePermissionPolicy(SitePermissionPolicy):
    """Wagtail's site setting permissions, on the sites of the user's own municipalities."""

    def _reached_sites(self, user):
        you = access.reach(user)
        return None if you.everything else sites_of_bodies(you.bodies)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        reached = self._reached_sites(user)
        site_id = instance.pk if isinstance(instance, Site) else instance.site_id
        return reached is None or reached.filter(pk=site_id).exists()

    def sites_user_has_any_permission_for(self, user, actions):
        sites = super().sites_user_has_any_permission_for(user, actions)
        reached = self._reached_sites(user)
        return sites if reached is None else sites.filter(pk__in=reached.values("pk"))


register_permission_policy(SiteSettings, MunicipalSitePermissionPolicy(SiteSettings))
