"""`python manage.py load_demo [--admin]`: the seed-based demo (README: "What the demo shows").

Safe to run again: every record is looked up by its natural key first, so a second run
creates nothing and prints that nothing was new.

The loaders live in `cms.demo`: `motions.DemoLoader` writes the council's record, then this
command builds the pages and, in the same transaction, calls

    cms.demo.plans.load(records: dict) -> None
    cms.demo.illustrative.load(records: dict) -> None

`records` holds:
    "bodies":    {body slug: Body}            e.g. records["bodies"]["boras"]
    "organs":    {body slug: {organ slug: Organ}}   ("kf", "ks", "arbetslivsnamnden", "mimer", ...)
    "parties":   {body slug: {abbreviation: Party}} ("S", "M", ...)
    "terms":     {body slug: [Term 2018-2022, Term 2022-2026, Term 2026-2030]}
    "areas":     {body slug: {area slug: Area}}     ("hassleholmen-hulta", "norrby", "backby", ...)
    "topics":    {name: Topic}
    "motions":   {key: Motion}    keys: boras_utsatta_omraden, boras_feriejobb, boras_e_forslag,
                                  boras_utkast (draft), vasteras_est, stenungsund_medborgarforslag, goteborg_ska
    "decisions": {key: Decision}  keys: boras_utsatta_omraden (KF § 85, from the motion),
                                  vasteras_social_hallbarhet, stenungsund_handlingsplan,
                                  kungalv_samhallskontrakt (not from motions), goteborg_ska
                                  (rejected), goteborg_ska_uppdrag and botkyrka_miljonprogram
                                  (assignments, not from a motion)
    "home_page": Borås's cms.HomePage, "home_pages": {body slug: cms.HomePage} (each the root
                 of the municipality's own site), "index_pages": {body slug: cms.MotionIndexPage}
    "user":      the admin User when --admin was given, else None
    "created":   list[str]; append one line per row created, so the command can report it

Both must be idempotent too (look up by natural key before creating) and write through the
apps' services.
"""

import secrets
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from wagtail.models import Locale, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.demo import illustrative
from cms.demo import plans as plans_demo
from cms.demo import roles as roles_demo
from cms.demo.motions import DemoLoader, p
from cms.models import (
    AccessibilityStatementPage,
    Colour,
    Compliance,
    ContentPage,
    HomePage,
    MotionIndexPage,
    PortalPage,
    SiteSettings,
)
from motions.models import Motion


class Command(BaseCommand):
    help = "Load the demo municipalities, motions, decisions and pages (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin",
            action="store_true",
            help="Create the superuser 'admin', or reset its password, and print the new password.",
        )
        parser.add_argument(
            "--seeds-only",
            action="store_true",
            help="Load only the stories of the seed documents, not the illustrative Borås record "
            "around them (a quicker load, e.g. for tests of the pages).",
        )

    def handle(self, *args, admin=False, seeds_only=False, verbosity=1, **options):
        # Wagtail updates its reference index ("usage") on every save, and the services save a
        # record several times; one rebuild after the load does it once per record.
        with disable_reference_index_auto_update(), transaction.atomic():
            user = self.ensure_admin() if admin else None
            loader = DemoLoader(user=user).load()
            homes, index_pages = load_pages(loader)
            records = {
                "bodies": loader.bodies,
                "organs": loader.organs,
                "parties": loader.parties,
                "terms": loader.terms,
                "areas": loader.areas,
                "topics": loader.topics,
                "motions": loader.motions,
                "decisions": loader.decisions,
                "home_page": homes["boras"],
                "home_pages": homes,
                "index_pages": index_pages,
                "user": user,
                "created": loader.created,
            }
            plans_demo.load(records)
            # Borås's illustrative records around the seed story (every status, outcome and signal).
            if not seeds_only:
                illustrative.load(records)
            # Every municipality's role groups; with --admin one user per role (README "Roles").
            logins = roles_demo.load(records)

        if loader.created:
            call_command("rebuild_references_index", verbosity=0, stdout=self.stdout)
        if verbosity > 1:
            for line in loader.created:
                self.stdout.write(f"  + {line}")
        if loader.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demodata laddad: {len(loader.created)} nya poster.")
            )
        else:
            self.stdout.write("Inget nytt: demodata fanns redan.")
        self.stdout.write(f"Kommunerna (portalen: {site_urls('')[0]}):")
        for body in sorted((home.body for home in homes.values()), key=lambda body: body.name):
            by_path, by_host = site_urls(body.slug)
            self.stdout.write(f"  {body.name}: {by_path}  eller  {by_host}")
        if admin:
            self.stdout.write(
                self.style.WARNING(f"Admin: {admin_url()}  user: admin  password: {self.password}")
            )
            for username, password, role in logins:
                self.stdout.write(f"  user: {username}  password: {password}  ({role})")

    def ensure_admin(self):
        """The superuser "admin" with a fresh random password; the password is printed, never stored in plain text."""
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.se"}
        )
        self.password = secrets.token_urlsafe(16)
        user.set_password(self.password)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()
        return user


