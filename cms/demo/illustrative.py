"""Illustrative Borås records around the seed story, so every public page has something to
show (README: "What the demo shows"): motions over two terms in every status and outcome,
commitments in every status and signal, an appeal, an end-of-term write-off and a 5:35 report.

Nothing here is in the seeds. Every motion, decision and commitment says so in its own text
with the word "Illustrativt" (see NOTE), and every follow-up and measurement with
"(illustrativt)", which the public pages show as they are. Open motions are dated back from
today, so the deadline flags stay live; finished ones have fixed dates. Every date is a working
day; the council (KF) meets on Thursdays, Kommunstyrelsen on Mondays, committees on Tuesdays.

Everything is written through `motions.services`, `motions.reports` and `plans.services`, like
the admin. Idempotent: a motion is looked up by its title, a decision by its meeting and title,
a commitment by its slug; a motion that exists is left as it is.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from motions import reports, services
from motions.deadlines import appeal_deadline, is_working_day, next_working_day
from motions.models import (
    Appeal,
    Decision,
    Meeting,
    Membership,
    Motion,
    MotionKind,
    Outcome,
    Person,
    UndecidedReport,
    VoteMethod,
    WriteOffGround,
)
from plans import services as plan_services
from plans.models import Commitment, Direction, FollowUp, Indicator, Measurement, PeriodKind
from plans.status import Status

MARK = "Illustrativt"
NOTE = f"{MARK} exempel: ärendet, personerna, datumen och paragraferna är påhittade för demon."
FOLLOWUP_MARK = "(illustrativt)"

# Illustrative councillors, one per party (names chosen to be common, not real office holders).
PEOPLE = {
    "Maria Lindqvist": "S",
    "Jonas Berglund": "M",
    "Lena Forsberg": "SD",
    "Sanna Holmgren": "C",
    "Peter Åström": "L",
    "Gustav Nyström": "KD",
    "Ali Rahimi": "V",
    "Hanna Sjöberg": "MP",
}
# Seats per party in the 73-seat council, for votes (illustrative).
SEATS = {"S": 23, "M": 14, "SD": 14, "C": 4, "L": 4, "KD": 4, "V": 5, "MP": 5}

# Weekdays on which each kind of organ meets: council Thursday, executive Monday, others Tuesday.
MEETING_WEEKDAY = {"council": 3, "executive": 0}


@dataclass(frozen=True)
class Row:
    """One illustrative case. `submitted`: a date, or days before today for open cases.
    `story`: how far it got (see `Story`); `outcome`: the clause outcomes when decided."""

    key: str
    title: str
    clauses: tuple
    submitted: date | int
    story: str
    by: str  # a councillor's name, or a resident's for citizen proposals and e-proposals
    organ: str = "ks"
    topic: str = "Trygghet"
    kind: str = MotionKind.MOTION
    outcome: str = ""  # approved, partly, rejected, answered
    vote_against: tuple = ()
    close: bool = False
    appeal: bool = False
    late: bool = False  # decided after its one-year deadline


A, R, N = Outcome.APPROVED, Outcome.REJECTED, Outcome.ANSWERED
OUTCOMES = {
    "approved": lambda n: dict.fromkeys(range(1, n + 1), A),
    "partly": lambda n: {i: (A if i == 1 else R) for i in range(1, n + 1)},
    "rejected": lambda n: dict.fromkeys(range(1, n + 1), R),
    "answered": lambda n: dict.fromkeys(range(1, n + 1), N),
}

# Stories, in the order the steps happen: raised → referred → answered → proposal → scheduled,
# then tabled, sent back or decided. "end_of_term" and "reported" wait to be written off,
# "handed" is a citizen proposal the council hands to a committee to decide.
STEPS = {
    "submitted": 0,
    "raised": 1,
    "referred": 2,
    "answered": 3,
    "proposal": 4,
    "scheduled": 5,
    "tabled": 5,
    "sent_back": 5,
    "decided": 5,
    "withdrawn": 2,
    "end_of_term": 2,
    "reported": 3,
    "handed": 1,
    "collecting": 0,
    "lapsed": 0,
}
SIGNATURE_WINDOW = 90

ROWS = [
    # --- the term 2018-2022 -------------------------------------------------------------
    Row("gangtunnlar", "Bättre belysning i gångtunnlarna i Hässleholmen", ("att gångtunnlarna i Hässleholmen får LED-belysning", "att belysningen ses över varje höst"), date(2019, 2, 4), "decided", "Peter Åström", "tekniska-namnden", outcome="approved", close=True),
    Row("laxhjalp", "Läxhjälp på biblioteken i Norrby och Hässleholmen", ("att läxhjälp erbjuds två kvällar i veckan på biblioteken i Norrby och Hässleholmen",), date(2019, 3, 11), "decided", "Ali Rahimi", "kulturnamnden", "Social hållbarhet", outcome="approved", close=True),
    Row("simskola", "Simskola för alla barn i årskurs 3", ("att alla elever kan simma 200 meter i slutet av årskurs 3", "att skolan ordnar transport till badet"), date(2019, 5, 6), "decided", "Hanna Sjöberg", "forskole-och-grundskolenamnden", "Fritid", outcome="partly", vote_against=("M", "SD", "KD"), close=True),
    Row("kameror", "Kameraövervakning på Hulta torg", ("att kameraövervakning införs på Hulta torg",), date(2019, 9, 2), "decided", "Lena Forsberg", "ks", outcome="rejected", vote_against=("M", "SD", "KD"), close=True),
    Row("fritidsbank", "En fritidsbank i Sjöbo", ("att en fritidsbank öppnas i Sjöbo",), date(2020, 1, 13), "decided", "Sanna Holmgren", "fritids-och-folkhalsonamnden", "Fritid", outcome="answered", close=True),
    Row("grona-tak", "Gröna tak på kommunens nya byggnader", ("att nya kommunala byggnader får sedumtak där det är möjligt",), date(2020, 9, 14), "decided", "Hanna Sjöberg", "samhallsbyggnadsnamnden", "Samhällsplanering", outcome="approved", close=True),
    Row("skolvag", "Trygga skolvägar i Norrby", ("att skolvägarna i Norrby kartläggs", "att farthinder sätts upp vid skolorna"), date(2021, 2, 8), "decided", "Gustav Nyström", "tekniska-namnden", outcome="approved"),
    Row("bostadsko", "Förtur i bostadskön för unga vuxna", ("att AB Bostäder i Borås inför förtur för unga vuxna",), date(2021, 4, 12), "withdrawn", "Jonas Berglund", "ks", "Bostäder"),
    Row("nattvandring", "Stöd till nattvandrare i alla stadsdelar", ("att föreningar som nattvandrar får ett årligt bidrag",), date(2021, 11, 8), "end_of_term", "Lena Forsberg", "fritids-och-folkhalsonamnden"),
    Row("parklekar", "Fler parklekar med personal", ("att Borås får två nya bemannade parklekar",), date(2022, 1, 17), "end_of_term", "Maria Lindqvist", "tekniska-namnden", "Fritid"),
    Row("sommarlov", "Avgiftsfria sommarlovsaktiviteter", ("att sommarlovsaktiviteterna blir avgiftsfria för alla barn",), date(2022, 2, 14), "end_of_term", "Ali Rahimi", "fritids-och-folkhalsonamnden", "Fritid"),
    Row("boule", "Boulebana i Brämhult", ("att en boulebana anläggs i Brämhult",), date(2021, 5, 10), "handed", "Birgitta Svensson", "tekniska-namnden", "Fritid", kind=MotionKind.CITIZEN_PROPOSAL, outcome="approved"),
    # --- the term 2022-2026, decided ----------------------------------------------------
    Row("feriejobb-fler", "Feriejobb för alla 16-åringar", ("att alla 16-åringar som söker erbjuds feriejobb", "att de kommunala bolagen tar emot minst en tredjedel"), date(2023, 1, 16), "decided", "Maria Lindqvist", "arbetslivsnamnden", "Arbetsmarknad", outcome="approved", close=True),
    Row("trygghetsvandring", "Trygghetsvandringar i alla stadsdelar", ("att trygghetsvandringar görs i varje stadsdel en gång om året",), date(2023, 3, 6), "decided", "Sanna Holmgren", "ks", outcome="approved", close=True),
    Row("lekplats", "Tillgängliga lekplatser", ("att varje stadsdel får minst en tillgänglig lekplats", "att lekplatserna inventeras"), date(2023, 4, 17), "decided", "Peter Åström", "tekniska-namnden", "Fritid", outcome="approved"),
    Row("sprakcafe", "Språkcaféer på biblioteken", ("att språkcaféer hålls varje vecka på stadsdelsbiblioteken", "att volontärer får utbildning"), date(2023, 9, 4), "decided", "Hanna Sjöberg", "kulturnamnden", "Social hållbarhet", outcome="partly", vote_against=("SD",)),
    Row("vuxenutbildning", "Yrkesutbildning för vuxna inom byggsektorn", ("att vuxenutbildningen startar en byggutbildning med praktik hos bostadsbolagen",), date(2023, 10, 2), "decided", "Jonas Berglund", "gymnasie-och-vuxenutbildningsnamnden", "Arbetsmarknad", outcome="approved"),
    Row("ordningsvakter", "Ordningsvakter i centrum", ("att Borås Stad anlitar ordningsvakter i centrum på helgkvällar",), date(2023, 11, 6), "decided", "Lena Forsberg", "ks", outcome="rejected", vote_against=("M", "SD", "KD")),
    Row("socialtjanst", "Socialtjänst på plats i Norrby", ("att socialtjänsten har mottagning i Norrby två dagar i veckan",), date(2024, 2, 5), "decided", "Ali Rahimi", "individ-och-familjeomsorgsnamnden", "Social hållbarhet", outcome="approved"),
    Row("hemtjanst", "Fast omsorgskontakt i hemtjänsten", ("att alla med hemtjänst får en fast omsorgskontakt",), date(2024, 3, 4), "decided", "Gustav Nyström", "sociala-omsorgsnamnden", "Social hållbarhet", outcome="answered"),
    Row("tradplantering", "Ett träd för varje nyfött barn", ("att ett träd planteras för varje barn som föds i Borås",), date(2024, 4, 8), "decided", "Sanna Holmgren", "samhallsbyggnadsnamnden", "Samhällsplanering", outcome="approved"),
    Row("matsvinn", "Minska matsvinnet i skolan", ("att matsvinnet i skolan halveras till 2028", "att varje skola mäter sitt svinn"), date(2024, 9, 2), "decided", "Hanna Sjöberg", "forskole-och-grundskolenamnden", "Social hållbarhet", outcome="approved"),
    Row("busskort", "Gratis busskort för pensionärer", ("att pensionärer reser gratis med kollektivtrafiken utanför rusningstid",), date(2024, 10, 7), "decided", "Gustav Nyström", "ks", outcome="rejected", vote_against=("SD", "KD", "V"), late=True),
    Row("utegym", "Utegym i Hulta", ("att ett utegym byggs i Hulta",), date(2025, 1, 13), "decided", "Jonas Berglund", "fritids-och-folkhalsonamnden", "Fritid", outcome="approved", appeal=True),
    Row("bad", "Öppettider på Stadsparksbadet", ("att Stadsparksbadet öppnar klockan sex på vardagar",), date(2025, 2, 3), "decided", "Karin Wallin", "fritids-och-folkhalsonamnden", "Fritid", kind=MotionKind.CITIZEN_PROPOSAL, outcome="answered"),
    Row("e-cykelbana", "Cykelbana längs Viskan hela vägen", ("att cykelbanan längs Viskan byggs ut till Sandared",), date(2025, 3, 3), "decided", "Johan Dahl", "tekniska-namnden", "Samhällsplanering", kind=MotionKind.E_PROPOSAL, outcome="rejected"),
    # --- open, dated back from today ------------------------------------------------------
    Row("reported", "Hundrastgård i Norrby", ("att en inhägnad hundrastgård anläggs i Norrby",), 820, "reported", "Peter Åström", "tekniska-namnden", "Fritid"),
    Row("overdue", "Öppna skolgårdar på helger", ("att skolgårdarna hålls öppna och belysta på helger",), 410, "answered", "Gustav Nyström", "forskole-och-grundskolenamnden", "Fritid"),
    Row("overdue-sent-back", "Sociala klausuler i kommunens upphandlingar", ("att sociala klausuler används i alla upphandlingar över 5 miljoner kronor",), 395, "sent_back", "Maria Lindqvist", "ks", "Arbetsmarknad"),
    Row("approaching", "Fler bänkar längs Viskan", ("att fler parkbänkar ställs ut längs Viskan",), 335, "proposal", "Sanna Holmgren", "tekniska-namnden", "Samhällsplanering"),
    Row("tabled", "Mötesplats för seniorer i Hässleholmen", ("att en mötesplats för seniorer öppnas i Hässleholmen",), 300, "tabled", "Lena Forsberg", "sociala-omsorgsnamnden", "Social hållbarhet"),
    Row("scheduled", "Laddstolpar vid alla kommunala arbetsplatser", ("att laddstolpar sätts upp vid alla kommunala arbetsplatser",), 230, "scheduled", "Hanna Sjöberg", "tekniska-namnden", "Samhällsplanering"),
    Row("proposal-ready", "Gratis mensskydd i skolan", ("att mensskydd finns gratis på alla skoltoaletter",), 200, "proposal", "Ali Rahimi", "forskole-och-grundskolenamnden", "Social hållbarhet"),
    Row("in-preparation", "Föreningslokaler i Sjöbo", ("att föreningar i Sjöbo får hyra kommunens lokaler kvällstid",), 120, "answered", "Jonas Berglund", "fritids-och-folkhalsonamnden", "Fritid"),
    Row("referred", "Trygghetsskapande belysning i parker", ("att parkerna i Hulta och Norrby får ny belysning",), 45, "referred", "Peter Åström", "tekniska-namnden"),
    Row("e-open", "Pulkabacke i Kristineberg", ("att kommunen anlägger en pulkabacke i Kristineberg",), 38, "raised", "Emma Karlsson", "tekniska-namnden", "Fritid", kind=MotionKind.E_PROPOSAL),
    Row("raised", "Läsfrämjande insatser i förskolan", ("att varje förskola får en läsombudsman",), 30, "raised", "Maria Lindqvist", "forskole-och-grundskolenamnden", "Social hållbarhet"),
    Row("citizen-new", "Fler papperskorgar i Ramnaparken", ("att fler papperskorgar sätts upp i Ramnaparken",), 12, "submitted", "Oskar Lund", "tekniska-namnden", "Samhällsplanering", kind=MotionKind.CITIZEN_PROPOSAL),
    Row("e-collecting", "Isbana på Stora torget", ("att en isbana anläggs på Stora torget varje vinter",), 20, "collecting", "Nora Lindgren", "tekniska-namnden", "Fritid", kind=MotionKind.E_PROPOSAL),
    Row("e-lapsed", "Hundbad i Viskan", ("att en badplats för hundar ordnas vid Viskan",), 150, "lapsed", "Elias Bergström", "tekniska-namnden", "Fritid", kind=MotionKind.E_PROPOSAL),
    Row("submitted", "Fler platser i sommarskolan", ("att sommarskolan tar emot alla elever som vill gå",), 6, "submitted", "Sanna Holmgren", "forskole-och-grundskolenamnden"),
]  # fmt: skip


# Non-motion council decisions that give assignments (uppdrag), for commitments.
# key: (date of the KF meeting, title, text)
ASSIGNMENTS = {
    "budget-2025": (
        date(2024, 11, 21),
        "Budget 2025 för Borås Stad: uppdrag till nämnderna",
        "Kommunfullmäktige fastställer budget 2025 och ger nämnderna de uppdrag som anges i budgeten.",
    ),
    "trygghetsprogram": (
        date(2023, 5, 25),
        "Program för trygghet i Borås",
        "Kommunfullmäktige antar programmet och ger Kommunstyrelsen i uppdrag att samordna insatserna.",
    ),
    "ny-inriktning": (
        date(2026, 3, 26),
        "Ny inriktning för arbetet med trygghet i bostadsområdena",
        "Kommunfullmäktige ersätter uppdraget om kameraövervakning i programmet för trygghet med ett uppdrag "
        "om trygghetsvärdar.",
    ),
}

# (slug, decision key, clause or None, title, organ, target year, story, indicator, reported back)
# story: how its follow-ups go (see FOLLOWUPS); the decision is a motion key or an assignment key.
COMMITMENTS = [
    ("gangtunnlar-led", "gangtunnlar", 1, "LED-belysning i gångtunnlarna i Hässleholmen", "tekniska-namnden", 2021, "completed", None, True),
    ("laxhjalp-bibliotek", "laxhjalp", 1, "Läxhjälp på biblioteken i Norrby och Hässleholmen", "kulturnamnden", 2020, "completed", None, False),
    ("simkunnighet-ak3", "simskola", 1, "Alla elever simkunniga i årskurs 3", "forskole-och-grundskolenamnden", 2023, "partly", None, False),
    ("sedumtak", "grona-tak", 1, "Gröna tak på nya kommunala byggnader", "samhallsbyggnadsnamnden", 2024, "closed_not_done", None, False),
    ("skolvagar-norrby", "skolvag", 2, "Farthinder vid skolorna i Norrby", "tekniska-namnden", 2025, "overdue", None, False),
    ("feriejobb-16", "feriejobb-fler", 1, "Feriejobb till alla 16-åringar som söker", "arbetslivsnamnden", 2028, "on_track", "feriejobb", False),
    ("trygghetsvandringar", "trygghetsvandring", 1, "Trygghetsvandringar i varje stadsdel", "ks", 2029, "stale", "trygghet", False),
    ("tillgangliga-lekplatser", "lekplats", 1, "En tillgänglig lekplats i varje stadsdel", "tekniska-namnden", 2027, "at_risk", None, False),
    ("sprakcafeer", "sprakcafe", 1, "Språkcaféer varje vecka på stadsdelsbiblioteken", "kulturnamnden", 2027, "on_hold", None, False),
    ("byggutbildning", "vuxenutbildning", 1, "Byggutbildning för vuxna med praktik hos bostadsbolagen", "gymnasie-och-vuxenutbildningsnamnden", 2027, "not_started", None, False),
    ("socialtjanst-norrby", "socialtjanst", 1, "Socialtjänstens mottagning i Norrby", "individ-och-familjeomsorgsnamnden", 2027, "on_track", None, False),
    ("trad-nyfodda", "tradplantering", 1, "Ett träd för varje nyfött barn", "samhallsbyggnadsnamnden", 2030, "no_evidence", None, False),
    ("matsvinn-halveras", "matsvinn", 1, "Halverat matsvinn i skolan till 2028", "forskole-och-grundskolenamnden", 2028, "on_track", None, False),
    ("utegym-hulta", "utegym", 1, "Utegym i Hulta", "fritids-och-folkhalsonamnden", 2027, "not_started_followup", None, False),
    ("boulebana-bramhult", "boule", 1, "Boulebana i Brämhult", "tekniska-namnden", 2022, "completed", None, False),
    ("kameror-hulta", "trygghetsprogram", None, "Kameraövervakning vid Hulta torg enligt programmet för trygghet", "ks", 2026, "superseded", None, False),
    ("trygghetsvardar", "ny-inriktning", None, "Trygghetsvärdar i Hässleholmen-Hulta och Norrby", "ks", 2028, "started", "trygghet", False),
    ("omradesutveckling-sjobo", "budget-2025", None, "Områdesutveckling i Sjöbo tillsammans med de boende", "ks", 2027, "on_track", None, False),
    ("feriejobb-bolagen", "budget-2025", None, "De kommunala bolagen tar emot fler feriearbetare", "arbetslivsnamnden", 2027, "on_track", "feriejobb", False),
]  # fmt: skip

INDICATORS = {
    "trygghet": (
        "Andel boende som känner sig trygga i Hässleholmen-Hulta och Norrby",
        "%",
        Direction.HIGHER,
        (2019, "48"),
        (2030, "70"),
        [(2020, "47"), (2021, "50"), (2022, "52"), (2023, "51"), (2024, "55"), (2025, "58")],
    ),
    "feriejobb": (
        "Antal feriejobb för unga i Borås",
        "personer",
        Direction.HIGHER,
        (2019, "620"),
        (2028, "1000"),
        [(2020, "540"), (2021, "660"), (2022, "710"), (2023, "780"), (2024, "850"), (2025, "905")],
    ),
}

I, D = Status.IN_PROGRESS, Status.COMPLETED  # noqa: E741
ANNUAL, INTERIM, T1, BACK = (
    PeriodKind.ANNUAL,
    PeriodKind.INTERIM,
    PeriodKind.TERTIAL_1,
    PeriodKind.REPORT_BACK,
)
# story -> follow-ups as (kind, period end, status, progress, reason); the last one is current.
FOLLOWUPS = {
    "on_track": [(ANNUAL, date(2024, 12, 31), I, 25, ""), (ANNUAL, date(2025, 12, 31), I, 50, ""), (T1, date(2026, 4, 30), I, 60, ""), (INTERIM, date(2026, 8, 31), I, 70, "")],
    "at_risk": [(ANNUAL, date(2024, 12, 31), I, 5, ""), (ANNUAL, date(2025, 12, 31), I, 10, "Upphandlingen av lekutrustning har överklagats"), (INTERIM, date(2026, 8, 31), I, 15, "")],
    "on_hold": [(ANNUAL, date(2024, 12, 31), I, 20, ""), (INTERIM, date(2026, 8, 31), Status.ON_HOLD, 30, "Pausat i väntan på nya lokaler på biblioteken")],
    "overdue": [(ANNUAL, date(2023, 12, 31), I, 20, ""), (ANNUAL, date(2024, 12, 31), I, 40, ""), (ANNUAL, date(2025, 12, 31), I, 55, "Två av fyra skolor har fått farthinder")],
    "stale": [(ANNUAL, date(2023, 12, 31), I, 15, ""), (INTERIM, date(2024, 8, 31), I, 30, "")],
    "started": [(T1, date(2026, 4, 30), I, 10, ""), (INTERIM, date(2026, 8, 31), I, 25, "")],
    "no_evidence": [],
    "not_started_followup": [(T1, date(2026, 4, 30), Status.NOT_STARTED, 0, "Bygglovet är sökt")],
    "completed": [(ANNUAL, date(2020, 12, 31), I, 50, ""), (ANNUAL, date(2021, 12, 31), D, 100, "Genomfört och besiktigat")],
    "partly": [(ANNUAL, date(2021, 12, 31), I, 40, ""), (ANNUAL, date(2023, 12, 31), Status.PARTLY_COMPLETED, 80, "Transporten till badet ordnas, men 85 procent av eleverna klarar kravet")],
    "closed_not_done": [(ANNUAL, date(2022, 12, 31), I, 10, ""), (ANNUAL, date(2024, 12, 31), Status.CLOSED_NOT_DONE, 10, "Taken visade sig för dyra att bära; nämnden avslutar uppdraget")],
    "superseded": [(ANNUAL, date(2024, 12, 31), I, 20, ""), (T1, date(2026, 4, 30), Status.SUPERSEDED, 20, "Ersatt av fullmäktiges nya inriktning")],
    "not_started": [],
}  # fmt: skip
REPORTED_BACK = (BACK, date(2022, 3, 31), D, 100, "Återrapporterat till kommunfullmäktige")


def meeting_day(kind: str, day: date) -> date:
    """The organ's first meeting day on or after `day`: a working day on its weekday, never in July."""
    weekday = MEETING_WEEKDAY.get(kind, 1)
    while day.weekday() != weekday or not is_working_day(day) or day.month == 7:
        day += timedelta(days=1)
    return day


