"""OParl 1.1 at /oparl/v1.1/: the System at the root, every object and list below it.
The addresses are object ids, so they stay as they are (see the README). The project's
URLconf passes `body_of` (the municipality of the request's site) to every view."""

from django.urls import path, re_path

from . import views

app_name = "oparl"

urlpatterns = [
    path("", views.system, name="system"),
    path("body/", views.body_list, name="body-list"),
    path("body/<int:pk>/", views.body_detail, name="body"),
    path("body/<int:pk>/organization/", views.body_organizations, name="body-organization"),
    path("body/<int:pk>/person/", views.body_people, name="body-person"),
    path("body/<int:pk>/membership/", views.body_memberships, name="body-membership"),
    path("body/<int:pk>/meeting/", views.body_meetings, name="body-meeting"),
    path("body/<int:pk>/paper/", views.body_papers, name="body-paper"),
    path("body/<int:pk>/agendaitem/", views.body_agenda_items, name="body-agendaitem"),
    path("body/<int:pk>/consultation/", views.body_consultations, name="body-consultation"),
    path("body/<int:pk>/file/", views.body_files, name="body-file"),
    path("body/<int:pk>/legislativeterm/", views.body_terms, name="body-legislativeterm"),
    path("term/<int:pk>/", views.term_detail, name="term"),
    path("organ/<int:pk>/", views.organ_detail, name="organ"),
    path("party/<int:pk>/", views.party_detail, name="party"),
    path("person/<int:pk>/", views.person_detail, name="person"),
    path("membership/<int:pk>/", views.membership_detail, name="membership"),
    path("meeting/<int:pk>/", views.meeting_detail, name="meeting"),
    path("agendaitem/<int:pk>/", views.agenda_item_detail, name="agendaitem"),
    path("paper/<int:pk>/", views.paper_detail, name="paper"),
    path("consultation/referral/<int:pk>/", views.referral_detail, name="consultation-referral"),
    path("consultation/proposal/<int:pk>/", views.proposal_detail, name="consultation-proposal"),
    path("consultation/decision/<int:pk>/", views.decision_detail, name="consultation-decision"),
    path("file/<int:pk>/", views.file_detail, name="file"),
    # [\s\S]: a newline in the path (%0A) is an unknown address too, answered in JSON.
    re_path(r"^(?P<rest>[\s\S]*)$", views.unknown, name="unknown"),
]
