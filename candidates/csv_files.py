"""CSV files: reading what staff upload (delimiter, header, rows, column names, a guess at
which column holds which field) and writing cells that spreadsheet programs never run as
formulas. Plain text in, plain text out: no models, no forms."""

import csv
import io
import re
from collections.abc import Iterator

# Writing: cells a spreadsheet never runs, as every CSV download of the project writes them.
from rfs.csv_cells import FORMULA_PREFIXES, csv_lines, neutralise  # noqa: F401

# --- Reading a file -------------------------------------------------------------


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def iter_csv(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (row number, cells) for every non-blank row. Row numbers
    are what a spreadsheet shows: the header is row 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [cell.strip() for cell in next(reader, [])]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                yield number, cells

    return header, rows()


def header_end(text: str) -> int:
    """Where the first data row starts: the character after the header row."""
    stream = io.StringIO(text, newline="")
    next(csv.reader(stream, delimiter=_delimiter(text)), None)
    return stream.tell()


def read_rows(
    text: str, *, offset: int, number: int, limit: int
) -> tuple[list[tuple[int, list[str]]], int, int]:
    """Up to `limit` non-blank rows starting at character `offset`, where the row numbered
    `number` begins: (rows, the offset after them, the next row's number). A batch reads
    only its own rows, however far into a long file it starts."""
    stream = io.StringIO(text, newline="")
    stream.seek(offset)
    reader = csv.reader(stream, delimiter=_delimiter(text))
    rows: list[tuple[int, list[str]]] = []
    while len(rows) < limit:
        cells = next(reader, None)
        if cells is None:
            break
        if any(cell.strip() for cell in cells):
            rows.append((number, cells))
        number += 1
    return rows, stream.tell(), number


def read_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header, rows = iter_csv(text)
    return header, list(rows)


def column_names(header: list[str]) -> list[str]:
    """Unique, non-blank names for the file's columns (blank ones become "Column 3")."""
    names: list[str] = []
    for index, name in enumerate(header):
        name = name or f"Column {index + 1}"
        candidate, n = name, 2
        while candidate in names:
            candidate, n = f"{name} ({n})", n + 1
        names.append(candidate)
    return names


# --- Guessing the mapping -----------------------------------------------------------

# Other names earlier forms used for each field (compared without case or punctuation).
ALIASES: dict[str, set[str]] = {
    "first_name": {"first", "firstname", "givenname", "fname", "forename"},
    "last_name": {"last", "lastname", "surname", "familyname", "lname"},
    "preferred_name": {"preferredname", "nickname", "goesby"},
    "pronouns": {"pronoun", "pronouns"},
    "email": {"email", "emailaddress", "mail"},
    "phone": {"phone", "phonenumber", "mobile", "mobilephone", "cell", "cellphone", "telephone"},
    "zip_code": {"zip", "zipcode", "postalcode", "postcode", "zip5"},
    "state": {"state", "st", "statecode"},
    "city": {"city", "town", "cityortown"},
    "birth_year": {"birthyear", "yearofbirth", "yob", "born"},
    "office_level": {"officelevel", "level", "levelofoffice"},
    "office": {"office", "officesought", "position", "seat"},
    "district": {"district", "ward"},
    "election_year": {"electionyear", "year", "electiondate"},
    "has_filed": {"hasfiled", "filed", "alreadyfiled"},
    "party": {"party", "partyregistration"},
    "source": {"source", "howdidyouhearaboutus", "howheard", "heardabout", "referral"},
    "source_detail": {"sourcedetail", "referraldetail"},
    "why_run": {"whyrun", "why", "whydoyouwanttorun", "motivation"},
    "needs": {"needs", "help", "helpneeded", "whathelpdoyouneed"},
    "gender": {"gender"},
    "race_ethnicity": {"race", "ethnicity", "raceethnicity", "raceandethnicity"},
    "lgbtq": {"lgbtq", "lgbt", "lgbtqplus", "lgbtqia"},
}


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def guess_mapping(*, header: list[str], fields: list[tuple[str, str]]) -> dict[str, int]:
    """For each (name, label) field, the column whose heading names it (by field name, label
    or a common alias), each column used once."""
    squashed = [_squash(name) for name in header]
    guess: dict[str, int] = {}
    for name, label in fields:
        known = {_squash(name), _squash(label), *ALIASES.get(name, set())}
        for index, heading in enumerate(squashed):
            if heading in known and index not in guess.values():
                guess[name] = index
                break
    return guess
