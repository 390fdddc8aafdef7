"""Demo records built from the seed documents (README: "What the demo shows").

Every write of a motion, referral, proposal or decision goes through `motions.services`,
so the demo has the same revisions and log entries as real use. Each step first looks the
record up by its natural key, which makes loading twice a no-op.

Facts that are not in the seeds (dates, § numbers, case numbers, votes, people other than
Anna Christensen) are invented and say so in their text: "(illustrativt)"."""

from dataclasses import dataclass, field
from datetime import date

from motions import services
from motions.models import (
    Area,
    AreaClassification,
    Body,
    Coalition,
    Decision,
    Meeting,
    Membership,
    Motion,
    MotionKind,
    Organ,
    OrganKind,
    Outcome,
    Party,
    Person,
    Term,
    Topic,
)

ILLUSTRATIVE = "Datum, paragrafnummer, diarienummer och röstsiffror är illustrativa."

PARTY_NAMES = {
    "S": "Socialdemokraterna",
    "M": "Moderaterna",
    "SD": "Sverigedemokraterna",
    "C": "Centerpartiet",
    "L": "Liberalerna",
    "KD": "Kristdemokraterna",
    "V": "Vänsterpartiet",
    "MP": "Miljöpartiet de gröna",
}

# slug -> (name, e-mail of the council secretariat, organs, parties)
# organs: (name, abbreviation, slug, kind, seats)
BODIES = {
    "boras": (
        "Borås Stad",
        "kommunkansliet@boras.example",
        [
            ("Kommunfullmäktige", "KF", "kf", OrganKind.COUNCIL, 73),
            ("Kommunstyrelsen", "KS", "ks", OrganKind.EXECUTIVE, 13),
            ("Arbetslivsnämnden", "ALN", "arbetslivsnamnden", OrganKind.COMMITTEE, 11),
            (
                "Förskole- och grundskolenämnden",
                "FGN",
                "forskole-och-grundskolenamnden",
                OrganKind.COMMITTEE,
                13,
            ),
            (
                "Gymnasie- och vuxenutbildningsnämnden",
                "GVN",
                "gymnasie-och-vuxenutbildningsnamnden",
                OrganKind.COMMITTEE,
                11,
            ),
            (
                "Individ- och familjeomsorgsnämnden",
                "IFO",
                "individ-och-familjeomsorgsnamnden",
                OrganKind.COMMITTEE,
                11,
            ),
            ("Tekniska nämnden", "TN", "tekniska-namnden", OrganKind.COMMITTEE, 11),
            ("Samhällsbyggnadsnämnden", "SBN", "samhallsbyggnadsnamnden", OrganKind.COMMITTEE, 11),
            (
                "Miljö- och konsumentnämnden",
                "MKN",
                "miljo-och-konsumentnamnden",
                OrganKind.COMMITTEE,
                11,
            ),
            ("Kulturnämnden", "KN", "kulturnamnden", OrganKind.COMMITTEE, 11),
            ("Sociala omsorgsnämnden", "SON", "sociala-omsorgsnamnden", OrganKind.COMMITTEE, 11),
            (
                "Fritids- och folkhälsonämnden",
                "FFN",
                "fritids-och-folkhalsonamnden",
                OrganKind.COMMITTEE,
                11,
            ),
            ("AB Bostäder i Borås", "", "ab-bostader-i-boras", OrganKind.COMPANY, None),
        ],
        ["S", "M", "SD", "C", "L", "KD", "V", "MP"],
    ),
    "vasteras": (
        "Västerås stad",
        "kommunkansliet@vasteras.example",
        [
            ("Kommunfullmäktige", "KF", "kf", OrganKind.COUNCIL, 79),
            ("Kommunstyrelsen", "KS", "ks", OrganKind.EXECUTIVE, 15),
            (
                "Individ- och familjenämnden",
                "IFN",
                "individ-och-familjenamnden",
                OrganKind.COMMITTEE,
                13,
            ),
            (
                "Kultur-, idrotts- och fritidsnämnden",
                "KIFN",
                "kultur-idrotts-och-fritidsnamnden",
                OrganKind.COMMITTEE,
                13,
            ),
            ("Bostads AB Mimer", "Mimer", "mimer", OrganKind.COMPANY, None),
        ],
        ["S", "M", "SD", "C", "L", "KD", "V", "MP"],
    ),
    "stenungsund": (
        "Stenungsunds kommun",
        "kommunkansliet@stenungsund.example",
        [
            ("Kommunfullmäktige", "KF", "kf", OrganKind.COUNCIL, 49),
            ("Kommunstyrelsen", "KS", "ks", OrganKind.EXECUTIVE, 13),
            ("Stenungsundshem AB", "", "stenungsundshem", OrganKind.COMPANY, None),
        ],
        ["S", "M", "SD", "C", "L", "KD", "V", "MP"],
    ),
    "kungalv": (
        "Kungälvs kommun",
        "kommunkansliet@kungalv.example",
        [
            ("Kommunfullmäktige", "KF", "kf", OrganKind.COUNCIL, 51),
            ("Kommunstyrelsen", "KS", "ks", OrganKind.EXECUTIVE, 13),
        ],
        ["S", "M", "SD", "C", "L", "KD", "V", "MP"],
    ),
    "goteborg": (
        "Göteborgs Stad",
        "kommunkansliet@goteborg.example",
        [
            ("Kommunfullmäktige", "KF", "kf", OrganKind.COUNCIL, 81),
            ("Kommunstyrelsen", "KS", "ks", OrganKind.EXECUTIVE, 13),
            ("Byggnadsnämnden", "BN", "byggnadsnamnden", OrganKind.COMMITTEE, 13),
        ],
        ["S", "M", "SD", "V", "MP", "L", "KD", "C"],
    ),
    "botkyrka": (
        "Botkyrka kommun",
        "kommunkansliet@botkyrka.example",
        [
            ("Kommunfullmäktige", "KF", "kf", OrganKind.COUNCIL, 61),
            ("Kommunstyrelsen", "KS", "ks", OrganKind.EXECUTIVE, 13),
            ("Samhällsbyggnadsnämnden", "SBN", "samhallsbyggnadsnamnden", OrganKind.COMMITTEE, 11),
        ],
        ["S", "M", "SD", "V", "MP", "C", "L", "KD"],
    ),
}

