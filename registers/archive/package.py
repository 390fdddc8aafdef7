"""Builds an E-ARK SIP of one municipality's term: FGS Paketstruktur 2.0, which is E-ARK CSIP
2.1.0 with E-ARK SIP 2.1.0.

    uuid-…/
      METS.xml                          the package: creator, agents, what is where, checksums
      metadata/descriptive/description.xml
      metadata/preservation/premis.xml  every data file's fixity and format, the creation event
      documentation/records.md          how to read the records, the codes in Swedish
      schemas/                          every XSD the package's XML uses
      representations/rep1/METS.xml     the representation: every data file with its checksum
      representations/rep1/data/records.xml, records.json, documents/…

The package is written into a temporary folder beside the output folder and moved into place
only when complete, so a failure leaves nothing behind."""

import hashlib
import json
import mimetypes
import os
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.utils import timezone
from lxml import etree

from motions.models import DataLicence

from . import records as rec
from .serialise import RecordsWriter, build
from .validation import CSIP_NS, METS_NS, PREMIS_NS, SCHEMAS, SIP_NS, SIP_PROFILE, XLINK_NS

SOFTWARE = "Beslutsspår"
REPRESENTATION = "rep1"
CONTENT_TYPE = "Beslutsspår archive records 1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# PRONOM identifiers of the formats the package writes itself.
PRONOM = {
    "application/xml": ("Extensible Markup Language", "1.0", "fmt/101"),
    "application/json": ("JSON Data Interchange Format", None, "fmt/817"),
}


def software_version() -> str:
    try:
        return version("beslutsspar")
    except PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


@dataclass
class PackedFile:
    """A file in the package, as its METS and PREMIS describe it."""

    path: str  # relative to the package root
    size: int
    sha256: str
    mimetype: str
    created: datetime
    original_name: str = ""

    @property
    def id(self) -> str:
        return "file-" + hashlib.sha1(self.path.encode(), usedforsecurity=False).hexdigest()


@dataclass
class Result:
    path: Path
    package_id: str
    motions: int = 0
    decisions: int = 0
    documents: int = 0
    files: list[PackedFile] = field(default_factory=list)


def _copy(source, target: Path) -> tuple[int, str]:
    """Copy a binary stream byte for byte; its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    with open(target, "wb") as out:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _describe(root: Path, relative: str, *, mimetype: str | None = None, original="") -> PackedFile:
    path = root / relative
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return PackedFile(
        path=relative,
        size=path.stat().st_size,
        sha256=digest.hexdigest(),
        mimetype=mimetype or mimetypes.guess_type(relative)[0] or "application/octet-stream",
        created=timezone.localtime(),
        original_name=original,
    )


def build_package(*, body, term, output: Path, zip_it: bool = False, batch_size=rec.BATCH_SIZE):
    """Write the term's package into `output` (which must not exist or be empty) and return
    what it holds. On any error the temporary folder is removed and `output` left as it was."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    package_id = f"uuid-{uuid.uuid4()}"
    workdir = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        root = workdir / package_id
        result = _write(root, package_id=package_id, body=body, term=term, batch_size=batch_size)
        if zip_it:
            _zip(root, workdir / f"{package_id}.zip")
            shutil.rmtree(root)
        if output.exists():
            output.rmdir()  # empty: the caller checked
        os.replace(workdir, output)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    result.path = output / (f"{package_id}.zip" if zip_it else package_id)
    return result


