"""The archive package (REQ-ARCH-02): an E-ARK SIP of a term, FGS Paketstruktur 2.0."""

import json
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation
from lxml import etree
from wagtail.documents import get_document_model

from motions import services
from motions.models import Appeal, DecisionDocument, Outcome
from registers.archive import records as rec
from registers.archive.package import build_package
from registers.archive.validation import (
    CSIP_NS,
    NS,
    mets_schema,
    premis_schema,
    records_schema,
    sha256,
    validate_package,
)
from tests.factories import (
    BodyFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    OrganFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RESPONSE = b"%PDF-1.7\nremissvar \x00\x01\x02 binary\n%%EOF\n"
MINUTES = b"PK\x03\x04 protokollsutdrag \xff\xfe"


def _document(title, name, content):
    document = get_document_model()(title=title, file=ContentFile(content, name=name))
    document.save()
    return document


def make_term_records():
    """A term with one motion's whole story, a draft that must stay out, a motion of the
    previous term and another municipality's motion."""
    body = BodyFactory(name="Borås", slug="boras", organisation_number="212000-1561")
    term = TermFactory(body=body)
    TermFactory(body=body, starts_on=date(2018, 10, 15), ends_on=date(2022, 10, 14))
    original = _document("Motionen", "motion.pdf", PDF)
    motion = MotionFactory(
        body=body,
        case_number="KS 2023-00417",
        title="Motion om en handlingsplan för utsatta områden",
        submitted_on=date(2023, 12, 21),
        clauses=["att en handlingsplan tas fram", "att planen återrapporteras årligen"],
        document=original,
    )
    executive = OrganFactory(body=body, executive=True, name="Kommunstyrelsen")
    referral = services.motion_refer(motion=motion, organ=executive, sent_on=date(2024, 1, 10))
    services.referral_register_response(
        referral=referral,
        answered_on=date(2024, 2, 1),
        summary="Kommunstyrelsen tillstyrker.",
        document=_document("Remissvar", "remissvar.pdf", RESPONSE),
    )
    services.proposal_register(
        motion=motion,
        organ=executive,
        proposed_on=date(2024, 3, 1),
        outcomes={1: Outcome.APPROVED, 2: Outcome.ANSWERED},
        paragraph="45",
    )
    decision = DecisionFactory(
        motion=motion,
        paragraph=112,
        outcomes={1: Outcome.APPROVED, 2: Outcome.ANSWERED},
        statements=[{"kind": "reservation", "text": "Vi reserverar oss."}],
    )
    DecisionDocument.objects.create(
        decision=decision, document=_document("Protokollsutdrag", "utdrag.docx", MINUTES)
    )
    appeal = Appeal(
        decision=decision,
        court="Förvaltningsrätten i Göteborg",
        case_number="Mål 4212-24",
        lodged_on=decision.decided_on + timedelta(days=20),
    )
    appeal.save()
    commitment = CommitmentFactory(decision=decision, clause_number=1, title="Handlingsplan 2030")
    FollowUpFactory(commitment=commitment, reason="Planen är under arbete.")
    FollowUpFactory(commitment=commitment, period_end=date(2024, 12, 31), publish=False)
    draft = MotionFactory(body=body, case_number="KS 2024-00999", publish=False)
    earlier = MotionFactory(body=body, case_number="KS 2021-00001", submitted_on=date(2021, 5, 1))
    elsewhere = MotionFactory(case_number="KS 2024-00555", submitted_on=date(2024, 5, 1))
    return {
        "body": body,
        "term": term,
        "motion": motion,
        "decision": decision,
        "commitment": commitment,
        "excluded": [draft, earlier, elsewhere],
    }


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The records and their package, built once for the tests that read the package (building
    the records is the slow part); the records are rolled back when the module's tests end."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        records = make_term_records()
        output = tmp_path_factory.mktemp("package") / "out"
        records["package"] = build_package(
            body=records["body"], term=records["term"], output=output
        ).path
        yield records
        transaction.set_rollback(True)


@pytest.fixture
def package(built, tmp_path):
    """A copy of the package, which a test may change."""
    return Path(shutil.copytree(built["package"], tmp_path / built["package"].name))


def _data(package):
    return package / "representations" / "rep1" / "data"


def test_the_package_is_valid_against_its_schemas_and_checksums(package):
    assert validate_package(package) == []


def test_every_xml_file_validates_against_the_standards_own_schemas(package):
    """Against the tests' copies (tests/schemas/…), not the ones the builder ships."""
    parser = etree.XMLParser(no_network=True)
    for mets in [package / "METS.xml", package / "representations/rep1/METS.xml"]:
        mets_schema().assertValid(etree.parse(str(mets), parser))
    premis_schema().assertValid(etree.parse(str(package / "metadata/preservation/premis.xml")))
    records_schema().assertValid(etree.parse(str(_data(package) / "records.xml")))
    for shipped in (package / "schemas").glob("*.xsd"):
        if shipped.name.startswith("beslutsspar"):
            continue
        copies = list(SCHEMAS.glob(f"*/{shipped.name}"))
        assert copies, shipped.name
        assert shipped.read_bytes() == copies[0].read_bytes(), shipped.name


def test_the_root_is_named_after_the_package_id_with_the_csip_and_sip_attributes(package):
    mets = etree.parse(str(package / "METS.xml")).getroot()
    assert mets.get("OBJID") == package.name
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    header = mets.find("mets:metsHdr", NS)
    assert header.get(f"{{{CSIP_NS}}}OAISPACKAGETYPE") == "SIP"
    creator = header.find("mets:agent[@ROLE='ARCHIVIST']", NS)
    assert creator.findtext("mets:name", namespaces=NS) == "Borås"
    assert creator.findtext("mets:note", namespaces=NS) == "organisationsnummer:212000-1561"
    software = header.find("mets:agent[@OTHERTYPE='SOFTWARE']", NS)
    assert software.findtext("mets:name", namespaces=NS) == "Beslutsspår"


def test_every_file_in_the_package_is_in_a_mets_with_its_checksum(package):
    named = {}
    for mets_path in [package / "METS.xml", package / "representations/rep1/METS.xml"]:
        mets = etree.parse(str(mets_path)).getroot()
        for entry in mets.xpath("//mets:file | //mets:mdRef", namespaces=NS):
            locator = entry if entry.tag.endswith("mdRef") else entry.find("mets:FLocat", NS)
            href = locator.get("{http://www.w3.org/1999/xlink}href")
            named[(mets_path.parent / href).resolve()] = entry.get("CHECKSUM")
    files = {p.resolve() for p in package.rglob("*") if p.is_file()}
    unnamed = files - set(named) - {(package / "METS.xml").resolve()}
    assert unnamed == set()
    for path, checksum in named.items():
        assert sha256(path) == checksum


def test_a_changed_byte_or_a_missing_file_is_found(package):
    records = _data(package) / "records.json"
    records.write_text(records.read_text(encoding="utf-8").replace("KS 2023", "KS 2029"))
    (_data(package) / "records.xml").unlink()
    errors = validate_package(package)
    assert any("records.json has the wrong SHA-256" in e for e in errors)
    assert any("records.xml does not exist" in e for e in errors)


def test_a_value_outside_the_csip_vocabulary_fails_the_schema(package):
    path = package / "METS.xml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('OAISPACKAGETYPE="SIP"', 'OAISPACKAGETYPE="XIP"')
    )
    errors = validate_package(package)
    assert any("OAISPACKAGETYPE" in e for e in errors)


