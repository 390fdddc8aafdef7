from urllib.parse import unquote_plus

from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def without_empty_parameters(request):
    """A redirect (302) to the same address without the parameters that have no value, or
    None. A GET form sends every field, so `?status=&party=&q=` would otherwise be the address
    of every filtered list: bookmarks, shared links and the page cache see one address per
    filter instead. The others keep their order and spelling; a parameter given twice with one
    value empty (`?year=&year=2020`) stays, so it is still refused as asking two things."""
    if request.method not in ("GET", "HEAD") or not request.META.get("QUERY_STRING"):
        return None
    pieces = request.META["QUERY_STRING"].split("&")
    values = {}
    for piece in pieces:
        name, _, value = piece.partition("=")
        values.setdefault(unquote_plus(name), []).append(unquote_plus(value).strip())
    empty = {name for name, given in values.items() if not any(given)}
    if not empty:
        return None
    kept = [piece for piece in pieces if unquote_plus(piece.partition("=")[0]) not in empty]
    return HttpResponseRedirect(request.path + ("?" + "&".join(kept) if kept else ""))