def _zip(root: Path, target: Path) -> None:
    """One root folder inside the archive (CSIPSTR1), stored as is: the data is compressed,
    the documents mostly are already."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            archive.write(path, Path(root.name) / path.relative_to(root))


def _write(root: Path, *, package_id, body, term, batch_size) -> Result:
    result = Result(path=root, package_id=package_id)
    data = root / "representations" / REPRESENTATION / "data"
    (data / "documents").mkdir(parents=True)
    created = timezone.localtime()
    licence = DataLicence(body.data_licence) if body.data_licence else DataLicence.CC0
    header = {
        "format": "beslutsspar-archive-1.0",
        "package_id": package_id,
        "title": f"{body.name}: motioner och beslut, mandatperioden {term}",
        "municipality": body.name,
        "organisation_number": body.organisation_number,
        "term": {"starts_on": term.starts_on.isoformat(), "ends_on": term.ends_on.isoformat()},
        "selection": (
            "Published motions, citizen proposals and e-proposals submitted within the term, "
            "with their whole story, and the term's published decisions that answer no motion."
        ),
        "created": created.isoformat(timespec="seconds"),
        "licence": licence.label,
        "licence_url": licence.url,
        "software": f"{SOFTWARE} {software_version()}",
    }

    documents: list[PackedFile] = []
    copied: set[str] = set()

    def copy_documents(refs):
        for ref in refs:
            if ref.path in copied:
                continue
            copied.add(ref.path)
            with ref.document.file.open("rb") as source:
                size, digest = _copy(source, data / ref.path)
            documents.append(
                PackedFile(
                    path=f"representations/{REPRESENTATION}/data/{ref.path}",
                    size=size,
                    sha256=digest,
                    mimetype=mimetypes.guess_type(ref.path)[0] or "application/octet-stream",
                    created=ref.document.created_at,
                    original_name=ref.document.file.name.rsplit("/", 1)[-1],
                )
            )

    writer = RecordsWriter(data / "records.xml", data / "records.json", header=header)
    with writer.open():
        with writer.section("motions"):
            for batch in rec.batches(rec.motions_of_term(body, term), size=batch_size):
                for motion in batch:
                    record, refs = rec.motion_record(motion)
                    writer.write("motion", record)
                    copy_documents(refs)
                    result.motions += 1
                    result.decisions += len(record["decisions"])
        with writer.section("decisions"):
            for batch in rec.batches(rec.decisions_of_term(body, term), size=batch_size):
                for decision in batch:
                    record, refs = rec.decision_record(decision)
                    writer.write("decision", record)
                    copy_documents(refs)
                    result.decisions += 1
    result.documents = len(documents)

    rep_path = f"representations/{REPRESENTATION}/data"
    data_files = [
        _describe(root, f"{rep_path}/records.xml", mimetype="application/xml"),
        _describe(root, f"{rep_path}/records.json", mimetype="application/json"),
        *documents,
    ]
    header["counts"] = {
        "motions": result.motions,
        "decisions": result.decisions,
        "documents": result.documents,
    }
    _write_xml(root / "metadata/descriptive/description.xml", build("package", header))
    _write_documentation(root / "documentation" / "records.md", header)
    schemas = root / "schemas"
    schemas.mkdir()
    for xsd in sorted(SCHEMAS.glob("*.xsd")):
        shutil.copyfile(xsd, schemas / xsd.name)

    rep_mets = _representation_mets(root, data_files, created)
    _write_xml(root / f"representations/{REPRESENTATION}/METS.xml", rep_mets)
    _write_xml(
        root / "metadata/preservation/premis.xml", _premis(body, package_id, data_files, created)
    )
    _write_xml(root / "METS.xml", _package_mets(root, package_id, header, body, created))
    result.files = data_files
    return result


def _write_xml(path: Path, element) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(element).write(
        str(path), xml_declaration=True, encoding="utf-8", pretty_print=True
    )


def _write_documentation(path: Path, header: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (Path(__file__).parent / "documentation.md").read_text(encoding="utf-8")
    path.write_text(
        text.replace("{{ package }}", json.dumps(header, ensure_ascii=False, indent=2)),
        encoding="utf-8",
    )


# --- METS -------------------------------------------------------------------------------------


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _mets_root(objid: str, label: str) -> etree._Element:
    mets = etree.Element(
        _m("mets"),
        nsmap={None: METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "sip": SIP_NS, "xsi": XSI_NS},
    )
    mets.set("OBJID", objid)
    mets.set("LABEL", label)
    mets.set("TYPE", "Textual works – Digital")
    mets.set(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE", "OTHER")
    mets.set(f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE", CONTENT_TYPE)
    mets.set("PROFILE", SIP_PROFILE)
    mets.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{METS_NS} schemas/mets.xsd {XLINK_NS} schemas/xlink.xsd "
        f"{CSIP_NS} schemas/DILCISExtensionMETS.xsd {SIP_NS} schemas/DILCISExtensionSIPMETS.xsd",
    )
    return mets


def _header(mets, created, *, body=None) -> None:
    header = etree.SubElement(mets, _m("metsHdr"), CREATEDATE=_stamp(created), RECORDSTATUS="NEW")
    header.set(f"{{{CSIP_NS}}}OAISPACKAGETYPE", "SIP")
    if body is not None:
        # The archival creator (SIP9) and the submitter (SIP15): the municipality both times.
        for role in ("ARCHIVIST", "CREATOR"):
            agent = etree.SubElement(header, _m("agent"), ROLE=role, TYPE="ORGANIZATION")
            etree.SubElement(agent, _m("name")).text = body.name
            if body.organisation_number:
                note = etree.SubElement(agent, _m("note"))
                note.text = f"organisationsnummer:{body.organisation_number}"
                note.set(f"{{{CSIP_NS}}}NOTETYPE", "IDENTIFICATIONCODE")
    agent = etree.SubElement(
        header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(agent, _m("name")).text = SOFTWARE
    note = etree.SubElement(agent, _m("note"))
    note.text = software_version()
    note.set(f"{{{CSIP_NS}}}NOTETYPE", "SOFTWARE VERSION")


def _file(group, packed: PackedFile, href: str) -> None:
    attributes = {
        "ID": packed.id,
        "MIMETYPE": packed.mimetype,
        "SIZE": str(packed.size),
        "CREATED": _stamp(packed.created),
        "CHECKSUM": packed.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }
    if packed.original_name:
        attributes["OWNERID"] = packed.original_name
    element = etree.SubElement(group, _m("file"), **attributes)
    if packed.mimetype in PRONOM:
        name, fmt_version, key = PRONOM[packed.mimetype]
        element.set(f"{{{SIP_NS}}}FILEFORMATNAME", name)
        if fmt_version:
            element.set(f"{{{SIP_NS}}}FILEFORMATVERSION", fmt_version)
        element.set(f"{{{SIP_NS}}}FORMATREGISTRY", "PRONOM")
        element.set(f"{{{SIP_NS}}}FORMATREGISTRYKEY", key)
    _locate(element, "FLocat", href)


def _locate(element, tag: str, href: str, **extra):
    locator = etree.SubElement(element, _m(tag), LOCTYPE="URL", **extra)
    locator.set(f"{{{XLINK_NS}}}type", "simple")
    locator.set(f"{{{XLINK_NS}}}href", href)
    return locator


def _md_ref(parent, tag: str, id_: str, packed: PackedFile, mdtype: str, **extra) -> None:
    section = etree.SubElement(parent, _m(tag), ID=id_, CREATED=_stamp(packed.created))
    section.set("STATUS", "CURRENT")
    ref = _locate(section, "mdRef", packed.path, ID=f"{id_}-file", MDTYPE=mdtype, **extra)
    for key, value in {
        "MIMETYPE": packed.mimetype,
        "SIZE": str(packed.size),
        "CREATED": _stamp(packed.created),
        "CHECKSUM": packed.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }.items():
        ref.set(key, value)


def _representation_mets(root: Path, data_files: list[PackedFile], created) -> etree._Element:
    prefix = f"representations/{REPRESENTATION}/"
    mets = _mets_root(REPRESENTATION, f"{CONTENT_TYPE}: records as XML and JSON, documents")
    _header(mets, created)
    files = etree.SubElement(mets, _m("fileSec"), ID="filesec-rep1")
    group = etree.SubElement(
        files, _m("fileGrp"), ID="filegrp-rep1-data", USE=f"Representations/{REPRESENTATION}/data"
    )
    group.set(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE", "OTHER")
    group.set(f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE", CONTENT_TYPE)
    for packed in data_files:
        _file(group, packed, packed.path.removeprefix(prefix))
    struct = etree.SubElement(
        mets, _m("structMap"), ID="structmap-rep1", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct, _m("div"), ID="div-rep1", LABEL=REPRESENTATION)
    etree.SubElement(top, _m("div"), ID="div-rep1-metadata", LABEL="Metadata")
    div = etree.SubElement(top, _m("div"), ID="div-rep1-data", LABEL="Data")
    etree.SubElement(div, _m("fptr"), FILEID="filegrp-rep1-data")
    return mets


def _package_mets(root: Path, package_id: str, header: dict, body, created) -> etree._Element:
    mets = _mets_root(package_id, header["title"])
    _header(mets, created, body=body)
    description = _describe(
        root, "metadata/descriptive/description.xml", mimetype="application/xml"
    )
    premis = _describe(root, "metadata/preservation/premis.xml", mimetype="application/xml")
    _md_ref(mets, "dmdSec", "dmd-description", description, "OTHER", OTHERMDTYPE=CONTENT_TYPE)
    amd = etree.SubElement(mets, _m("amdSec"), ID="amd")
    _md_ref(amd, "digiprovMD", "digiprov-premis", premis, "PREMIS", MDTYPEVERSION="3.0")

    files = etree.SubElement(mets, _m("fileSec"), ID="filesec")
    groups = {}
    for use, folder in (("Documentation", "documentation"), ("Schemas", "schemas")):
        group = etree.SubElement(files, _m("fileGrp"), ID=f"filegrp-{folder}", USE=use)
        for path in sorted((root / folder).iterdir()):
            packed = _describe(root, f"{folder}/{path.name}")
            if path.suffix == ".xsd":
                packed.mimetype = "application/xml"
            _file(group, packed, packed.path)
        groups[use] = group.get("ID")
    rep_use = f"Representations/{REPRESENTATION}"
    group = etree.SubElement(files, _m("fileGrp"), ID="filegrp-rep1", USE=rep_use)
    group.set(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE", "OTHER")
    group.set(f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE", CONTENT_TYPE)
    rep_mets_path = f"representations/{REPRESENTATION}/METS.xml"
    _file(group, _describe(root, rep_mets_path, mimetype="application/xml"), rep_mets_path)

    struct = etree.SubElement(mets, _m("structMap"), ID="structmap", TYPE="PHYSICAL", LABEL="CSIP")
    top = etree.SubElement(struct, _m("div"), ID="div-package", LABEL=package_id)
    etree.SubElement(
        top,
        _m("div"),
        ID="div-metadata",
        LABEL="Metadata",
        DMDID="dmd-description",
        ADMID="digiprov-premis",
    )
    for use, group_id in groups.items():
        div = etree.SubElement(top, _m("div"), ID=f"div-{use.lower()}", LABEL=use)
        etree.SubElement(div, _m("fptr"), FILEID=group_id)
    div = etree.SubElement(top, _m("div"), ID="div-rep1", LABEL=rep_use)
    pointer = _locate(div, "mptr", rep_mets_path)  # METS wants mptr before fptr
    pointer.set(f"{{{XLINK_NS}}}title", "filegrp-rep1")
    etree.SubElement(div, _m("fptr"), FILEID="filegrp-rep1")
    return mets


# --- PREMIS -----------------------------------------------------------------------------------


def _p(tag: str) -> str:
    return f"{{{PREMIS_NS}}}{tag}"


def _sub(parent, tag: str, text=None, **attributes):
    element = etree.SubElement(parent, _p(tag), **attributes)
    if text is not None:
        element.text = str(text)
    return element


def _identifier(parent, kind: str, value: str, prefix: str) -> None:
    identifier = _sub(parent, f"{prefix}Identifier")
    _sub(identifier, f"{prefix}IdentifierType", kind)
    _sub(identifier, f"{prefix}IdentifierValue", value)


def _premis(body, package_id: str, data_files: list[PackedFile], created) -> etree._Element:
    """The representation and each of its files with fixity and format; the creation event;
    the software and the municipality as agents."""
    premis = etree.Element(_p("premis"), nsmap={None: PREMIS_NS, "xsi": XSI_NS}, version="3.0")
    xsi_type = f"{{{XSI_NS}}}type"
    representation = _sub(premis, "object", **{xsi_type: "representation"})
    _identifier(representation, "local", f"{package_id}/{REPRESENTATION}", "object")
    for packed in data_files:
        obj = _sub(premis, "object", **{xsi_type: "file"})
        _identifier(obj, "local", packed.path, "object")
        characteristics = _sub(obj, "objectCharacteristics")
        _sub(characteristics, "compositionLevel", 0)
        fixity = _sub(characteristics, "fixity")
        _sub(fixity, "messageDigestAlgorithm", "SHA-256")
        _sub(fixity, "messageDigest", packed.sha256)
        _sub(characteristics, "size", packed.size)
        fmt = _sub(characteristics, "format")
        designation = _sub(fmt, "formatDesignation")
        name, fmt_version, key = PRONOM.get(packed.mimetype, (packed.mimetype, None, None))
        _sub(designation, "formatName", name)
        if fmt_version:
            _sub(designation, "formatVersion", fmt_version)
        if key:
            registry = _sub(fmt, "formatRegistry")
            _sub(registry, "formatRegistryName", "PRONOM")
            _sub(registry, "formatRegistryKey", key)
        if packed.original_name:
            _sub(obj, "originalName", packed.original_name)
        relationship = _sub(obj, "relationship")
        _sub(relationship, "relationshipType", "structural")
        _sub(relationship, "relationshipSubType", "is included in")
        related = _sub(relationship, "relatedObjectIdentifier")
        _sub(related, "relatedObjectIdentifierType", "local")
        _sub(related, "relatedObjectIdentifierValue", f"{package_id}/{REPRESENTATION}")

    for event_type, detail in (
        ("creation", "Archive package created by manage.py archive_export."),
        ("message digest calculation", "SHA-256 of every file, computed while it was written."),
    ):
        event = _sub(premis, "event")
        _identifier(event, "local", f"{package_id}/event/{event_type.replace(' ', '-')}", "event")
        _sub(event, "eventType", event_type)
        _sub(event, "eventDateTime", _stamp(created))
        _sub(_sub(event, "eventDetailInformation"), "eventDetail", detail)
        _sub(_sub(event, "eventOutcomeInformation"), "eventOutcome", "success")
        linking = _sub(event, "linkingAgentIdentifier")
        _sub(linking, "linkingAgentIdentifierType", "local")
        _sub(linking, "linkingAgentIdentifierValue", SOFTWARE)
        _sub(linking, "linkingAgentRole", "executing program")
        obj = _sub(event, "linkingObjectIdentifier")
        _sub(obj, "linkingObjectIdentifierType", "local")
        _sub(obj, "linkingObjectIdentifierValue", f"{package_id}/{REPRESENTATION}")

    software = _sub(premis, "agent")
    _identifier(software, "local", SOFTWARE, "agent")
    _sub(software, "agentName", SOFTWARE)
    _sub(software, "agentType", "software")
    _sub(software, "agentVersion", software_version())
    organisation = _sub(premis, "agent")
    _identifier(
        organisation,
        "organisationsnummer" if body.organisation_number else "local",
        body.organisation_number or body.slug,
        "agent",
    )
    _sub(organisation, "agentName", body.name)
    _sub(organisation, "agentType", "organization")
    return premis