# 15 October of an election year to 14 October four years later, in order.
TERMS = [(date(year, 10, 15), date(year + 4, 10, 14)) for year in (2018, 2022, 2026)]

# body slug -> (name, slug, classification, year)
AREAS = {
    "boras": [
        (
            "Hässleholmen-Hulta",
            "hassleholmen-hulta",
            AreaClassification.PARTICULARLY_VULNERABLE,
            2023,
        ),
        ("Hässleholmen", "hassleholmen", AreaClassification.NONE, None),
        ("Hulta", "hulta", AreaClassification.NONE, None),
        ("Norrby", "norrby", AreaClassification.PARTICULARLY_VULNERABLE, 2023),
        ("Sjöbo", "sjobo", AreaClassification.NONE, None),
    ],
    "vasteras": [("Bäckby", "backby", AreaClassification.NONE, None)],
    "goteborg": [("Frihamnen", "frihamnen", AreaClassification.NONE, None)],
}

TOPICS = [
    "Trygghet",
    "Social hållbarhet",
    "Arbetsmarknad",
    "Bostäder",
    "Fritid",
    "Samhällsplanering",
]

# (body, name, party, organ slug, term index in TERMS)
PEOPLE = [
    ("boras", "Anna Christensen", "M", "kf", 1),
    ("boras", "Johan Ek", "KD", "kf", 1),
    ("boras", "Erik Lund", "L", "kf", 1),
    ("boras", "Erik Lund", "L", "kf", 2),
    ("vasteras", "Ingrid Sandberg", "V", "kf", 1),
    ("goteborg", "Sofia Åberg", "C", "kf", 1),
]


def p(*paragraphs: str) -> str:
    """Rich text from plain paragraphs."""
    return "".join(f"<p>{text}</p>" for text in paragraphs)


BORAS_CLAUSES = [
    "att Borås Stad inrättar en handlingsplan för Hulta-Hässleholmen och en handlingsplan för Norrby "
    "för att inga särskilt utsatta områden ska finnas",
    "att Borås Stad ska utreda om Gårdstensmodellen eller delar av denna kan implementeras och användas "
    "i Borås Stads arbete mot de särskilt utsatta områdena samt att Borås Stad ska ta till sig av "
    "framgångsrika metoder från andra kommuner",
]

