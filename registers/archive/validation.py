"""Checks an archive package: every XML file against its schema (METS 1.12 with the E-ARK
extensions, PREMIS 3.0, our records schema) and the E-ARK rules a schema cannot express:
each file a METS names exists with the size and SHA-256 stated, every ID a structMap points
to exists, and the CSIP/SIP attributes an archive's ingest looks for are there.

The schemas are read from `schemas/` beside this module, the copies shipped in every package;
their remote `schemaLocation`s are never fetched: nothing goes to the network."""

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from .serialise import NAMESPACE as RECORDS_NS
from .serialise import SCHEMA_FILE as RECORDS_SCHEMA

SCHEMAS = Path(__file__).parent / "schemas"

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS_NS = "http://www.loc.gov/premis/v3"
NS = {"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "sip": SIP_NS, "premis": PREMIS_NS}

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"

# METS imports XLink from its remote address; importing the local copy first makes the schema
# processor skip the remote one.
LOCAL_IMPORTS = '<xs:import namespace="http://www.w3.org/1999/xlink" schemaLocation="xlink.xsd"/>'


def _schema(imports: str) -> etree.XMLSchema:
    source = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{LOCAL_IMPORTS}{imports}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.fromstring(source.encode(), parser, base_url=str(SCHEMAS) + "/"))


@cache
def mets_schema() -> etree.XMLSchema:
    """METS 1.12 with the CSIP and SIP extension attributes declared, so an attribute value
    outside their vocabularies fails, not just the METS structure."""
    return _schema(
        f"""<xs:import namespace="{METS_NS}" schemaLocation="mets.xsd"/>
        <xs:import namespace="{CSIP_NS}" schemaLocation="DILCISExtensionMETS.xsd"/>
        <xs:import namespace="{SIP_NS}" schemaLocation="DILCISExtensionSIPMETS.xsd"/>"""
    )


@cache
def premis_schema() -> etree.XMLSchema:
    return _schema(f'<xs:import namespace="{PREMIS_NS}" schemaLocation="premis.xsd"/>')


@cache
def records_schema() -> etree.XMLSchema:
    return _schema(f'<xs:import namespace="{RECORDS_NS}" schemaLocation="{RECORDS_SCHEMA}"/>')


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _schema_errors(schema, path: Path, root: Path) -> list[str]:
    tree = etree.parse(str(path), etree.XMLParser(no_network=True, huge_tree=True))
    if schema.validate(tree):
        return []
    return [f"{path.relative_to(root)}: {e.line}: {e.message}" for e in schema.error_log]


def _href(element) -> str:
    href = unquote(element.get(f"{{{XLINK_NS}}}href", ""))
    return href.removeprefix("file:")


def _check_mets(path: Path, root: Path, *, package_level: bool) -> list[str]:
    """The rules of CSIP and SIP that matter to an ingest, for one METS document."""
    errors = []
    where = path.relative_to(root)
    folder = path.parent
    mets = etree.parse(str(path)).getroot()
    for attribute in ("OBJID", "TYPE", "PROFILE"):
        if not mets.get(attribute):
            errors.append(f"{where}: mets/@{attribute} missing")
    if not mets.get(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE"):
        errors.append(f"{where}: mets/@csip:CONTENTINFORMATIONTYPE missing")
    header = mets.find("mets:metsHdr", NS)
    if header is None or not header.get("CREATEDATE"):
        errors.append(f"{where}: metsHdr/@CREATEDATE missing")
    elif header.get(f"{{{CSIP_NS}}}OAISPACKAGETYPE") != "SIP":
        errors.append(f"{where}: metsHdr/@csip:OAISPACKAGETYPE is not SIP")
    software = mets.xpath(
        "mets:metsHdr/mets:agent[@ROLE='CREATOR'][@TYPE='OTHER'][@OTHERTYPE='SOFTWARE']"
        "[mets:note/@csip:NOTETYPE='SOFTWARE VERSION']",
        namespaces=NS,
    )
    if len(software) != 1:
        errors.append(f"{where}: one software agent with its version is required (CSIP10-16)")
    if package_level:
        if mets.get("PROFILE") != SIP_PROFILE:
            errors.append(f"{where}: mets/@PROFILE is not the E-ARK SIP profile")
        if not mets.xpath("mets:metsHdr/mets:agent[@ROLE='ARCHIVIST']", namespaces=NS):
            errors.append(f"{where}: no archival creator agent (SIP9)")
    # Every file a fileSec or mdRef names: present, with the size and checksum stated.
    ids = set(mets.xpath("//@ID"))
    for entry in mets.xpath("//mets:file | //mets:mdRef", namespaces=NS):
        locator = entry if entry.tag == f"{{{METS_NS}}}mdRef" else entry.find("mets:FLocat", NS)
        target = folder / _href(locator)
        if not target.is_file():
            errors.append(f"{where}: {_href(locator)} does not exist")
            continue
        if entry.get("CHECKSUMTYPE") != "SHA-256" or entry.get("CHECKSUM") != sha256(target):
            errors.append(f"{where}: {_href(locator)} has the wrong SHA-256")
        if entry.get("SIZE") != str(target.stat().st_size):
            errors.append(f"{where}: {_href(locator)} has the wrong size")
        for attribute in ("ID", "MIMETYPE", "CREATED"):
            if not entry.get(attribute):
                errors.append(f"{where}: {_href(locator)} lacks @{attribute}")
    # The structMap: CSIP's own, and every reference in it resolves.
    csip_maps = mets.xpath("mets:structMap[@TYPE='PHYSICAL'][@LABEL='CSIP']", namespaces=NS)
    if len(csip_maps) != 1:
        errors.append(f"{where}: exactly one structMap TYPE=PHYSICAL LABEL=CSIP is required")
    for ref in mets.xpath(
        "//mets:fptr/@FILEID | //mets:div/@DMDID | //mets:div/@ADMID", namespaces=NS
    ):
        for value in ref.split():
            if value not in ids:
                errors.append(f"{where}: structMap points to {value}, which does not exist")
    for pointer in mets.xpath("//mets:mptr", namespaces=NS):
        if not (folder / _href(pointer)).is_file():
            errors.append(f"{where}: mptr {_href(pointer)} does not exist")
    return errors


def validate_package(root: Path) -> list[str]:
    """Every problem found in the package unpacked at `root`; an empty list when it is valid."""
    root = Path(root)
    package_mets = root / "METS.xml"
    if not package_mets.is_file():
        return ["METS.xml is missing at the package root"]
    errors = _schema_errors(mets_schema(), package_mets, root)
    errors += _check_mets(package_mets, root, package_level=True)
    for mets in sorted(root.glob("representations/*/METS.xml")):
        errors += _schema_errors(mets_schema(), mets, root)
        errors += _check_mets(mets, root, package_level=False)
    for premis in sorted(root.rglob("premis.xml")):
        errors += _schema_errors(premis_schema(), premis, root)
    for records in [
        *root.glob("representations/*/data/records.xml"),
        *root.glob("metadata/descriptive/description.xml"),
    ]:
        errors += _schema_errors(records_schema(), records, root)
    return errors