def test_the_json_holds_the_records_facts_and_nothing_unpublished(package, built):
    data = json.loads((_data(package) / "records.json").read_text(encoding="utf-8"))
    assert [m["case_number"] for m in data["motions"]] == ["KS 2023-00417"]
    motion = data["motions"][0]
    assert [c["text"] for c in motion["clauses"]] == [
        "att en handlingsplan tas fram",
        "att planen återrapporteras årligen",
    ]
    assert motion["referrals"][0]["response_summary"] == "Kommunstyrelsen tillstyrker."
    assert motion["proposals"][0]["paragraph"] == "45"
    decision = motion["decisions"][0]
    assert decision["paragraph"] == 112
    assert decision["outcomes"] == [
        {"clause": 1, "outcome": "approved"},
        {"clause": 2, "outcome": "answered"},
    ]
    assert decision["statements"][0]["text"] == "Vi reserverar oss."
    assert decision["appeals"][0]["case_number"] == "Mål 4212-24"
    commitment = decision["commitments"][0]
    assert commitment["title"] == "Handlingsplan 2030"
    # The published follow-up, not the draft one.
    assert [f["reason"] for f in commitment["followups"]] == ["Planen är under arbete."]
    assert data["package"]["organisation_number"] == "212000-1561"
    text = json.dumps(data, ensure_ascii=False)
    for other in built["excluded"]:
        assert other.case_number not in text


