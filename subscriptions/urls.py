from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.follow, name="follow"),
    path("bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("mina/", views.manage_link, name="manage_link"),
    path("mina/<str:token>/", views.manage, name="manage"),
    path("avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
