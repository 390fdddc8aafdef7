"""Edit-view panels: a motion's deadline, lifecycle actions and event log; a decision's legal effect."""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import Panel

from . import steps
from .deadlines import decision_legal_effect, motion_deadline_status
from .lifecycle_forms import ACTIONS
from .models import Motion


class LifecyclePanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "motions/admin/lifecycle_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if not self.instance.pk:
                return context | {"motion": None}
            # Read again: the edit view's instance may be built from an older draft revision.
            motion = Motion.objects.select_related("body", "raised_at__organ").get(
                pk=self.instance.pk
            )
            situation = steps.situation_of(motion)
            possible = steps.possible_steps(situation)
            likely = steps.likely_next(situation, possible)
            context.update(
                motion=motion,
                flags=motion_deadline_status(motion, today=timezone.localdate()),
                referrals=motion.referrals.select_related("organ"),
                events=motion.events.select_related("meeting__organ", "organ", "decision", "user"),
                # Only for those who may take them: an auditor reads the motion, changes nothing.
                may_change=self.request.user.has_perm("motions.change_motion"),
                actions=[
                    {
                        "key": key,
                        "label": ACTIONS[key].label,
                        "url": reverse("motions_action", args=[motion.pk, key]),
                        "likely": key == likely,
                    }
                    for key in possible
                ],
            )
            return context


class LegalEffectPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "motions/admin/legal_effect_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            decision = self.instance
            if not decision.pk or not decision.meeting_id:
                return context | {"effect": None}
            context.update(
                effect=decision_legal_effect(decision, today=timezone.localdate()),
                appeals=list(decision.appeals.all()),
                appeal_add_url=reverse("wagtailsnippets_motions_appeal:add")
                + f"?decision={decision.pk}",
            )
            return context