def working_day(day: date) -> date:
    return next_working_day(day)


class IllustrativeLoader:
    def __init__(self, records: dict):
        self.records = records
        self.user = records.get("user")
        self.created = records["created"]
        self.body = records["bodies"]["boras"]
        self.organs = records["organs"]["boras"]
        self.parties = records["parties"]["boras"]
        self.today = timezone.localdate()
        self.paragraphs: dict = {}  # (organ pk, date) -> § numbers taken in this run
        self.decisions: dict = {}  # motion or assignment key -> Decision

    # --- meetings and § numbers ---------------------------------------------------------

    def meeting(self, organ_slug: str, day: date) -> Meeting:
        organ = self.organs[organ_slug]
        day = meeting_day(organ.kind, day)
        if not Meeting.objects.filter(organ=organ, date=day).exists():
            self.created.append(f"sammanträde: {organ} {day}")
        return services.meeting_create(
            organ=organ, day=day, title=f"{organ.name} (illustrativt datum)", user=self.user
        )

    def paragraph(self, organ, day: date) -> int:
        """§ numbers rise through the year: the council reaches about 180, others about 250."""
        per_year = 180 if organ.kind == "council" else 250
        number = 1 + (day.timetuple().tm_yday - 1) * per_year // 366
        taken = self.paragraphs.setdefault((organ.pk, day), set())
        taken |= set(
            Decision.objects.filter(meeting__organ=organ, meeting__date=day).values_list(
                "paragraph", flat=True
            )
        )
        while number in taken:
            number += 1
        taken.add(number)
        return number

    def term_of(self, day: date):
        return next(t for t in self.records["terms"]["boras"] if t.starts_on <= day <= t.ends_on)

    # --- people ---------------------------------------------------------------------------

    def submitter(self, row: Row, term) -> dict:
        if row.kind != MotionKind.MOTION:
            first = row.by.split()[0].lower()
            return {"resident_name": row.by, "resident_email": f"{first}@example.se"}
        person, _ = Person.objects.get_or_create(body=self.body, name=row.by)
        party = self.parties[PEOPLE[row.by]]
        Membership.objects.get_or_create(
            person=person, organ=self.organs["kf"], party=party, term=term
        )
        return {"person": person, "party": party}

    # --- a motion's story through the services ----------------------------------------------

    def motion(self, row: Row, pending: dict):
        existing = Motion.objects.filter(body=self.body, title=row.title).first()
        if existing:
            return
        submitted = row.submitted
        if isinstance(submitted, int):
            submitted = working_day(self.today - timedelta(days=submitted))
            # A lapsed e-proposal ends on its window's last day: make that a working day too.
            while row.story == "lapsed" and not is_working_day(
                submitted + timedelta(days=SIGNATURE_WINDOW)
            ):
                submitted = working_day(submitted + timedelta(days=1))
        term = self.term_of(submitted)
        kind_word = {MotionKind.MOTION: "motion", MotionKind.CITIZEN_PROPOSAL: "medborgarförslag"}
        extra = {}
        if row.kind == MotionKind.E_PROPOSAL:
            extra = {"signature_threshold": 150, "signature_window_days": SIGNATURE_WINDOW}
        motion = services.motion_create(
            body=self.body,
            kind=row.kind,
            case_number=f"KS {submitted.year}-{500 + ROWS.index(row):05d}",
            title=row.title,
            text=f"<p>{row.title}.</p><p>{NOTE}</p>",
            submitted_on=submitted,
            term=term,
            clauses=list(row.clauses),
            submitters=[self.submitter(row, term)],
            topics=[self.records["topics"][row.topic]],
            user=self.user,
            publish=True,
            **extra,
        )
        self.created.append(f"{kind_word.get(row.kind, 'e-förslag')} (illustrativ): {motion}")
        steps = STEPS[row.story]
        organ = self.organs[row.organ]
        if row.kind == MotionKind.E_PROPOSAL:  # the proposals' path: signatures, then the council
            reached = row.story not in ("collecting", "lapsed")
            services.e_proposal_register_signatures(
                motion=motion,
                count=164 if reached else 37,
                counted_on=working_day(submitted + timedelta(days=7)),
                organ=self.organs["ks"],
                user=self.user,
            )
            if row.story == "lapsed":
                services.e_proposal_lapse(motion=motion, today=self.today, user=self.user)
        if steps >= 1:
            raised = self.meeting("kf", submitted + timedelta(days=10))
            services.motion_raise(motion=motion, meeting=raised, user=self.user)
            day = raised.date
        if row.story == "handed":
            self.hand_over(motion, row, day)
            return
        if steps >= 2:
            sent = working_day(day + timedelta(days=5))
            referral = services.motion_refer(
                motion=motion,
                organ=organ,
                sent_on=sent,
                due_on=working_day(sent + timedelta(days=90)),
                user=self.user,
            )
            day = sent
        if steps >= 3:
            day = working_day(day + timedelta(days=80))
            services.referral_register_response(
                referral=referral,
                answered_on=day,
                summary=f"{organ.name} har lämnat sitt yttrande. {FOLLOWUP_MARK}",
                user=self.user,
            )
        outcomes = OUTCOMES[row.outcome or "approved"](len(row.clauses))
        if steps >= 4:
            day = meeting_day("executive", day + timedelta(days=21))
            word = "förslaget" if row.kind != MotionKind.MOTION else "motionen"
            services.proposal_register(
                motion=motion,
                organ=self.organs["ks"],
                proposed_on=day,
                outcomes=outcomes,
                paragraph=str(self.paragraph(self.organs["ks"], day)),
                text=f"<p>Kommunstyrelsen föreslår Kommunfullmäktige att besluta om {word} "
                f"enligt förslaget för varje att-sats.</p><p>{NOTE}</p>",
                user=self.user,
            )
        if steps >= 5:
            earliest = day + timedelta(days=14)
            if row.late:
                earliest = max(earliest, submitted + timedelta(days=400))
            if row.story == "scheduled":  # on the agenda of the council's next meeting
                earliest = max(earliest, self.today + timedelta(days=1))
            council = self.meeting("kf", earliest)
            services.motion_schedule(motion=motion, meeting=council, user=self.user)
            if row.story == "tabled":
                services.motion_table(
                    motion=motion,
                    meeting=council,
                    reason="Bordlagt på begäran av SD.",
                    user=self.user,
                )
            elif row.story == "sent_back":
                services.motion_send_back(
                    motion=motion,
                    meeting=council,
                    reason="Återremitteras för att kostnaderna ska utredas.",
                    user=self.user,
                )
            elif row.story == "decided":
                self.decide(motion, row, council, outcomes)
        if row.story == "withdrawn":
            services.motion_withdraw(
                motion=motion,
                withdrawn_on=working_day(day + timedelta(days=30)),
                reason="Motionären har tagit tillbaka motionen.",
                user=self.user,
            )
        if row.story in ("end_of_term", "reported"):
            pending.setdefault(row.story, []).append(motion)

    def decide(self, motion, row: Row, council: Meeting, outcomes: dict):
        kf = self.organs["kf"]
        vote = {}
        if row.vote_against:
            rows = []
            for abbr, seats in SEATS.items():
                absent = 1 if abbr in ("S", "SD") else 0
                present = seats - absent
                against = abbr in row.vote_against
                rows.append(
                    {
                        "party": self.parties[abbr],
                        "votes_for": 0 if against else present,
                        "votes_against": present if against else 0,
                        "votes_abstaining": 0,
                        "votes_absent": absent,
                    }
                )
            totals = [sum(r[k] for r in rows) for k in ("votes_for", "votes_against")]
            vote = {
                "vote_method": VoteMethod.VOTE,
                "votes": (totals[0], totals[1], 0, 2),
                "party_votes": rows,
                "statements": [
                    {
                        "kind": "reservation",
                        "party": self.parties[abbr],
                        "text": f"{abbr} reserverar sig mot beslutet. {FOLLOWUP_MARK}",
                    }
                    for abbr in row.vote_against
                ],
            }
        minutes = working_day(council.date + timedelta(days=6))
        notice = working_day(minutes + timedelta(days=1))
        word = {
            MotionKind.MOTION: f"motion av {row.by} ({PEOPLE.get(row.by)})",
            MotionKind.CITIZEN_PROPOSAL: "medborgarförslag",
        }
        decision = services.motion_decide(
            motion=motion,
            meeting=council,
            paragraph=self.paragraph(kf, council.date),
            decided_on=council.date,
            outcomes=outcomes,
            title=f"Svar på {word.get(row.kind, 'e-förslag')}: {row.title}",
            text=f"<p>Kommunfullmäktige beslutar i enlighet med Kommunstyrelsens förslag.</p><p>{NOTE}</p>",
            dispatched_to=[self.organs[row.organ]],
            minutes_approved_on=minutes,
            notice_posted_on=notice,
            user=self.user,
            **vote,
        )
        self.decisions[row.key] = decision
        if row.appeal:
            appeal = Appeal(
                decision=decision,
                court="Förvaltningsrätten i Göteborg",
                case_number=f"Mål nr {4100 + decision.paragraph}-{notice.year % 100}",
                lodged_on=working_day(notice + timedelta(days=12)),
            )
            appeal.full_clean()
            appeal.save()
            self.created.append(f"laglighetsprövning: {appeal}")
        if row.close:
            services.motion_close(
                motion=motion,
                closed_on=working_day(appeal_deadline(notice) + timedelta(days=1)),
                user=self.user,
            )

    def hand_over(self, motion, row: Row, day: date):
        """A citizen proposal the council hands to a committee, which decides it."""
        organ = self.organs[row.organ]
        handed = self.meeting("kf", day + timedelta(days=28))
        services.motion_hand_to_committee(
            motion=motion, meeting=handed, organ=organ, user=self.user
        )
        committee = self.meeting(row.organ, handed.date + timedelta(days=60))
        minutes = working_day(committee.date + timedelta(days=6))
        self.decisions[row.key] = services.motion_decide(
            motion=motion,
            meeting=committee,
            paragraph=self.paragraph(organ, committee.date),
            decided_on=committee.date,
            outcomes=OUTCOMES[row.outcome](len(row.clauses)),
            title=f"Svar på medborgarförslag: {row.title}",
            text=f"<p>{organ.name} bifaller förslaget.</p><p>{NOTE}</p>",
            minutes_approved_on=minutes,
            notice_posted_on=working_day(minutes + timedelta(days=1)),
            user=self.user,
        )

    # --- write-offs and the 5:35 report -------------------------------------------------------

    def write_off_at_end_of_term(self, motions):
        council = self.meeting("kf", date(2022, 9, 22))
        services.motions_write_off_bulk(
            body=self.body,
            motions=motions,
            meeting=council,
            paragraph=self.paragraph(self.organs["kf"], council.date),
            decided_on=council.date,
            title="Avskrivning av obesvarade motioner vid mandatperiodens slut",
            legal_ground=WriteOffGround.END_OF_TERM,
            reason="Motionärerna lämnar fullmäktige när mandatperioden 2018–2022 slutar och har "
            f"medgett att motionerna avskrivs.\n\n{NOTE}",
            consents={m.pk: True for m in motions},
            user=self.user,
        )
        self.created.append(f"avskrivning vid mandatperiodens slut: {len(motions)} motioner")

    def report_and_write_off(self, motions):
        """The spring 5:35 report to the council, then one reported motion written off."""
        if UndecidedReport.objects.filter(body=self.body, issued_at__isnull=False).exists():
            return
        council = self.meeting("kf", self.today - timedelta(days=200))
        report = reports.report_prepare(body=self.body, as_of=council.date)
        reports.report_issue(
            report=report,
            user=self.user,
            council_paragraph=str(self.paragraph(self.organs["kf"], council.date)),
        )
        self.created.append(f"redovisning av obesvarade motioner per {council.date}")
        if motions:
            later = self.meeting("kf", council.date + timedelta(days=30))
            services.motions_write_off_bulk(
                body=self.body,
                motions=motions,
                meeting=later,
                paragraph=self.paragraph(self.organs["kf"], later.date),
                decided_on=later.date,
                title="Avskrivning av motion som redovisats som obesvarad",
                legal_ground=WriteOffGround.REPORTED_UNDECIDED,
                reason="Motionen redovisades som obesvarad och avskrivs enligt 5 kap. 35 § "
                f"kommunallagen.\n\n{NOTE}",
                user=self.user,
            )

    # --- commitments ----------------------------------------------------------------------------

    def assignment(self, key: str) -> Decision:
        day, title, text = ASSIGNMENTS[key]
        council = self.meeting("kf", day)
        decision = Decision.objects.filter(meeting=council, title=title).first()
        if decision is None:
            minutes = working_day(council.date + timedelta(days=6))
            decision = services.decision_record(
                body=self.body,
                meeting=council,
                paragraph=self.paragraph(self.organs["kf"], council.date),
                decided_on=council.date,
                title=title,
                text=f"<p>{text}</p><p>{NOTE}</p>",
                minutes_approved_on=minutes,
                notice_posted_on=working_day(minutes + timedelta(days=1)),
                gives_assignment=True,
                user=self.user,
            )
            self.created.append(f"beslut (illustrativt): {decision}")
        return decision

    def decision_of(self, key: str) -> Decision:
        if key in ASSIGNMENTS:
            return self.assignment(key)
        row = next(r for r in ROWS if r.key == key)
        return Decision.objects.get(motion__body=self.body, motion__title=row.title)

    def indicator(self, key: str) -> Indicator:
        title, unit, direction, (base_year, base), (target_year, target), values = INDICATORS[key]
        indicator = Indicator.objects.filter(body=self.body, title=title).first()
        if indicator is None:
            indicator = plan_services.indicator_create(
                body=self.body,
                title=title,
                unit=unit,
                direction=direction,
                baseline_year=base_year,
                baseline_value=Decimal(base),
                target_year=target_year,
                target_value=Decimal(target),
                source=f"Borås Stad {FOLLOWUP_MARK}",
            )
            self.created.append(f"indikator (illustrativ): {indicator}")
        for year, value in values:
            if not Measurement.objects.filter(indicator=indicator, year=year).exists():
                plan_services.measurement_add(
                    indicator=indicator,
                    year=year,
                    value=Decimal(value),
                    unit=unit,
                    note=FOLLOWUP_MARK,
                )
        return indicator

    def commitment(self, slug, decision_key, clause, title, organ, target, story, indicator, back):
        if Commitment.objects.filter(body=self.body, slug=slug).exists():
            return
        decision = self.decision_of(decision_key)
        reported_back = REPORTED_BACK[1] if back else None
        commitment = plan_services.commitment_create(
            body=self.body,
            slug=slug,
            title=title,
            description=f"{title}. {NOTE}",
            decision=decision,
            clause_number=clause,
            responsible_organ=self.organs[organ],
            target_year=target,
            indicators=[self.indicator(indicator)] if indicator else [],
            reported_back_on=reported_back,
            reported_back_paragraph=str(self.paragraph(self.organs["kf"], reported_back))
            if back
            else "",
            user=self.user,
            publish=True,
        )
        self.created.append(f"åtagande (illustrativt): {commitment}")
        rows = FOLLOWUPS[story] + ([REPORTED_BACK] if back else [])
        for kind, period_end, status, progress, reason in rows:
            if period_end <= decision.decided_on:
                continue  # a story's early reports fall before a later decision
            if FollowUp.objects.filter(commitment=commitment, period_end=period_end).exists():
                continue
            followup = plan_services.followup_create(
                commitment=commitment,
                period_kind=kind,
                period_end=period_end,
                status=status,
                progress=progress,
                verified_on=period_end,
                reason=f"{reason} {FOLLOWUP_MARK}".strip(),
                source=f"{PeriodKind(kind).label} {period_end.year} {FOLLOWUP_MARK}",
                evidence=[("Årsredovisning (illustrativ)", "https://www.boras.se/")]
                if status == D
                else [],
                superseded_by=self.assignment("ny-inriktning")
                if status == Status.SUPERSEDED
                else None,
                author=self.user,
            )
            plan_services.followup_publish(followup=followup, user=self.user)

    def load(self):
        pending: dict = {}
        for row in ROWS:
            self.motion(row, pending)
        if pending.get("end_of_term"):
            self.write_off_at_end_of_term(pending["end_of_term"])
        self.report_and_write_off(pending.get("reported", []))
        for row in COMMITMENTS:
            self.commitment(*row)


def load(records: dict) -> None:
    IllustrativeLoader(records).load()