def _publish(page, user):
    page.save_revision(user=user, log_action=True).publish(user=user)


def _add_page(parent, page, created, user):
    parent.add_child(instance=page)
    _publish(page, user)
    created.append(f"sida: {page.title}")
    return page


# Each municipality with public records gets a site of its own: name, colour, address.
MUNICIPALITIES = {
    "boras": (Colour.BLUE, "Borås Stad\n501 80 Borås", "033-35 70 00"),
    "vasteras": (Colour.RED, "Västerås stad\n721 87 Västerås", "021-39 00 00"),
    "stenungsund": (Colour.TEAL, "Stenungsunds kommun\n444 82 Stenungsund", "0303-73 00 00"),
    "kungalv": (Colour.GREEN, "Kungälvs kommun\n442 81 Kungälv", "0303-23 80 00"),
    "goteborg": (Colour.NAVY, "Göteborgs Stad\n404 82 Göteborg", "031-365 00 00"),
    "botkyrka": (Colour.PURPLE, "Botkyrka kommun\n147 85 Tumba", "08-530 610 00"),
}


def admin_url() -> str:
    """The admin where `make demo` serves it (HOST and PORT, through WAGTAILADMIN_BASE_URL)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")


def demo_port() -> int:
    """The port `make demo` serves on, from WAGTAILADMIN_BASE_URL: e-mails link to the sites there."""
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).port or 80


def site_urls(slug: str) -> tuple[str, str]:
    """A municipality's two addresses in the demo: the portal's path and its own host."""
    port = demo_port()
    suffix = "" if port == 80 else f":{port}"
    portal = f"http://localhost{suffix}/"
    return (f"{portal}{slug}/", f"http://{slug}.localhost{suffix}/") if slug else (portal, portal)


def _ensure_site(hostname, root, name, created, *, default=False):
    site = Site.objects.filter(is_default_site=True).first() if default else None
    site = site or Site.objects.filter(hostname=hostname).first() or Site(hostname=hostname)
    wanted = {
        "hostname": hostname,
        "port": demo_port(),
        "root_page_id": root.pk,
        "site_name": name,
        "is_default_site": default,
    }
    if site.pk is None or any(getattr(site, key) != value for key, value in wanted.items()):
        old_root = site.root_page if site.root_page_id else None
        for key, value in wanted.items():
            setattr(site, key, value)
        site.save()
        created.append(f"webbplats: {name} på {hostname}")
        # Wagtail's "Welcome to your new Wagtail site!" placeholder, if untouched.
        if (
            old_root is not None
            and type(old_root.specific) is Page
            and old_root.get_children_count() == 0
        ):
            old_root.delete()
    return site


def _ensure_settings(site, wanted: dict, created):
    site_settings = SiteSettings.for_site(site)
    if any(getattr(site_settings, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site_settings, name, value)
        site_settings.save()
        created.append(f"webbplatsinställningar: {site.site_name}")


def load_portal(created, user):
    """The start page of the demo, rooted at the default site on localhost."""
    portal = PortalPage.objects.first()
    if portal is None:
        # Wagtail's migrations make the tree's root; a flushed database (e.g. after a
        # transactional test) has none, so make one rather than fail.
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(
                title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )
        portal = _add_page(
            root,
            PortalPage(
                title="Beslutsspår",
                slug="beslutsspar",
                intro=p(
                    "Följ motioner från att de väcks till beslut i kommunfullmäktige, och se om besluten "
                    "blir av. Välj en kommun."
                ),
                intro_en=p(
                    "Follow motions from the day they are raised to the council's decision, and see "
                    "whether the decisions are carried out. Choose a municipality."
                ),
            ),
            created,
            user,
        )
    site = _ensure_site("localhost", portal, "Beslutsspår", created, default=True)
    _ensure_settings(site, {"organisation_name": "", "colour": Colour.NAVY}, created)
    return portal


def load_municipality(portal, body, created, user):
    """A municipality's home page under the portal (slug: the body's), its motion index when
    it has public motions, its own accessibility statement and privacy notice, its own site
    on `<slug>.localhost` and the site's settings."""
    colour, address, phone = MUNICIPALITIES[body.slug]
    home = HomePage.objects.filter(body=body).first()
    if home is None:
        home = _add_page(
            portal,
            HomePage(
                title="Motioner, beslut och uppföljning",
                title_en="Motions, decisions and follow-up",
                slug=body.slug,
                body=body,
                intro=p(
                    f"Följ motioner från att de väcks till beslut i kommunfullmäktige i {body.name}, "
                    "och se om besluten blir av."
                ),
                intro_en=p(
                    f"Follow motions from the day they are raised to the decision of the council in "
                    f"{body.name}, and see whether the decisions are carried out."
                ),
            ),
            created,
            user,
        )
    index = MotionIndexPage.objects.filter(body=body).first()
    if index is None and Motion.objects.published().for_body(body).exists():
        index = _add_page(
            home,
            MotionIndexPage(
                title="Motioner",
                title_en="Motions",
                slug="motioner",
                body=body,
                intro=p(
                    f"Motioner, medborgarförslag och e-förslag till kommunfullmäktige i {body.name}."
                ),
                intro_en=p(
                    f"Motions, citizens' proposals and e-proposals to the council in {body.name}."
                ),
            ),
            created,
            user,
        )
    accessibility = AccessibilityStatementPage.objects.child_of(home).first()
    if accessibility is None:
        accessibility = _add_page(home, accessibility_statement(body), created, user)
    privacy = ContentPage.objects.child_of(home).filter(slug="personuppgifter").first()
    if privacy is None:
        privacy = _add_page(home, privacy_notice(body), created, user)

    site = _ensure_site(f"{body.slug}.localhost", home, body.name, created)
    _ensure_settings(
        site,
        {
            "organisation_name": body.name,
            "colour": colour,
            "contact_email": body.secretariat_email,
            "contact_phone": phone,
            "contact_address": address,
            "controller": controller(body),
            "accessibility_page": accessibility,
            "privacy_page": privacy,
        },
        created,
    )
    return home, index


