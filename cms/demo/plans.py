"""Demo commitments, plans, indicators and follow-ups from the seeds (README: "What the demo shows").

Called by `load_demo` with the records it created. Idempotent: every row is looked up by its
natural key first. Values not in the seeds are marked "(illustrativt)"."""

from datetime import date
from decimal import Decimal

from wagtail.models import Page

from cms.models import FollowUpIndexPage
from plans import services
from plans.models import (
    ActionPlan,
    Commitment,
    Direction,
    FollowUp,
    Indicator,
    Measurement,
    PeriodKind,
)
from plans.status import Status

ILLUSTRATIVE = "(illustrativt)"


class PlanLoader:
    def __init__(self, records: dict):
        self.records = records
        self.user = records.get("user")
        self.created = records.setdefault("created", [])

    def organ(self, body, slug):
        return self.records["organs"][body][slug]

    def commitment(self, *, body, slug, **fields):
        existing = Commitment.objects.filter(body=self.records["bodies"][body], slug=slug).first()
        if existing:
            return existing
        commitment = services.commitment_create(
            body=self.records["bodies"][body], slug=slug, user=self.user, publish=True, **fields
        )
        self.created.append(f"åtagande: {commitment}")
        return commitment

    def plan(self, *, body, slug, **fields):
        existing = ActionPlan.objects.filter(body=self.records["bodies"][body], slug=slug).first()
        if existing:
            return existing
        plan = services.action_plan_create(
            body=self.records["bodies"][body], slug=slug, user=self.user, publish=True, **fields
        )
        self.created.append(f"handlingsplan: {plan}")
        return plan

    def indicator(self, *, body, title, measurements, **fields):
        indicator = Indicator.objects.filter(body=self.records["bodies"][body], title=title).first()
        if indicator is None:
            indicator = services.indicator_create(
                body=self.records["bodies"][body], title=title, **fields
            )
            self.created.append(f"indikator: {indicator}")
        for year, value, note in measurements:
            if not Measurement.objects.filter(indicator=indicator, year=year).exists():
                services.measurement_add(
                    indicator=indicator,
                    year=year,
                    value=Decimal(value),
                    unit=indicator.unit,
                    note=note,
                )
                self.created.append(f"mätvärde: {indicator.title} {year}")
        return indicator

    def followups(self, subject, rows):
        """rows: (period kind, period end, status, progress, reason, source, evidence)."""
        key = {"commitment": subject} if isinstance(subject, Commitment) else {"action": subject}
        for kind, period_end, status, progress, reason, source, evidence in rows:
            if FollowUp.objects.filter(period_kind=kind, period_end=period_end, **key).exists():
                continue
            followup = services.followup_create(
                period_kind=kind,
                period_end=period_end,
                status=status,
                progress=progress,
                verified_on=period_end,
                reason=reason,
                source=source,
                evidence=evidence,
                narrative="",
                author=self.user,
                **key,
            )
            services.followup_publish(followup=followup, user=self.user)
            self.created.append(f"uppföljning: {followup}")

    def index_page(self, body_slug):
        body = self.records["bodies"][body_slug]
        if FollowUpIndexPage.objects.filter(body=body).exists():
            return
        home = self.records["home_pages"][body_slug]  # the root of the municipality's site
        page = FollowUpIndexPage(
            title="Uppföljning",
            title_en="Follow-up",
            slug="uppfoljning",
            body=body,
            intro=f"<p>Vad fullmäktige har beslutat i {body.name}, vem som ansvarar, målåret och om det blir av.</p>",
            intro_en=f"<p>What the council in {body.name} has decided, who is responsible, the target year and whether it happens.</p>",
        )
        Page.objects.get(pk=home.pk).specific.add_child(instance=page)
        page.save_revision(user=self.user, log_action=True).publish(user=self.user)
        self.created.append(f"sida: {page.title}")


