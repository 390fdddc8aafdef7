"""The site's URLs plus a bare view: the ceiling `make bench` compares every page with."""

from django.http import HttpResponse
from django.urls import path

from .urls import handler404, handler500
from .urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bare__/", bare), *site_urlpatterns]
