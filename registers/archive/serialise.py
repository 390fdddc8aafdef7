"""The records as XML and as JSON, written as a stream one record at a time.

Both files come from the same dicts (`registers.archive.records`), so they cannot disagree:
the JSON keys are the XML element names, a list's items are named by `ITEMS`, and an empty
value is `null`/"" in JSON and an absent element in XML. The XML validates against
`schemas/beslutsspar-archive-1.0.xsd`, which ships in every package."""

import json
from contextlib import contextmanager

from lxml import etree

NAMESPACE = "urn:x-beslutsspar:archive:1.0"
SCHEMA_FILE = "beslutsspar-archive-1.0.xsd"

# The element name of one item in each list.
ITEMS = {
    "submitters": "submitter",
    "clauses": "clause",
    "referrals": "referral",
    "proposals": "proposal",
    "decisions": "decision",
    "outcomes": "outcome",
    "alternatives": "alternative",
    "reservations": "reservation",
    "party_votes": "party_vote",
    "statements": "statement",
    "dispatched_to": "organ",
    "documents": "document",
    "appeals": "appeal",
    "commitments": "commitment",
    "followups": "followup",
}


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build(name: str, value) -> etree._Element | None:
    """`value` (a dict, list or scalar) as the element `name`; None for an empty value."""
    if value is None or value == "":
        return None
    element = etree.Element(_q(name), nsmap={None: NAMESPACE})
    if isinstance(value, dict):
        for key, child in value.items():
            if (sub := build(key, child)) is not None:
                element.append(sub)
    elif isinstance(value, list):
        if not value:
            return None
        for item in value:
            if (sub := build(ITEMS[name], item)) is not None:
                element.append(sub)
    else:
        element.text = _text(value)
    return element


class RecordsWriter:
    """Writes `records.xml` and `records.json` side by side: a header, then sections of
    records appended one at a time, so memory holds one record, never the term."""

    def __init__(self, xml_path, json_path, *, header: dict):
        self.xml_path, self.json_path, self.header = xml_path, json_path, header

    @contextmanager
    def open(self):
        with (
            etree.xmlfile(str(self.xml_path), encoding="utf-8") as xml,
            open(self.json_path, "w", encoding="utf-8") as out,
        ):
            xml.write_declaration()
            with xml.element(_q("records"), nsmap={None: NAMESPACE}):
                xml.write(build("package", self.header), pretty_print=True)
                out.write('{\n"package": ')
                json.dump(self.header, out, ensure_ascii=False)
                self._xml, self._json = xml, out
                yield self
            out.write("\n}\n")

    @contextmanager
    def section(self, name: str):
        """A list of records: `<motions>…</motions>` and `"motions": […]`."""
        self._json.write(f',\n"{name}": [')
        self._first = True
        with self._xml.element(_q(name)):
            yield
        self._json.write("\n]")

    def write(self, item_name: str, record: dict) -> None:
        self._xml.write(build(item_name, record), pretty_print=True)
        self._json.write("\n" if self._first else ",\n")
        json.dump(record, self._json, ensure_ascii=False)
        self._first = False
