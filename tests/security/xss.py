"""Cross-site scripting payloads, and the check that a piece of HTML runs none of them.

The site's own pages hold no script, no inline style and no event handler (a strict CSP),
so any of those found in a response came from a payload."""

import re

from bs4 import BeautifulSoup

PAYLOADS = {
    "formula": '=HYPERLINK("javascript:alert(\'xss\')";"x")',
    "javascript url": "javascript:alert('xss')",
    "script": "<script>alert('xss')</script>",
    "img onerror": "<img src=x onerror=alert('xss')>",
    "javascript link": "<a href=\"javascript:alert('xss')\">klicka</a>",
    "obfuscated link": "<A HREF=' jav&#x09;ascript:alert(1)'>a</A>",
    "data link": '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    "svg onload": "<svg onload=alert('xss')><circle r=1 /></svg>",
    "attribute breakout": "\"'><script>alert('xss')</script>",
    "title breakout": "</title><script>alert('xss')</script>",
    "textarea breakout": "</textarea></style><script>alert('xss')</script>",
    "cdata and comment": "]]><script>alert('xss')</script>--><!--<script>alert('xss')</script>-->",
    "bare CR": "Rad ett\rX-INJECTED:1\rEND:VEVENT",
    "style": "<style>*{display:none}</style>",
    "style url": "<p style=\"background:url(javascript:alert('xss'))\">s</p>",
    "base": '<base href="https://evil.example/">',
    "iframe srcdoc": "<iframe srcdoc=\"<script>alert('xss')</script>\"></iframe>",
    "math": "<math><a xlink:href=javascript:alert(1)>m</a></math>",
}

# Elements the site never uses, so any of them came from a payload.
FOREIGN_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "applet",
    "base",
    "template",
    "math",
    "foreignobject",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "style"}
UNSAFE_URL = re.compile(r"(javascript|vbscript|livescript):|^data:|expression\(")
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\xa0`]+")


def html_problems(html: str) -> list[str]:
    """What in `html` would run or load something in a browser: a foreign element, an
    event-handler attribute, a script URL, a meta refresh. Empty when it is inert."""
    problems = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        name = element.name.lower()
        if name in FOREIGN_ELEMENTS:
            problems.append(f"<{name}>")
        if name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attribute.lower().startswith("on") or attribute.lower() == "srcdoc":
                problems.append(f"<{name} {attribute}>")
            elif attribute.lower() in URL_ATTRIBUTES and UNSAFE_URL.search(
                IGNORED_IN_URLS.sub("", value).lower()
            ):
                problems.append(f"<{name} {attribute}={value!r}>")
    return problems
