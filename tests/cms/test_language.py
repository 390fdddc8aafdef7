"""Swedish first: the browser's language does not switch the site; the visitor's choice does."""

from django.conf import settings


def test_an_english_browser_still_gets_swedish(client, public_site):
    response = client.get(public_site.motions_url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv"' in response.content.decode()


def test_choosing_english_with_the_switch_gives_english(client, public_site):
    client.post("/i18n/setlang/", {"language": "en", "next": public_site.motions_url})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(public_site.motions_url)
    assert '<html lang="en"' in response.content.decode()