def test_the_xml_holds_the_same_facts(package):
    tree = etree.parse(str(_data(package) / "records.xml"))
    ns = {"r": "urn:x-beslutsspar:archive:1.0"}
    assert tree.xpath("//r:motions/r:motion/r:case_number/text()", namespaces=ns) == [
        "KS 2023-00417"
    ]
    decision = tree.xpath("//r:motion/r:decisions/r:decision", namespaces=ns)[0]
    assert decision.findtext("r:paragraph", namespaces=ns) == "112"
    outcomes = [
        (o.findtext("r:clause", namespaces=ns), o.findtext("r:outcome", namespaces=ns))
        for o in decision.xpath("r:outcomes/r:outcome", namespaces=ns)
    ]
    assert outcomes == [("1", "approved"), ("2", "answered")]


def test_the_documents_are_copied_byte_for_byte(package):
    data = json.loads((_data(package) / "records.json").read_text(encoding="utf-8"))
    motion = data["motions"][0]
    paths = {
        PDF: motion["document"]["path"],
        RESPONSE: motion["referrals"][0]["response_document"]["path"],
        MINUTES: motion["decisions"][0]["documents"][0]["path"],
    }
    for content, path in paths.items():
        assert (_data(package) / path).read_bytes() == content


def test_premis_has_the_fixity_of_every_data_file_and_the_creation_event(package):
    premis = etree.parse(str(package / "metadata/preservation/premis.xml"))
    ns = {"p": "http://www.loc.gov/premis/v3"}
    digests = dict(
        zip(
            premis.xpath(
                "//p:object/p:objectIdentifier/p:objectIdentifierValue/text()", namespaces=ns
            )[1:],
            premis.xpath("//p:fixity/p:messageDigest/text()", namespaces=ns),
            strict=True,
        )
    )
    assert len(digests) == 5  # records.xml, records.json and three documents
    for path, digest in digests.items():
        assert sha256(package / path) == digest
    assert "creation" in premis.xpath("//p:eventType/text()", namespaces=ns)


def test_the_command_writes_a_zip_with_one_root_folder(built, tmp_path, capsys):
    with translation.override("en"):  # the message is checked in English
        call_command(
            "archive_export",
            body="boras",
            term="2022-2026",
            output=tmp_path / "z",
            zip=True,
            validate=True,
        )
    assert "The package is valid" in capsys.readouterr().out
    (archive,) = (tmp_path / "z").iterdir()
    with zipfile.ZipFile(archive) as z:
        roots = {name.split("/")[0] for name in z.namelist()}
        z.extractall(tmp_path / "unpacked")
    assert roots == {archive.stem}
    assert validate_package(tmp_path / "unpacked" / archive.stem) == []


def test_the_command_validates_on_request(built, tmp_path, capsys):
    with translation.override("en"):  # the message is checked in English
        call_command(
            "archive_export", body="boras", term="2022–2026", output=tmp_path / "v", validate=True
        )
    assert "The package is valid" in capsys.readouterr().out
    (root,) = (tmp_path / "v").iterdir()
    assert (root / "METS.xml").is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"body": "nowhere", "term": "2022-2026"}, "nowhere"),
        ({"body": "boras", "term": "2014-2018"}, "2014-2018"),
        ({"body": "boras", "term": "junk"}, "junk"),
    ],
)
def test_bad_arguments_fail_cleanly_and_write_nothing(built, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("archive_export", output=tmp_path / "out", **arguments)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_use_is_refused_and_left_alone(built, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="used"):
        call_command("archive_export", body="boras", term="2022-2026", output=used)
    assert [p.name for p in tmp_path.iterdir()] == ["used"]
    assert [p.name for p in used.iterdir()] == ["keep.txt"]


def test_a_failure_midway_leaves_nothing_behind(built, tmp_path, monkeypatch):
    def broken(motion):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rec, "motion_record", broken)
    with pytest.raises(RuntimeError):
        build_package(body=built["body"], term=built["term"], output=tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def _queries_for_one_batch(body, term):
    with CaptureQueriesContext(connection) as captured:
        for batch in rec.batches(rec.motions_of_term(body, term), size=1000):
            for motion in batch:
                rec.motion_record(motion)
    return len(captured)


def test_a_batch_costs_the_same_queries_whatever_it_holds(built):
    body, term = built["body"], built["term"]
    few = _queries_for_one_batch(body, term)
    for n in range(4):
        motion = MotionFactory(
            body=body, case_number=f"KS 2024-01{n:03d}", submitted_on=date(2024, 3, 1)
        )
        CommitmentFactory(decision=DecisionFactory(motion=motion))
    many = _queries_for_one_batch(body, term)
    assert few == many == QUERIES_PER_BATCH


# One batch of motions with their whole story: motions, clauses, submitters, referrals,
# proposals (+ outcomes, alternatives, reservations), decisions (+ clause outcomes, party
# votes, statements, documents, dispatched-to, appeals, commitments, follow-ups): 1+1+1+1+4+9.
QUERIES_PER_BATCH = 17