def load_pages(loader):
    """The portal on the default site, and for each municipality with public records its
    own home page, pages and site (see `load_municipality`).

    Returns {body slug: HomePage} and {body slug: MotionIndexPage}."""
    created, user = loader.created, loader.user
    portal = load_portal(created, user)
    homes, index_pages = {}, {}
    for slug, body in loader.bodies.items():
        if slug not in MUNICIPALITIES:
            continue  # no public records: no site
        homes[slug], index = load_municipality(portal, body, created, user)
        if index is not None:
            index_pages[slug] = index
    return homes, index_pages


def controller(body) -> str:
    """The personuppgiftsansvarig: the municipality's executive committee."""
    return f"Kommunstyrelsen i {body.name}"


def accessibility_statement(body):
    """What the product is known to do and not do (REQ-ACC-02): only claims that are true of it."""
    return AccessibilityStatementPage(
        title="Tillgänglighetsredogörelse",
        title_en="Accessibility statement",
        slug="tillganglighet",
        public_actor=f"{body.name}, Kommunstyrelsen",
        service_name="Beslutsspår: motioner, beslut och uppföljning",
        compliance=Compliance.PARTIAL,
        inaccessible_content=p(
            "Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund "
            "av de brister som beskrivs nedan.",
            "Dokument som förvaltningarna laddar upp, till exempel protokoll och motioner som PDF, kontrolleras "
            "inte. De kan sakna taggar, textlager, rubrikstruktur eller dokumentspråk och vara svåra att läsa med "
            "skärmläsare (WCAG 1.1.1, 1.3.1, 3.1.1). Motionens text, beslutet och statusen finns alltid som "
            "vanlig text på webbsidan.",
            "Text i motioner, beslut och åtaganden är skriven på svenska och översätts inte på de engelska "
            "sidorna. Den är märkt som svenska så att skärmläsare läser den med svensk röst.",
        ),
        outside_scope=p(
            "Dokument i kontorsformat som publicerades före den 23 september 2018 omfattas inte av lagen, om de "
            "inte behövs för pågående administrativa förfaranden (9 § lagen 2018:1937).",
        ),
        assessment_method=p(
            "Självskattning med automatiska tester. Vid varje ändring av koden kontrolleras webbplatsens "
            "sidtyper i en webbläsare med axe-core mot WCAG 2.1 nivå A och AA, även i mobilbredd (375 pixlar), "
            "och att filtren fungerar utan JavaScript. Redovisningen av obesvarade motioner skapas som taggad "
            "PDF (PDF/UA) med svenska som dokumentspråk.",
            "Automatiska tester hittar inte alla brister. Någon manuell granskning med skärmläsare enligt "
            "EN 301 549 har ännu inte gjorts.",
        ),
        assessed_on=date(2026, 11, 16),
        statement_updated_on=date(2026, 12, 1),
        feedback_email=f"tillganglighet@{body.slug}.example",
    )


