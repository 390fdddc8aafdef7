"""Text an attacker, or a paste from a word processor, puts into a record. Every download and
feed must give it back as text: shown as written, never run or rendered."""

# A spreadsheet program runs each of these as a formula.
FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "  =1+1",
    "\t=1",
    "\uff1d1+1",  # a full-width equals sign
]
# Text with the characters each format must escape.
TEXTS = [
    "Första raden\randra raden",  # a bare CR in the middle
    "Remiss; svar väntas",
    "Skolor, förskolor och fritids",
    "Sparas under C:\\Nya\\mappar",  # backslashes, and a "\N" that is no line break
    "<font size=40>Stor</font> <b>fet & <img src=x onerror=alert(1)>",
    "Återställning av ängar och ödelagda åkrar vid Öresjö och Åsunden: " + "åäö" * 30,
]
PAYLOADS = FORMULAS + TEXTS


def as_read_back(text: str) -> str:
    """Atom and iCalendar know one line break, LF: a CR or CRLF comes back as LF. (XLSX keeps a
    CR: openpyxl writes it as a character reference when lxml is installed.)"""
    return text.replace("\r\n", "\n").replace("\r", "\n")