# Seed 001 quotes the motion only as Kommunstyrelsen's summary of it; that summary is the
# motion's text here, word for word, and the page says where it comes from.
BORAS_MOTION_SUMMARY = (
    "Anna Christensen, Moderaterna, inkom den 21 december 2023 med en motion till Kommunfullmäktige, där hon "
    "föreslår att Borås Stad inrättar en handlingsplan för Hulta-Hässleholmen och en handlingsplan för Norrby "
    "för att inga särskilt utsatta områden ska finnas,"
)
BORAS_MOTION_SUMMARY_2 = (
    "att Borås Stad ska utreda om Gårdstensmodellen eller delar av denna kan implementeras och användas i "
    "Borås Stads arbete mot de särskilt utsatta områdena samt att Borås Stad ska ta till sig av "
    "framgångsrika metoder från andra kommuner."
)
BORAS_MOTION_TEXT = p(
    BORAS_MOTION_SUMMARY,
    BORAS_MOTION_SUMMARY_2,
    "Texten ovan är Kommunstyrelsens sammanfattning av motionen i ärendet. Diarienumret är illustrativt.",
)

# Kommunstyrelsen's proposal (seed 001, "Sammanfattning"), first as it stood with "anse
# besvarad", then as changed to "bifalles": the struck sentence is replaced by the last three
# paragraphs.
BORAS_PROPOSAL_COMMON = [
    BORAS_MOTION_SUMMARY,
    BORAS_MOTION_SUMMARY_2,
    "Sedan 2019 har Borås stad bedrivit långsiktigt arbete inom ramen för Socialt hållbart Borås med "
    "gemensamma mål för att främja social hållbarhet och motverka segregation. Det övergripande arbetet "
    "involverar samordning på både stadens övergripande nivå och genom områdesutveckling i specifika områden "
    "som till exempel Norrby, Hässleholmen och Sjöbo.",
    "Denna områdesutveckling följer en modell som bygger på samverkan mellan invånare, aktiva inom området, "
    "stadens tjänstepersoner och bostadsbolag, där målet är att gemensamt identifiera och lösa utmaningar. Det "
    "finns en ambition att stärka det tvärsektoriella arbetet för att förhindra att Borås har några utsatta "
    "områden, vilket inkluderar kunskapsutbyte och studiebesök för att lära av andra städers erfarenheter med "
    "att minska segregationen.",
]
PROPOSAL_NOTE = "Datum och paragrafnummer är illustrativa."

BORAS_PROPOSAL_ANSWERED = p(
    "Kommunstyrelsen föreslår Kommunfullmäktige besluta: Motionen anses besvarad.",
    *BORAS_PROPOSAL_COMMON,
    "Kommunstyrelsen menar därmed att ett arbete i motionens anda redan pågår och föreslår "
    "Kommunfullmäktige att anse motionen besvarad.",
    PROPOSAL_NOTE,
)

BORAS_PROPOSAL_APPROVED = p(
    "Kommunstyrelsen föreslår Kommunfullmäktige besluta: Motionen bifalles.",
    *BORAS_PROPOSAL_COMMON,
    "Med anledning av den fortsatta problematiken med särskilt utsatta områden behöver andra strategier "
    "genomföras och prövas, samt att främst fokusera på våra särskilt utsatta områden Hässleholmen-Hulta och "
    "Norrby då arbetet annars riskerar att generaliseras. Borås stad saknar idag en fungerande strategi för att "
    "arbeta med de särskilt utsatta områdena Hässleholmen-Hulta och Norrby. Hänvisningen till att socialt "
    "hållbart Borås redan arbetar med frågan sedan 2019 har inte ändrat de särskilt utsatta områdenas "
    "kategorisering.",
    "Pågående arbete, inom Socialt hållbart Borås, syftar till att hela kommunen på sikt ska vara socialt "
    "hållbar, men i arbetet för att Borås inte längre ska ha några särskilt utsatta områden behövs ett mer "
    "fokuserat angreppssätt. Ett rimligt tidsperspektiv för att nå denna ambition är att sätta målåret till "
    "2030. En plan ska tas fram med insatser som riktar in sig på just detta.",
    "Kommunstyrelsen föreslår därför Kommunfullmäktige att motionen bifalles.",
    PROPOSAL_NOTE,
)

# Seed 001: "Kommunfullmäktiges beslut expedieras till: Ingen expediering."
NO_DISPATCH = "Ingen expediering."