def privacy_notice(body):
    """What the service stores and why (REQ-PRIV-01..03): the controller, art. 6.1 e, the
    cookies it really sets, and the e-mail follows with how long they are kept."""
    return ContentPage(
        title="Personuppgifter",
        title_en="Privacy notice",
        slug="personuppgifter",
        body="".join(
            [
                "<h2>Personuppgiftsansvarig</h2>",
                p(
                    f"{controller(body)} är personuppgiftsansvarig för de personuppgifter som "
                    "behandlas i Beslutsspår."
                ),
                "<h2>Varför vi behandlar personuppgifter</h2>",
                p(
                    "Vi publicerar motioner, förslag och beslut för att du ska kunna följa hur kommunen fattar "
                    "beslut och om besluten genomförs. Den rättsliga grunden är att behandlingen är nödvändig "
                    "för att utföra en uppgift av allmänt intresse och som ett led i myndighetsutövning "
                    "(artikel 6.1 e i dataskyddsförordningen, GDPR)."
                ),
                "<h2>Vad som publiceras</h2>",
                "<ul>",
                "<li>Förtroendevaldas namn, parti och uppdrag, till exempel vem som har lämnat en motion "
                "eller reserverat sig mot ett beslut.</li>",
                "<li>Namnet på den som har lämnat ett medborgarförslag eller e-förslag, eftersom namnet "
                "också står i kallelser och protokoll.</li>",
                "<li>Motionstexter, förslag till beslut, beslut och omröstningar.</li>",
                "</ul>",
                p(
                    "Den som lämnar ett medborgarförslag eller e-förslag kan uppge e-postadress och "
                    "telefonnummer. De publiceras aldrig och används bara för att kommunen ska kunna kontakta "
                    "dig om ditt förslag. Personnummer publiceras aldrig: texter kontrolleras innan de "
                    "publiceras."
                ),
                "<h2>Bevakning med e-post</h2>",
                p(
                    "Om du bevakar en motion, ett organ, ett parti eller ett åtagande sparar vi din "
                    "e-postadress, vad du bevakar och hur ofta du vill få e-post. Bevakningen börjar först när "
                    "du har klickat på länken i bekräftelsemejlet. En bevakning som inte bekräftas inom tre "
                    "dagar raderas. Varje mejl har en länk där du kan avsluta bevakningen; när du avslutar din "
                    "sista bevakning raderas e-postadressen och allt som hör till den.",
                    "För att stoppa missbruk räknar vi hur många förfrågningar som kommer från samma "
                    "IP-adress och e-postadress. Vi sparar bara en kod som räknats fram ur dem (inte adressen "
                    "själv), och räkningen raderas efter ett dygn.",
                ),
                "<h2>Kakor (cookies)</h2>",
                p(
                    "Webbplatsen använder inga kakor för statistik eller marknadsföring, och inga kakor från "
                    "andra webbplatser. Den sätter bara kakor som behövs för att tjänsten ska fungera:"
                ),
                "<ul>",
                "<li><b>csrftoken</b>: skyddar formulären (språkval och bevakning) mot förfalskade "
                "anrop. Den sätts när du besöker en sida och gäller i ett år.</li>",
                "<li><b>django_language</b>: sätts bara om du väljer ett annat språk, och försvinner "
                "när du stänger webbläsaren.</li>",
                "<li><b>sessionid</b> och <b>messages</b>: sätts bara när kommunens personal är "
                "inloggad i redigeringsverktyget.</li>",
                "</ul>",
                "<h2>Hur länge uppgifterna finns kvar</h2>",
                p(
                    "Motioner, förslag och beslut är allmänna handlingar och bevaras enligt arkivlagen. De tas "
                    "bort från webbplatsen bara genom ett beslut om gallring."
                ),
                "<h2>Dina rättigheter</h2>",
                p(
                    "Du har rätt att få veta vilka uppgifter vi har om dig, att få felaktiga uppgifter rättade "
                    "och att invända mot behandlingen. Du har också rätt att klaga hos "
                    'Integritetsskyddsmyndigheten (<a href="https://www.imy.se">imy.se</a>).'
                ),
                "<h2>Kontakt</h2>",
                p(
                    "Frågor om personuppgifter besvaras av kommunens dataskyddsombud: "
                    f'<a href="mailto:dataskyddsombud@{body.slug}.example">dataskyddsombud@{body.slug}.example</a>.'
                ),
            ]
        ),
    )
