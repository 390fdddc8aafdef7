"""Search results mark the query's words inside escaped text: the marks never make markup of
the text, nor break an entity the escaping made."""

from bs4 import BeautifulSoup

from cms.search import highlight
from tests.security.xss import html_problems

TEXT = "<script>alert('xss')</script> Kultur & fritid \"quot\" lt gt amp"


def test_marked_text_shows_exactly_what_was_written_and_runs_nothing():
    marked = highlight(TEXT, ["script", "lt", "amp", "quot", "x27"])
    assert html_problems(marked) == []
    soup = BeautifulSoup(marked, "html.parser")
    assert soup.get_text() == TEXT
    marks = [m.get_text() for m in soup.find_all("mark")]
    assert marks == ["script", "script", "lt", "quot", "lt", "amp"]  # "lt" in "Kultur" too


def test_text_without_query_words_is_escaped():
    assert BeautifulSoup(highlight(TEXT, []), "html.parser").get_text() == TEXT
    assert html_problems(highlight(TEXT, [])) == []
