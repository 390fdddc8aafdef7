"""Rich text is sanitised on its way into the database, whatever wrote it.

`SanitisedRichTextField` cleans its value when a row is saved (`pre_save`, which also feeds
revisions) and when a query writes it (`get_prep_value`: `update()`, `bulk_create`,
`bulk_update`), so the admin editor, a revision published later, the lifecycle forms,
services, imports and the API all store the same clean HTML.

The sanitiser is nh3 (ammonia, with a browser-grade HTML5 parser) with an allow-list of
Wagtail's stored rich-text format. Wagtail's own whitelister was not used: it converts the
*editor's* HTML (`data-linktype`) and would drop the stored `<a linktype="page" id="…">`
and `<embed embedtype="image" …/>`, it keeps the text of `<script>` elements, and it parses
with Python's html.parser, which does not always read markup as a browser does."""

import re

import nh3
from django.utils.html import escape
from wagtail.fields import RichTextField

# What Draftail stores for the built-in features: blocks carry a data-block-key, links are
# <a href> or <a linktype id>, images and media are <embed>. The page's own <h1> is the title.
BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"}
# Allowed without attributes.
BARE = {"b", "strong", "i", "em", "s", "sup", "sub", "code", "br", "hr", "ul", "ol"}
ATTRIBUTES = {
    **{block: {"data-block-key"} for block in BLOCKS},
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Elements whose content is code, not text: removed with everything inside them.
CODE_ELEMENTS = {"script", "style", "template", "iframe", "noscript", "object"}

TOKEN = re.compile(r"[\w-]+", re.ASCII)
NUMBER = re.compile(r"[0-9]+")
# nh3 writes every attribute as name="value" with quotes and angle brackets escaped, so these
# match its output exactly (and Wagtail's rewriters read it with the same assumption).
ENTITY = re.compile(r'<(a|embed)((?: [\w-]+="[^"]*")*)>')
ATTRIBUTE = re.compile(r' ([\w-]+)="([^"]*)"')
VOID = re.compile(r"<(br|hr)>")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3 has already refused href schemes outside URL_SCHEMES; the rest are ids and names."""
    if name in {"href", "alt"}:
        return value
    if name == "url":
        return value if value.startswith(("https://", "http://")) else None
    return value if TOKEN.fullmatch(value) else None


CLEANER = nh3.Cleaner(
    tags=BLOCKS | BARE | {"a", "embed"},
    clean_content_tags=CODE_ELEMENTS,
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    link_rel=None,
    url_schemes=URL_SCHEMES,
)


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{value}"' for name, value in attrs.items())


def _entity(match: re.Match) -> str:
    """A link to a page or document, or an image or media embed, only in the shape Wagtail
    can render: a malformed one would make the public page fail, so it goes."""
    from wagtail.images.formats import get_image_formats
    from wagtail.rich_text import features

    name, attrs = match[1], dict(ATTRIBUTE.findall(match[2]))
    if name == "a":
        if "linktype" in attrs and not (
            attrs["linktype"] in features.get_link_types() and NUMBER.fullmatch(attrs.get("id", ""))
        ):
            del attrs["linktype"]
            attrs.pop("id", None)
        return f"<a{_attrs(attrs)}>"
    kind = attrs.get("embedtype")
    image = (
        kind == "image"
        and NUMBER.fullmatch(attrs.get("id", ""))
        and attrs.get("format") in {f.name for f in get_image_formats()}
    )
    media = kind == "media" and "url" in attrs
    return f"<embed{_attrs(attrs)}/>" if image or media else ""


def sanitise(html: str) -> str:
    """`html` as stored rich text: only the allow-listed elements and attributes, links with
    safe schemes, no comments, no script. Clean input comes back the same in meaning
    (void elements are written `<br/>` as Draftail writes them), and a second pass
    changes nothing."""
    if not html:
        return html
    return VOID.sub(r"<\1/>", ENTITY.sub(_entity, CLEANER.clean(html)))


def paragraphs(text: str) -> str:
    """Plain text typed in a textarea as stored rich text: escaped, a blank line starts a
    new paragraph, a single line break is kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.strip() for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in block.split("\n")) + "</p>"
        for block in blocks
    )


class SanitisedRichTextField(RichTextField):
    """Wagtail's RichTextField whose value is sanitised on every write."""

    def pre_save(self, model_instance, add):
        # Written back so the saved instance, and a revision serialised from it, hold the
        # clean value too.
        value = sanitise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return sanitise(value) if isinstance(value, str) else value


def sanitise_stored(model, fields: list[str], *, batch_size: int = 1000) -> int:
    """Sanitise rich text already in `model`'s table (for a data migration): reads
    `batch_size` rows at a time in primary-key order, so memory stays flat on any table,
    and writes only the rows whose text changes. Returns how many rows changed."""
    rows_changed, last = 0, 0
    while True:
        batch = list(
            model._base_manager.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", *fields)[:batch_size]
        )
        if not batch:
            return rows_changed
        changed = []
        for pk, *values in batch:
            clean = [sanitise(value) for value in values]
            if clean != values:
                changed.append(model(pk=pk, **dict(zip(fields, clean, strict=True))))
        model._base_manager.bulk_update(changed, fields)
        rows_changed += len(changed)
        last = batch[-1][0]
