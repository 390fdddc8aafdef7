"""Finding Swedish personal identity numbers (personnummer and samordningsnummer) in text.

REQ-PRIV-02: they are never published. A number counts only if its date is a real date (the
day plus 60 for a samordningsnummer) and its check digit is right (Luhn over the ten digits
YYMMDDNNNC), so case numbers, amounts, phone numbers and dates rarely trip it. A hit still
needs a human: one ten-digit number in ten with a date-like start passes the check by chance."""

import calendar
import html
import re

# 10 or 12 digits, with at most one dash, plus or space before the last four; not part of a
# longer run of digits. En dashes, minus signs and no-break spaces come with pasted text.
_CANDIDATE = re.compile(
    r"(?<!\d)(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+\u2010-\u2015\u2212 \u00a0]?)"
    r"(?P<serial>\d{4})(?!\d)"
)
_TAG = re.compile(r"<[^>]*>")
_COORDINATION_OFFSET = 60  # a samordningsnummer's day is the day of birth plus 60


def find_personal_ids(text: str) -> list[str]:
    """The personal identity numbers in `text`, as written, each once, in order.

    Rich text is also read as it shows on the page (tags dropped, entities decoded), so a
    number split by `&nbsp;` or wrapped in `<b>` is found too."""
    if not text:
        return []
    texts = [text]
    if "<" in text or "&" in text:
        texts.append(html.unescape(_TAG.sub("", text)))
    found: list[str] = []
    for variant in texts:
        for match in _CANDIDATE.finditer(variant):
            if _is_personal_id(match) and match.group() not in found:
                found.append(match.group())
    return found


def _is_personal_id(match: re.Match) -> bool:
    digits = match["date"] + match["serial"]
    return _luhn_valid(digits) and _date_valid(
        match["date"], centuries=_centuries(match["century"], match["sep"])
    )


def _centuries(century: str | None, sep: str) -> tuple[int, ...]:
    """The centuries the birth year can be in. Written with a plus, the person is over 100."""
    if century is not None:
        return (int(century),) if century in ("18", "19", "20") else ()
    return (18, 19) if sep == "+" else (19, 20)


def _date_valid(yymmdd: str, *, centuries: tuple[int, ...]) -> bool:
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if day > _COORDINATION_OFFSET:
        day -= _COORDINATION_OFFSET
    if not 1 <= month <= 12 or day < 1:
        return False
    return any(day <= calendar.monthrange(c * 100 + year, month)[1] for c in centuries)


def _luhn_valid(digits: str) -> bool:
    """The Luhn check over the ten digits YYMMDDNNNC, weights 2, 1, 2, … from the left."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0
