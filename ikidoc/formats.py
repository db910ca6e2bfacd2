"""How dates, NIP numbers, list letters and list markers print in an Indonesian document."""
from __future__ import annotations

import datetime as dt
import re

from ikidoc.messages import msg

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)

# docs/data-format.md: a marker a list item may already carry. One letter, two lower-case
# letters or up to three digits closed by "." or ")" (optionally opened by "("), or a
# bullet; always followed by whitespace, so "Dr. Ahmad" and "5.000 dokumen" keep theirs.
_MARKER = re.compile(r"(?:\(?(?:[A-Za-z]|[a-z]{2}|\d{1,3})[.)]|[-\u2013\u2022*\u00b7])\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INDONESIAN_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")


def tanggal(value: dt.date | str) -> str:
    """Print a date the Indonesian way, "2 Januari 2025", whatever the machine's locale.

    A string that is an ISO date is converted; any other string is returned as given,
    so a template may pass through a date the data already wrote out.
    """
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    else:
        day = value.date() if isinstance(value, dt.datetime) else value
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


# Months by name, with the older spellings that letters of government offices still use.
_MONTHS = {name.lower(): number for number, name in enumerate(BULAN, 1)} | {
    "pebruari": 2, "nopember": 11}


def parse_tanggal(text: str) -> dt.date:
    """Read "2025-01-02" or "2 Januari 2025" (or "2 Pebruari 2025"); raise ValueError for
    anything else, a day the month does not have included."""
    text = text.strip()
    iso = _ISO_DATE.fullmatch(text)
    named = _INDONESIAN_DATE.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if named and named.group(2).lower() in _MONTHS:
            return dt.date(int(named.group(3)), _MONTHS[named.group(2).lower()],
                           int(named.group(1)))
    except ValueError:
        raise ValueError(msg("date.no_such_day", "{text!r} is not a day of the calendar; write "
                             "a real date such as 2025-01-02 or 2 Januari 2025",
                             text=cut(text))) from None
    raise ValueError(msg("date.not_a_date", "not a date: {text!r}; write it as 2025-01-02 or "
                         "2 Januari 2025", text=cut(text)))


def cut(text: str, length: int = 40) -> str:
    """A typed value as a message quotes it: cut after ``length`` characters, so that a
    value of a million characters does not fill the screen."""
    return text[:length] + "..." if len(text) > length else text


def nip_digits(value: str | int) -> str:
    """The 18 digits of a NIP typed with any spacing; ValueError when it is not 18 digits."""
    digits = re.sub(r"\s+", "", str(value))
    if not re.fullmatch(r"[0-9]{18}", digits):
        raise ValueError(msg("nip.format", "a NIP has 18 digits (spaces allowed), got {value!r}; "
                             "example: 19800512 200501 1 002", value=cut(str(value))))
    return digits


def nip(value: str | int) -> str:
    """Print a NIP grouped 8-6-1-3: "19800512 200501 1 002" (birth date, appointment, sex,
    serial)."""
    digits = nip_digits(value)
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def huruf(number: int) -> str:
    """The letter of the n-th item (1 -> "a", 26 -> "z", 27 -> "aa", 28 -> "ab")."""
    if number < 1:
        raise ValueError(f"list items are counted from 1, got {number}")
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def strip_marker(item: str) -> str:
    """Remove one leading letter, number or bullet that a list item was typed with.

    The printed letters come from the item's place in the list, so an item typed
    "f. Melaksanakan ..." after "d." must not keep its wrong letter.
    """
    match = _MARKER.match(item)
    if match and match.end() < len(item):
        return item[match.end():]
    return item