@dataclass
class DemoLoader:
    """Collects what it creates so the command can say what changed (nothing, the second time)."""

    user: object = None
    created: list[str] = field(default_factory=list)
    bodies: dict = field(default_factory=dict)
    organs: dict = field(default_factory=dict)  # body slug -> organ slug -> Organ
    parties: dict = field(default_factory=dict)  # body slug -> abbreviation -> Party
    terms: dict = field(default_factory=dict)  # body slug -> [Term 2018, 2022, 2026]
    areas: dict = field(default_factory=dict)  # body slug -> area slug -> Area
    topics: dict = field(default_factory=dict)  # name -> Topic
    people: dict = field(default_factory=dict)  # name -> Person
    motions: dict = field(default_factory=dict)
    decisions: dict = field(default_factory=dict)

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        if created:
            self.note(model, obj)
        return obj

    def note(self, model, obj):
        self.created.append(f"{model._meta.verbose_name}: {obj}")

    # --- organisation -------------------------------------------------------------------

    def load_organisation(self):
        for slug, (name, email, organs, parties) in BODIES.items():
            body = self.get_or_create(
                Body, slug=slug, defaults={"name": name, "secretariat_email": email}
            )
            self.bodies[slug] = body
            self.organs[slug] = {
                organ_slug: self.get_or_create(
                    Organ,
                    body=body,
                    slug=organ_slug,
                    defaults={
                        "name": organ_name,
                        "abbreviation": abbr,
                        "kind": kind,
                        "seats": seats,
                    },
                )
                for organ_name, abbr, organ_slug, kind, seats in organs
            }
            self.parties[slug] = {
                abbr: self.get_or_create(
                    Party,
                    body=body,
                    slug=abbr.lower(),
                    defaults={"name": PARTY_NAMES[abbr], "abbreviation": abbr},
                )
                for abbr in parties
            }
            self.terms[slug] = [
                self.get_or_create(Term, body=body, starts_on=start, defaults={"ends_on": end})
                for start, end in TERMS
            ]
            self.areas[slug] = {
                area_slug: self.get_or_create(
                    Area,
                    body=body,
                    slug=area_slug,
                    defaults={
                        "name": area_name,
                        "police_classification": kind,
                        "classified_year": year,
                    },
                )
                for area_name, area_slug, kind, year in AREAS.get(slug, [])
            }
        for name in TOPICS:
            self.topics[name] = self.get_or_create(Topic, name=name)

        # Borås's e-proposal rules (illustrative): 150 signatures in 90 days, handed to KS.
        boras = self.bodies["boras"]
        if boras.e_proposal_threshold is None:
            boras.e_proposal_threshold, boras.e_proposal_window_days = 150, 90
            boras.proposal_organ = self.organs["boras"]["ks"]
            boras.full_clean()
            boras.save()
            self.created.append(f"regler för e-förslag: {boras}")

        coalition = Coalition.objects.filter(
            body=self.bodies["boras"], name="Mittsamverkan"
        ).first()
        if coalition is None:
            coalition = Coalition.objects.create(
                body=self.bodies["boras"], name="Mittsamverkan", governing=True
            )
            coalition.parties.set([self.parties["boras"][abbr] for abbr in ("S", "C", "L", "MP")])
            # "De är inne på sin andra mandatperiod" (seed 000): the terms from 2018 and 2022.
            coalition.terms.set(self.terms["boras"][:2])
            self.note(Coalition, coalition)

        for body_slug, name, party, organ_slug, term_index in PEOPLE:
            person = self.get_or_create(Person, body=self.bodies[body_slug], name=name)
            self.people[name] = person
            self.get_or_create(
                Membership,
                person=person,
                organ=self.organs[body_slug][organ_slug],
                party=self.parties[body_slug][party],
                term=self.terms[body_slug][term_index],
            )

    def meeting(self, body_slug: str, organ_slug: str, day: date, title: str = "") -> Meeting:
        organ = self.organs[body_slug][organ_slug]
        return self.get_or_create(Meeting, organ=organ, date=day, defaults={"title": title})

    def member(self, name: str, party: str, body_slug: str) -> dict:
        return {"person": self.people[name], "party": self.parties[body_slug][party]}

    # --- steps through the services, each skipped when already done -----------------------

    def motion(
        self, key: str, *, body_slug: str, case_number: str, publish: bool = True, **fields
    ) -> Motion:
        body = self.bodies[body_slug]
        motion = Motion.objects.filter(body=body, case_number=case_number).first()
        if motion is None:
            motion = services.motion_create(
                body=body, case_number=case_number, user=self.user, publish=publish, **fields
            )
            self.note(Motion, motion)
        self.motions[key] = motion
        return motion

    def refer(self, motion, organ, *, sent_on, due_on=None, answered_on=None, summary=""):
        referral = motion.referrals.filter(organ=organ).first()
        if referral is None:
            referral = services.motion_refer(
                motion=motion, organ=organ, sent_on=sent_on, due_on=due_on, user=self.user
            )
            self.created.append(f"remiss: {motion.case_number} → {organ}")
        if answered_on and referral.answered_on is None:
            services.referral_register_response(
                referral=referral, answered_on=answered_on, summary=summary, user=self.user
            )
            self.created.append(f"remissvar: {motion.case_number} från {organ}")
        return referral

    def proposal(self, motion, organ, *, proposed_on, outcomes, text, paragraph="", **extra):
        proposal = motion.proposals.filter(organ=organ).first()
        if proposal is None:
            proposal = services.proposal_register(
                motion=motion,
                organ=organ,
                proposed_on=proposed_on,
                outcomes=outcomes,
                text=text,
                paragraph=paragraph,
                user=self.user,
                **extra,
            )
            self.note(type(proposal), proposal)
        return proposal

    def decision(self, key: str, *, meeting: Meeting, paragraph: int, **fields) -> Decision:
        decision = Decision.objects.filter(meeting=meeting, paragraph=paragraph).first()
        if decision is None:
            decision = services.decision_record(
                body=meeting.organ.body,
                meeting=meeting,
                paragraph=paragraph,
                user=self.user,
                **fields,
            )
            self.note(Decision, decision)
        self.decisions[key] = decision
        return decision

    # --- the records --------------------------------------------------------------------

    def load_boras(self):
        organs = self.organs["boras"]
        raised_at = self.meeting(
            "boras", "kf", date(2024, 1, 25), "Kommunfullmäktige (illustrativt datum)"
        )
        motion = self.motion(
            "boras_utsatta_omraden",
            body_slug="boras",
            case_number="KS 2023-01234",
            title="Inga särskilt utsatta områden ska finnas i Borås!",
            text=BORAS_MOTION_TEXT,
            submitted_on=date(2023, 12, 21),
            raised_at=raised_at,
            term=self.terms["boras"][1],
            clauses=BORAS_CLAUSES,
            submitters=[self.member("Anna Christensen", "M", "boras")],
            topics=[self.topics["Trygghet"], self.topics["Social hållbarhet"]],
            areas=[self.areas["boras"]["hassleholmen-hulta"], self.areas["boras"]["norrby"]],
        )
        proposal = self.proposal(
            motion,
            organs["ks"],
            proposed_on=date(2024, 5, 13),
            paragraph="201",
            outcomes={1: Outcome.ANSWERED, 2: Outcome.ANSWERED},
            text=BORAS_PROPOSAL_ANSWERED,
        )
        approved = {1: Outcome.APPROVED, 2: Outcome.APPROVED}
        if {o.clause_number: o.outcome for o in proposal.outcomes.all()} != approved:
            services.proposal_revise(
                proposal=proposal, outcomes=approved, text=BORAS_PROPOSAL_APPROVED, user=self.user
            )
            self.created.append(f"ny version av förslaget: {proposal}")

        # The seed gives no vote, no statements and no dispatch: decided by acclamation and
        # expedited to no one, as its "Ingen expediering" says.
        self.decision(
            "boras_utsatta_omraden",
            meeting=self.meeting(
                "boras", "kf", date(2024, 6, 13), "Kommunfullmäktige (illustrativt datum)"
            ),
            paragraph=85,
            decided_on=date(2024, 6, 13),
            title="Svar på motion av Anna Christensen (M): Inga särskilt utsatta områden ska finnas i Borås!",
            motion=motion,
            outcomes=approved,
            text=p(
                "Kommunfullmäktige beslutar: Motionen bifalles.",
                f"Kommunfullmäktiges beslut expedieras till: {NO_DISPATCH}",
                "Datum och paragrafnummer är illustrativa.",
            ),
            dispatched_to=[],
            minutes_approved_on=date(2024, 6, 19),
            notice_posted_on=date(2024, 6, 20),
        )

        kf_april = self.meeting(
            "boras", "kf", date(2026, 4, 23), "Kommunfullmäktige (illustrativt datum)"
        )
        feriejobb = self.motion(
            "boras_feriejobb",
            body_slug="boras",
            case_number="KS 2026-00214",
            title="Fler feriejobb för unga i Hässleholmen, Hulta och Norrby",
            text=p(
                "Feriearbetare som rustar och underhåller bostadsområdena ger unga en första erfarenhet av "
                "arbetslivet och gör områdena tryggare.",
                "Illustrativt exempel: motionären och ärendet är påhittade för demon.",
            ),
            submitted_on=date(2026, 4, 9),
            raised_at=kf_april,
            term=self.terms["boras"][1],
            clauses=[
                "att Borås Stad fördubblar antalet feriejobb i Hässleholmen, Hulta och Norrby",
                "att de kommunala bostadsbolagen erbjuder minst hälften av platserna",
            ],
            submitters=[self.member("Johan Ek", "KD", "boras")],
            topics=[self.topics["Arbetsmarknad"]],
            areas=[self.areas["boras"][slug] for slug in ("hassleholmen", "hulta", "norrby")],
        )
        self.refer(
            feriejobb,
            organs["arbetslivsnamnden"],
            sent_on=date(2026, 5, 4),
            due_on=date(2026, 12, 15),
        )
        self.refer(
            feriejobb,
            organs["ab-bostader-i-boras"],
            sent_on=date(2026, 5, 4),
            due_on=date(2026, 12, 15),
        )

        self.motion(
            "boras_e_forslag",
            body_slug="boras",
            case_number="KS 2026-00187",
            kind=MotionKind.E_PROPOSAL,
            title="Håll fritidsgården på Norrby öppen på helgerna",
            text=p(
                "E-förslaget samlade 212 underskrifter på 90 dagar och nådde gränsen på 150 underskrifter.",
                "Illustrativt exempel: förslagsställaren och ärendet är påhittade för demon.",
            ),
            submitted_on=date(2026, 3, 2),
            raised_at=kf_april,
            term=self.terms["boras"][1],
            clauses=["att fritidsgården på Norrby håller öppet fredag och lördag kväll"],
            submitters=[
                {
                    "resident_name": "Leila Haddad",
                    "resident_email": "leila.haddad@example.se",
                    "resident_phone": "070-174 06 41",
                }
            ],
            topics=[self.topics["Fritid"]],
            areas=[self.areas["boras"]["norrby"]],
            signature_count=212,
            signature_threshold=150,
            signature_window_days=90,
        )

        self.motion(
            "boras_utkast",
            body_slug="boras",
            case_number="KS 2026-00999",
            title="Utkastmotion hemlig: belysning i gångtunnlarna",
            text=p(
                "Ett utkast som inte är publicerat. Det ska inte synas för besökare.",
                "Illustrativt exempel: motionären och ärendet är påhittade för demon.",
            ),
            submitted_on=date(2026, 11, 2),
            term=self.terms["boras"][2],
            clauses=["att gångtunnlarna i Hässleholmen får bättre belysning"],
            submitters=[self.member("Erik Lund", "L", "boras")],
            publish=False,
        )

    def load_vasteras(self):
        organs = self.organs["vasteras"]
        self.motion(
            "vasteras_est",
            body_slug="vasteras",
            case_number="KS 2026/00412-1.1.1",
            title="Motion om att sprida arbetet med Effektiv samordning för trygghet (EST)",
            text=p(
                "Staden arbetar tillsammans med Mimer och Polisen enligt modellen EST, Effektiv samordning för "
                "trygghet, i de mer utsatta stadsdelarna. Arbetet bör omfatta fler stadsdelar och redovisas "
                "öppet.",
                "Illustrativt exempel: motionären och ärendet är påhittade för demon.",
            ),
            submitted_on=date(2026, 10, 1),
            term=self.terms["vasteras"][1],
            clauses=[
                "att arbetet enligt EST utvidgas till fler stadsdelar",
                "att resultaten redovisas för kommunfullmäktige en gång per år",
            ],
            submitters=[self.member("Ingrid Sandberg", "V", "vasteras")],
            topics=[self.topics["Trygghet"]],
            areas=[self.areas["vasteras"]["backby"]],
        )
        self.decision(
            "vasteras_social_hallbarhet",
            meeting=self.meeting(
                "vasteras", "kf", date(2022, 2, 3), "Kommunfullmäktige (illustrativt datum)"
            ),
            paragraph=15,
            decided_on=date(2022, 2, 3),
            case_number="KS 2021/01533-1.1.1",
            title="Program för social hållbarhet",
            text=p(
                "Kommunfullmäktige antar Program för social hållbarhet. Arbetet i de mer utsatta stadsdelarna "
                "sker i samverkan med fastighetsägare, civilsamhället, näringslivet och de boende, till exempel "
                "På lika villkor på Bäckby och EST tillsammans med Mimer och Polisen.",
                ILLUSTRATIVE,
            ),
            dispatched_to=[organs["ks"], organs["individ-och-familjenamnden"], organs["mimer"]],
            minutes_approved_on=date(2022, 2, 10),
            notice_posted_on=date(2022, 2, 11),
        )

    def load_others(self):
        stenungsund = self.organs["stenungsund"]
        self.decision(
            "stenungsund_handlingsplan",
            meeting=self.meeting(
                "stenungsund", "ks", date(2017, 9, 18), "Kommunstyrelsen (illustrativt datum)"
            ),
            paragraph=140,
            decided_on=date(2017, 9, 18),
            case_number="KS 2017/0412",
            title="Handlingsplan för bostadsområdet, framtagen med Stenungsundshem",
            text=p(
                "Kommunstyrelsen antar handlingsplanen som kommunen och Stenungsundshem har tagit fram efter "
                "intervjuer med de boende: grillplatser, lekparker, en kick-board-ramp och en fritidsgård som "
                "är öppen på helgerna.",
                ILLUSTRATIVE,
            ),
            dispatched_to=[stenungsund["stenungsundshem"]],
            minutes_approved_on=date(2017, 9, 25),
            notice_posted_on=date(2017, 9, 26),
        )
        self.motion(
            "stenungsund_medborgarforslag",
            body_slug="stenungsund",
            case_number="KS 2026/0088",
            kind=MotionKind.CITIZEN_PROPOSAL,
            title="Medborgarförslag om belysning vid kickboardrampen",
            text=p(
                "Rampen lockar unga från andra områden, men på vinterkvällarna är det mörkt där. "
                "Illustrativt exempel: förslagsställaren och ärendet är påhittade för demon."
            ),
            submitted_on=date(2026, 2, 16),
            raised_at=self.meeting(
                "stenungsund", "kf", date(2026, 3, 12), "Kommunfullmäktige (illustrativt datum)"
            ),
            term=self.terms["stenungsund"][1],
            clauses=[
                "att kommunen tillsammans med Stenungsundshem sätter upp belysning vid rampen"
            ],
            submitters=[
                {
                    "resident_name": "Sara Lind",
                    "resident_email": "sara.lind@example.se",
                    "resident_phone": "070-174 06 42",
                }
            ],
            topics=[self.topics["Fritid"]],
        )

        kungalv = self.organs["kungalv"]
        self.decision(
            "kungalv_samhallskontrakt",
            meeting=self.meeting(
                "kungalv", "kf", date(2015, 12, 10), "Kommunfullmäktige (illustrativt datum)"
            ),
            paragraph=190,
            decided_on=date(2015, 12, 10),
            case_number="KS 2015/1187",
            title="Samhällskontrakt för minskad utsatthet",
            text=p(
                "Kommunfullmäktige antar ett samhällskontrakt med målet att utsattheten ska vara halverad år "
                "2020. Kontraktet tecknas tillsammans med föreningar, företagare och myndigheter. Utsattheten "
                "finns i huvudsak i tre områden, enligt översiktsplanens sociala perspektiv.",
                ILLUSTRATIVE,
            ),
            dispatched_to=[kungalv["ks"]],
            minutes_approved_on=date(2015, 12, 17),
            notice_posted_on=date(2015, 12, 18),
        )

        goteborg = self.organs["goteborg"]
        ska = self.motion(
            "goteborg_ska",
            body_slug="goteborg",
            case_number="Dnr 1187/24",
            title="Motion om social konsekvensanalys i alla detaljplaner",
            text=p(
                "Motionären vill att en fullständig social konsekvensanalys (SKA) görs i varje detaljplan. "
                "Illustrativt exempel: motionären och ärendet är påhittade för demon."
            ),
            submitted_on=date(2024, 11, 5),
            raised_at=self.meeting(
                "goteborg", "kf", date(2024, 11, 21), "Kommunfullmäktige (illustrativt datum)"
            ),
            term=self.terms["goteborg"][1],
            clauses=["att en fullständig social konsekvensanalys görs i varje detaljplan"],
            submitters=[self.member("Sofia Åberg", "C", "goteborg")],
            topics=[self.topics["Samhällsplanering"], self.topics["Social hållbarhet"]],
            areas=[self.areas["goteborg"]["frihamnen"]],
        )
        self.proposal(
            ska,
            goteborg["ks"],
            proposed_on=date(2025, 5, 21),
            paragraph="412",
            outcomes={1: Outcome.REJECTED},
            text=p(
                "Göteborg gör redan social konsekvensanalys tidigt i planeringen, där den gör mest nytta. En "
                "fullständig analys i varje detaljplan skulle ta resurser från de tidiga skedena. "
                "Kommunstyrelsen föreslår Kommunfullmäktige att avslå motionen.",
                "Datum och paragrafnummer är illustrativa.",
            ),
        )
        self.decision(
            "goteborg_ska",
            meeting=self.meeting(
                "goteborg", "kf", date(2025, 6, 12), "Kommunfullmäktige (illustrativt datum)"
            ),
            paragraph=14,
            decided_on=date(2025, 6, 12),
            title="Svar på motion om social konsekvensanalys i alla detaljplaner",
            motion=ska,
            outcomes={1: Outcome.REJECTED},
            text=p("Kommunfullmäktige beslutar att avslå motionen.", ILLUSTRATIVE),
            dispatched_to=[goteborg["byggnadsnamnden"]],
            minutes_approved_on=date(2025, 6, 17),
            notice_posted_on=date(2025, 6, 18),
        )
        # Seed 003: "I Göteborg görs alltid SKA tidigt i processerna." The commitment hangs on
        # this assignment to Byggnadsnämnden, not on the rejected motion above.
        self.decision(
            "goteborg_ska_uppdrag",
            meeting=self.meeting(
                "goteborg", "kf", date(2019, 11, 14), "Kommunfullmäktige (illustrativt datum)"
            ),
            paragraph=21,
            decided_on=date(2019, 11, 14),
            case_number="Dnr 0921/19",
            title="Social konsekvensanalys tidigt i planprocessen",
            text=p(
                "Kommunfullmäktige ger Byggnadsnämnden i uppdrag att göra social konsekvensanalys (SKA) tidigt "
                "i planprocessen, med Frihamnen som testarena för socialt blandat boende med olika hyresnivåer "
                "i samma hus.",
                ILLUSTRATIVE,
            ),
            gives_assignment=True,
            dispatched_to=[goteborg["byggnadsnamnden"]],
            minutes_approved_on=date(2019, 11, 19),
            notice_posted_on=date(2019, 11, 20),
        )

    def load_botkyrka(self):
        """Seed 004: the workshop in Alby on 27 April 2011, where the chair of
        Samhällsbyggnadsnämnden presented Botkyrka's situation: energy efficiency and social
        renewal of the million-programme areas, with rebuilding that also trains people."""
        self.decision(
            "botkyrka_miljonprogram",
            meeting=self.meeting(
                "botkyrka",
                "samhallsbyggnadsnamnden",
                date(2011, 6, 14),
                "Samhällsbyggnadsnämnden (illustrativt datum)",
            ),
            paragraph=88,
            decided_on=date(2011, 6, 14),
            case_number="SBN 2011/0233",
            title="Energieffektivisering och social upprustning av miljonprogramsområdena",
            text=p(
                "Samhällsbyggnadsnämnden ger förvaltningen i uppdrag att ta fram en plan där "
                "ombyggnaden av miljonprogramsområdena i Alby också blir utbildning och jobb för de "
                "boende, tillsammans med byggföretag, landsting, näringsliv och civilsamhälle.",
                "Bakgrund: workshopen på Subtopia i Alby den 27 april 2011. " + ILLUSTRATIVE,
            ),
            gives_assignment=True,
            minutes_approved_on=date(2011, 6, 20),
            notice_posted_on=date(2011, 6, 21),
        )

    def load(self):
        self.load_organisation()
        self.load_boras()
        self.load_vasteras()
        self.load_others()
        self.load_botkyrka()
        return self