def load(records: dict) -> None:
    loader = PlanLoader(records)
    decisions, areas = records["decisions"], records["areas"]
    t1, interim, annual = PeriodKind.TERTIAL_1, PeriodKind.INTERIM, PeriodKind.ANNUAL

    # Borås: the motion's decision → a plan and a commitment for 2030, with the assistance-cost indicator.
    boras_decision = decisions["boras_utsatta_omraden"]
    assistance = loader.indicator(
        body="boras",
        title="Från bidrag till lön: kostnad för försörjningsstöd",
        unit="MSEK",
        direction=Direction.LOWER,
        baseline_year=2013,
        baseline_value=Decimal(100),
        target_year=2030,
        target_value=Decimal(55),
        source="Arbetslivsförvaltningen, Borås Stad, enligt krönikan Grönröd omvärldsspaning i Borås: från i "
        "storleksordningen 100 till under 60 miljoner under den senaste tioårsperioden. År, mellanvärden och "
        "målvärde är illustrativa.",
        measurements=[
            (2016, "88", ILLUSTRATIVE),
            (2019, "74", ILLUSTRATIVE),
            (2021, "66", ILLUSTRATIVE),
            (2023, "59", "under 60 MSEK enligt krönikan; året är illustrativt"),
        ],
    )
    boras_plan = loader.plan(
        body="boras",
        slug="inga-sarskilt-utsatta-omraden-2030",
        title="Handlingsplan: inga särskilt utsatta områden i Borås 2030",
        description="En plan med insatser för Hässleholmen-Hulta och för Norrby. " + ILLUSTRATIVE,
        decision=boras_decision,
        responsible_organ=loader.organ("boras", "ks"),
        period_start=date(2024, 9, 1),
        period_end=date(2030, 12, 31),
        target_year=2030,
        goals=[
            "Hässleholmen-Hulta är inte ett särskilt utsatt område år 2030",
            "Norrby är inte ett särskilt utsatt område år 2030",
        ],
        actions=[
            {
                "title": "Handlingsplan för Hässleholmen-Hulta",
                "owner": loader.organ("boras", "ks"),
                "starts_on": date(2024, 9, 1),
                "ends_on": date(2025, 6, 30),
            },
            {
                "title": "Handlingsplan för Norrby",
                "owner": loader.organ("boras", "ks"),
                "starts_on": date(2024, 9, 1),
                "ends_on": date(2025, 6, 30),
            },
            {
                "title": "Utreda Gårdstensmodellen",
                "owner": loader.organ("boras", "ab-bostader-i-boras"),
                "partners": "Gårdstensbostäder (studiebesök)",
                "starts_on": date(2024, 9, 1),
                "ends_on": date(2025, 12, 31),
            },
        ],
        areas=[areas["boras"]["hassleholmen-hulta"], areas["boras"]["norrby"]],
    )
    boras = loader.commitment(
        body="boras",
        slug="inga-sarskilt-utsatta-omraden-2030",
        title="Inga särskilt utsatta områden i Borås år 2030",
        description="Ta fram och genomföra en plan med insatser så att Hässleholmen-Hulta och Norrby inte längre "
        "är särskilt utsatta områden år 2030.",
        decision=boras_decision,
        clause_number=1,
        responsible_organ=loader.organ("boras", "ks"),
        co_responsible=[
            loader.organ("boras", "arbetslivsnamnden"),
            loader.organ("boras", "ab-bostader-i-boras"),
        ],
        target_year=2030,
        action_plan=boras_plan,
        indicators=[assistance],
        areas=[areas["boras"]["hassleholmen-hulta"], areas["boras"]["norrby"]],
    )
    gardsten_study = loader.commitment(
        body="boras",
        slug="utreda-gardstensmodellen",
        title="Utreda Gårdstensmodellen och ta till sig framgångsrika metoder från andra kommuner",
        description="Utreda om Gårdstensmodellen eller delar av denna kan implementeras och användas i Borås "
        "Stads arbete mot de särskilt utsatta områdena (att-sats 2). Målår och uppföljning är illustrativa.",
        decision=boras_decision,
        clause_number=2,
        responsible_organ=loader.organ("boras", "ks"),
        co_responsible=[loader.organ("boras", "ab-bostader-i-boras")],
        target_year=2026,
        action_plan=boras_plan,
        areas=[areas["boras"]["hassleholmen-hulta"], areas["boras"]["norrby"]],
    )
    loader.followups(
        gardsten_study,
        [
            (
                interim,
                date(2025, 8, 31),
                Status.IN_PROGRESS,
                50,
                "Studiebesök hos Gårdstensbostäder genomfört " + ILLUSTRATIVE,
                "Delårsrapport 2025 " + ILLUSTRATIVE,
                [],
            ),
            (
                interim,
                date(2026, 8, 31),
                Status.IN_PROGRESS,
                80,
                "Utredningen är på remiss " + ILLUSTRATIVE,
                "Delårsrapport 2026 " + ILLUSTRATIVE,
                [],
            ),
        ],
    )
    loader.followups(
        boras,
        [
            (
                annual,
                date(2024, 12, 31),
                Status.IN_PROGRESS,
                10,
                "Planarbetet har startat efter beslutet " + ILLUSTRATIVE,
                "Årsredovisning 2024 " + ILLUSTRATIVE,
                [],
            ),
            (
                interim,
                date(2025, 8, 31),
                Status.IN_PROGRESS,
                25,
                "Handlingsplanerna för båda områdena är på remiss " + ILLUSTRATIVE,
                "Delårsrapport 2025 " + ILLUSTRATIVE,
                [("Delårsrapport augusti 2025 " + ILLUSTRATIVE, "https://www.boras.se/")],
            ),
            (
                interim,
                date(2026, 8, 31),
                Status.IN_PROGRESS,
                35,
                "Handlingsplanerna antagna; insatserna har börjat " + ILLUSTRATIVE,
                "Delårsrapport 2026 " + ILLUSTRATIVE,
                [],
            ),
        ],
    )
    hulta, norrby, gardsten = boras_plan.actions.all()
    loader.followups(
        hulta,
        [
            (
                interim,
                date(2025, 8, 31),
                Status.IN_PROGRESS,
                70,
                "Remissversion klar " + ILLUSTRATIVE,
                "Delårsrapport 2025 " + ILLUSTRATIVE,
                [],
            )
        ],
    )
    loader.followups(
        norrby,
        [
            (
                interim,
                date(2025, 8, 31),
                Status.IN_PROGRESS,
                60,
                "Dialog med boende pågår " + ILLUSTRATIVE,
                "Delårsrapport 2025 " + ILLUSTRATIVE,
                [],
            )
        ],
    )
    loader.followups(
        gardsten,
        [
            (
                t1,
                date(2025, 4, 30),
                Status.NOT_STARTED,
                0,
                "",
                "Tertialrapport 1 2025 " + ILLUSTRATIVE,
                [],
            )
        ],
    )

    # Stenungsund: the action plan made with Stenungsundshem after interviewing residents.
    sten_ks, sten_hem = (
        loader.organ("stenungsund", "ks"),
        loader.organ("stenungsund", "stenungsundshem"),
    )
    sten_plan = loader.plan(
        body="stenungsund",
        slug="handlingsplan-bostadsomradet",
        title="Handlingsplan för bostadsområdet",
        description="Framtagen av kommunen och Stenungsundshem efter intervjuer med de boende.",
        decision=decisions["stenungsund_handlingsplan"],
        responsible_organ=sten_ks,
        period_start=date(2017, 10, 1),
        period_end=date(2019, 12, 31),
        target_year=2019,
        goals=["Fler vill bo kvar i området på lång sikt", "Unga från andra områden söker sig hit"],
        actions=[
            {
                "title": "Grillplatser",
                "owner": sten_hem,
                "starts_on": date(2018, 3, 1),
                "ends_on": date(2018, 6, 30),
            },
            {
                "title": "Lekplatser",
                "owner": sten_hem,
                "starts_on": date(2018, 3, 1),
                "ends_on": date(2018, 9, 30),
            },
            {
                "title": "Kickboardramp",
                "owner": sten_ks,
                "starts_on": date(2018, 3, 1),
                "ends_on": date(2018, 9, 30),
            },
            {
                "title": "Fritidsgården öppen på helgerna",
                "owner": sten_ks,
                "starts_on": date(2018, 1, 1),
                "ends_on": date(2019, 12, 31),
            },
            {
                "title": "Ett årligt lopp för barn och vuxna en lördag varje vår",
                "owner": sten_ks,
                "starts_on": date(2018, 4, 1),
                "ends_on": date(2019, 12, 31),
            },
        ],
    )
    sten_commitment = loader.commitment(
        body="stenungsund",
        slug="genomfora-handlingsplanen",
        title="Genomföra handlingsplanen för bostadsområdet",
        description="Kommunen och Stenungsundshem genomför handlingsplanens insatser tillsammans med de boende.",
        decision=decisions["stenungsund_handlingsplan"],
        responsible_organ=sten_ks,
        co_responsible=[sten_hem],
        target_year=2019,
        action_plan=sten_plan,
    )
    loader.followups(
        sten_commitment,
        [
            (
                annual,
                date(2018, 12, 31),
                Status.IN_PROGRESS,
                60,
                "Grillplatser, lekplatser och rampen är byggda " + ILLUSTRATIVE,
                "Årsredovisning 2018 " + ILLUSTRATIVE,
                [],
            ),
            (
                annual,
                date(2019, 12, 31),
                Status.COMPLETED,
                100,
                "Alla insatser genomförda; loppet har blivit en succé",
                "Socialchefsdagarna 2018, seminarium 17",
                [("Seminarierapport, Göteborgsregionen", "https://goteborgsregionen.se/")],
            ),
        ],
    )
    for action in sten_plan.actions.all():
        loader.followups(
            action,
            [
                (
                    annual,
                    date(2018, 12, 31),
                    Status.COMPLETED,
                    100,
                    "Genomförd enligt seminarierapporten",
                    "Socialchefsdagarna 2018, seminarium 17",
                    [("Seminarierapport", "https://goteborgsregionen.se/")],
                )
            ],
        )

    # Kungälv: the social contract to halve vulnerability by 2020, past its target year without a final status.
    kungalv = loader.commitment(
        body="kungalv",
        slug="halverad-utsatthet-2020",
        title="Samhällskontrakt: halverad utsatthet år 2020",
        description="Utsattheten ska vara halverad år 2020, i samverkan med föreningar, företagare och myndigheter.",
        decision=decisions["kungalv_samhallskontrakt"],
        responsible_organ=loader.organ("kungalv", "ks"),
        target_year=2020,
    )
    loader.followups(
        kungalv,
        [
            (
                annual,
                date(2017, 12, 31),
                Status.IN_PROGRESS,
                30,
                "Kontraktet tecknat med föreningar och företagare " + ILLUSTRATIVE,
                "Årsredovisning 2017 " + ILLUSTRATIVE,
                [],
            ),
            (
                annual,
                date(2019, 12, 31),
                Status.IN_PROGRESS,
                40,
                "Ingen mätning av utsattheten redovisad " + ILLUSTRATIVE,
                "Årsredovisning 2019 " + ILLUSTRATIVE,
                [],
            ),
        ],
    )

    # Västerås: the programme for social sustainability, with Bäckby "På lika villkor" and EST.
    vas_decision = decisions["vasteras_social_hallbarhet"]
    vas_ks, vas_kifn, mimer = (
        loader.organ("vasteras", s) for s in ("ks", "kultur-idrotts-och-fritidsnamnden", "mimer")
    )
    vas_plan = loader.plan(
        body="vasteras",
        slug="program-for-social-hallbarhet",
        title="Program för social hållbarhet: insatser i de mer utsatta stadsdelarna",
        description="Tre principer: jämlika förutsättningar, tillit och framtidstro.",
        decision=vas_decision,
        responsible_organ=vas_ks,
        period_start=date(2022, 3, 1),
        period_end=date(2026, 12, 31),
        target_year=2026,
        goals=[
            "Ökad delaktighet och minskad segregation",
            "Ökad trygghet i de mer utsatta stadsdelarna",
        ],
        actions=[
            {
                "title": "På lika villkor på Bäckby",
                "owner": vas_kifn,
                "partners": "Rädda Barnen (leder arbetet), Mimer och Ikea",
                "starts_on": date(2022, 3, 1),
                "ends_on": date(2026, 12, 31),
            },
            {
                "title": "EST, Effektiv samordning för trygghet",
                "owner": vas_kifn,
                "partners": "Mimer och Polisen",
                "starts_on": date(2022, 3, 1),
                "ends_on": date(2025, 6, 30),
            },
        ],
        areas=[areas["vasteras"]["backby"]],
    )
    pa_lika, est = vas_plan.actions.all()
    loader.followups(
        pa_lika,
        [
            (
                annual,
                date(2024, 12, 31),
                Status.IN_PROGRESS,
                50,
                "Arbetet leds av Rädda Barnen i partnerskap med staden, Mimer och Ikea",
                "Debattartikel, VLT",
                [],
            )
        ],
    )
    loader.followups(
        est,
        [
            (
                annual,
                date(2024, 12, 31),
                Status.IN_PROGRESS,
                60,
                "Veckovisa lägesbilder i stadsdelarna",
                "Debattartikel, VLT",
                [],
            )
        ],
    )
    vas_est = loader.commitment(
        body="vasteras",
        slug="est-fler-stadsdelar",
        title="EST i de mer utsatta stadsdelarna, tillsammans med Mimer och Polisen",
        description="Brottsförebyggande arbete enligt EST med veckovisa rapporter, gemensamma analyser och planerade "
        "insatser.",
        decision=vas_decision,
        responsible_organ=vas_ks,
        co_responsible=[mimer],
        target_year=2026,
        action_plan=vas_plan,
        areas=[areas["vasteras"]["backby"]],
    )
    loader.followups(
        vas_est,
        [
            (
                annual,
                date(2024, 12, 31),
                Status.IN_PROGRESS,
                55,
                "EST pågår i flera stadsdelar " + ILLUSTRATIVE,
                "Årsredovisning 2024 " + ILLUSTRATIVE,
                [],
            )
        ],
    )

    # Göteborg: social impact analysis (SKA) early in planning, assigned to Byggnadsnämnden
    # (the rejected motion on SKA in every plan gives no commitment).
    gbg = loader.commitment(
        body="goteborg",
        slug="ska-tidigt-i-planeringen",
        title="Social konsekvensanalys tidigt i planprocessen",
        description="Byggnadsnämnden gör social konsekvensanalys (SKA) tidigt i processerna, med Frihamnen "
        "som testarena för socialt blandat boende. Beslutets datum och paragraf är illustrativa.",
        decision=decisions["goteborg_ska_uppdrag"],
        responsible_organ=loader.organ("goteborg", "byggnadsnamnden"),
        target_year=2027,
        areas=[areas["goteborg"]["frihamnen"]],
    )
    loader.followups(
        gbg,
        [
            (
                t1,
                date(2026, 4, 30),
                Status.IN_PROGRESS,
                75,
                "SKA görs i alla nya planuppdrag " + ILLUSTRATIVE,
                "Tertialrapport 1 2026 " + ILLUSTRATIVE,
                [],
            )
        ],
    )

    # Botkyrka: rebuilding the million-programme areas so that it also trains people (seed 004).
    botkyrka = loader.commitment(
        body="botkyrka",
        slug="ombyggnad-som-utbildning",
        title="Ombyggnaden av miljonprogramsområdena blir också utbildning",
        description="Energieffektivisering och social upprustning i Alby, där ombyggnadsinvesteringar också "
        "blir utbildningsinvesteringar genom arbetsplatsbaserad utbildning, praktik och rekrytering. "
        "Beslutet, målåret och uppföljningen är illustrativa.",
        decision=decisions["botkyrka_miljonprogram"],
        responsible_organ=loader.organ("botkyrka", "samhallsbyggnadsnamnden"),
        target_year=2016,
    )
    loader.followups(
        botkyrka,
        [
            (
                annual,
                date(2013, 12, 31),
                Status.IN_PROGRESS,
                40,
                "Praktikplatser hos byggföretagen i de första ombyggnaderna " + ILLUSTRATIVE,
                "Årsredovisning 2013 " + ILLUSTRATIVE,
                [],
            ),
            (
                annual,
                date(2016, 12, 31),
                Status.PARTLY_COMPLETED,
                70,
                "Utbildningen genomförd i två av tre områden " + ILLUSTRATIVE,
                "Årsredovisning 2016 " + ILLUSTRATIVE,
                [],
            ),
        ],
    )

    for body_slug in ("boras", "stenungsund", "kungalv", "vasteras", "goteborg", "botkyrka"):
        loader.index_page(body_slug)
