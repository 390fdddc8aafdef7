"""The fault table: each real-worker fault test records what it expected and what arrived;
`-m redis` prints the table at the end of the run (tests/conftest.py), so CI shows it."""

from dataclasses import dataclass


@dataclass
class Row:
    fault: str
    expected: int
    delivered: int

    @property
    def verdict(self) -> str:
        return "ok" if self.expected == self.delivered else "WRONG"


ROWS: list[Row] = []


def record(fault: str, expected: int, delivered: int) -> None:
    """Call before asserting, so a failing case shows in the table too."""
    ROWS.append(Row(fault, expected, delivered))


def table() -> list[str]:
    width = max(len(row.fault) for row in ROWS)
    lines = [f"{'fault':<{width}}  expected  delivered  ", "-" * (width + 30)]
    lines += [
        f"{row.fault:<{width}}  {row.expected:>8}  {row.delivered:>9}  {row.verdict}"
        for row in ROWS
    ]
    return lines
