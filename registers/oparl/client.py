"""A small, guarded HTTP client for reading an OParl server.

It follows only http(s) URLs on the System's own host (scheme, host and port): an OParl
server lists its bodies, lists and objects under its own address, and the objects that may
name other hosts (`File.accessUrl`, `Organization.externalBody`, a consultation's organ in
another system) are never fetched, only kept as ids. This is the SSRF fence for when the
import runs from the admin: a server cannot make us fetch anything elsewhere. Every request
has a timeout, a total deadline and a response size cap; redirects are followed by hand and
only on the same host (the spec allows a 301 to the canonical URL).
"""

import json
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class OparlError(Exception):
    """The server could not be read: the message names the URL and what happened."""


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def with_params(url: str, **params) -> str:
    """`url` with the query parameters added (an OParl filter on a list's first page)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + [
        (k, v) for k, v in params.items() if v is not None
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


class OparlClient:
    def __init__(self, system_url: str, *, timeout: float, max_bytes: int):
        scheme, host = origin(system_url)
        if scheme not in ("http", "https") or not host:
            raise OparlError(_("%(url)s is not an http(s) address.") % {"url": system_url})
        self.scheme, self.host = scheme, host
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.requests = 0

    def _check_url(self, url) -> str:
        if not isinstance(url, str):
            raise OparlError(
                _("The server gave a link that is not an address: %(url)r.") % {"url": url}
            )
        scheme, host = origin(url)
        if scheme not in ("http", "https"):
            raise OparlError(_("%(url)s is not an http(s) address.") % {"url": url})
        # http -> https on the same host is allowed (the spec recommends https).
        if host != self.host:
            raise OparlError(
                _(
                    "%(url)s is on another host than the OParl system (%(host)s); it is not followed."
                )
                % {"url": url, "host": self.host}
            )
        return url

    def get(self, url: str) -> dict:
        """The JSON object at `url`. Raises OparlError on a timeout, an error status, a body
        that is too large or not a JSON object, or a link off the System's host."""
        url = self._check_url(url)
        deadline = time.monotonic() + self.timeout * 4
        for _hop in range(MAX_REDIRECTS + 1):
            self.requests += 1
            try:
                response = self.session.get(
                    url, timeout=self.timeout, allow_redirects=False, stream=True
                )
            except requests.Timeout:
                raise OparlError(
                    _("%(url)s did not answer within %(seconds)s seconds.")
                    % {"url": url, "seconds": self.timeout}
                ) from None
            except requests.RequestException as error:
                raise OparlError(
                    _("%(url)s could not be reached: %(error)s") % {"url": url, "error": error}
                ) from None
            with response:
                if response.is_redirect:
                    url = self._check_url(
                        requests.compat.urljoin(url, response.headers["location"])
                    )
                    continue
                if response.status_code != 200:
                    raise OparlError(
                        _("%(url)s answered HTTP %(status)d.")
                        % {"url": url, "status": response.status_code}
                    )
                body = self._read(response, url, deadline)
            try:
                data = json.loads(body)
            except ValueError as error:
                raise OparlError(
                    _("%(url)s did not return valid JSON (%(error)s).")
                    % {"url": url, "error": error}
                ) from None
            if not isinstance(data, dict):
                raise OparlError(_("%(url)s did not return a JSON object.") % {"url": url})
            return data
        raise OparlError(_("%(url)s redirected too many times.") % {"url": url})

    def _read(self, response, url, deadline) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large(url)
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_large(url)
                # The read timeout is per chunk: a server trickling bytes is stopped here.
                if time.monotonic() > deadline:
                    raise OparlError(
                        _("%(url)s did not answer within %(seconds)s seconds.")
                        % {"url": url, "seconds": self.timeout}
                    )
                chunks.append(chunk)
        except requests.Timeout:
            raise OparlError(
                _("%(url)s did not answer within %(seconds)s seconds.")
                % {"url": url, "seconds": self.timeout}
            ) from None
        except requests.RequestException as error:
            raise OparlError(
                _("%(url)s broke off its answer: %(error)s") % {"url": url, "error": error}
            ) from None
        return b"".join(chunks)

    def _too_large(self, url):
        return OparlError(
            _("%(url)s answered with more than %(mb)s MB; the import stops.")
            % {"url": url, "mb": round(self.max_bytes / 1_000_000, 1)}
        )

    def pages(self, url: str, **params):
        """Every object of an external list, page by page along `links.next`."""
        url = with_params(url, **params) if params else url
        seen = set()
        while url:
            if url in seen:
                raise OparlError(_("%(url)s links back to a page already read.") % {"url": url})
            seen.add(url)
            page = self.get(url)
            data = page.get("data")
            if not isinstance(data, list):
                raise OparlError(_("%(url)s is not an OParl list (no data).") % {"url": url})
            for item in data:
                if isinstance(item, dict):
                    yield item
            url = (page.get("links") or {}).get("next")
