"""The signature block under an IKI table: place and date, the signer's jabatan, a
space to sign, name, pangkat and NIP; and which signer a document shares.

Offices leave parts to be written by hand (a date of "     Januari 2025", a name of
dots); such parts are read as absent rather than as data. Many print the holder's
signature (pemangku) beside the signer's: of two columns, the holder's is the one under
a holder's role ("Pemangku Jabatan", "Pegawai yang dinilai"), or beside one under a
superior's role ("Atasan Langsung", "Mengetahui"), or the one whose jabatan is the
position's own; the other column is the signer's.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from ikidoc import formats
from ikidoc.importers.draft import SIGNER_FIELDS, Draft
from ikidoc.messages import Message


@dataclass(frozen=True)
class Signature:
    """The block under one position's table; each part None when absent."""

    place: Message  # where the block stands, for messages
    tempat: str | None = None
    tanggal: dt.date | None = None
    signer: dict[str, str] | None = None
    holder: dict[str, str] | None = None  # the pemangku: nama, pangkat, NIP
    holder_jabatan: str | None = None  # the holder's jabatan, when typed (the position's name)
    undecided: tuple[dict[str, str], ...] = ()  # signers side by side, none a holder's


@dataclass(frozen=True)
class _Column:
    """One column of a signature block as read: place and date, the person signing
    there (with the jabatan line above the name) and the role it is typed under."""

    tempat: str | None
    tanggal: dt.date | None
    person: dict[str, str] | None
    role: str | None  # "holder", "superior" or None


def read(columns: list[list[str]], place: Message, position: str = "") -> Signature:
    """The signature in the text lines below a table, one list of lines for each column
    that holds text (blank lines are the space to sign): one signer, or the signer and
    the holder of ``position`` side by side. The place and date are the first any
    column gives."""
    read_ = [_column(lines) for lines in columns]
    tempat = next((c.tempat for c in read_ if c.tempat is not None), None)
    tanggal = next((c.tanggal for c in read_ if c.tanggal is not None), None)
    signers = [c for c in read_ if c.person]
    holders = _holders(signers, position)
    if len(holders) > 1 or len(signers) - len(holders) > 1:
        return Signature(place, tempat, tanggal, undecided=tuple(
            c.person for c in signers if c.person))
    holder = holders[0].person if holders else None
    signer = next((c.person for c in signers if c not in holders), None)
    if holder is None:
        return Signature(place, tempat, tanggal, signer)
    return Signature(place, tempat, tanggal, signer, _held(holder), _own_jabatan(holder))


def _holders(signers: list[_Column], position: str) -> list[_Column]:
    """The signatures read as the holder's: those under a holder's role; else, of two,
    the one beside a superior's role, or the one whose jabatan is the position's."""
    holders = [c for c in signers if c.role == "holder"]
    if holders or len(signers) != 2:
        return holders
    if any(c.role == "superior" for c in signers):
        return [c for c in signers if c.role != "superior"]
    return [c for c in signers if _same(c.person, position)]


def _column(lines: list[str]) -> _Column:
    """One column: its role words read before they are left out of its lines."""
    said = {_role(line) for line in lines}
    groups: list[list[str]] = [[]]
    for line in _own_lines(lines):
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    groups = [group for group in groups if group]
    tempat, tanggal = None, None
    if groups and (dated := _opening(groups)) is not None:
        (tempat, tanggal), groups[0] = dated, groups[0][1:]
    person = _signer([group for group in groups if group])
    holder = bool(said & _HOLDER_ROLES) or (person is not None
                                            and _role(person["jabatan"]) in _HOLDER_ROLES)
    role = "holder" if holder else "superior" if said & _SUPERIOR_ROLES else None
    return _Column(tempat, tanggal, person, role)


def _same(person: dict[str, str] | None, position: str) -> bool:
    """Whether a signer's jabatan is the position itself (the holder's signature)."""
    return bool(position) and person is not None and " ".join(
        person["jabatan"].lower().split()) == " ".join(position.lower().split())


def _held(person: dict[str, str]) -> dict[str, str]:
    """The holder as the data format keeps a pemangku: name, pangkat, NIP."""
    return {name: value for name, value in person.items() if name != "jabatan"}


def _own_jabatan(person: dict[str, str]) -> str | None:
    """The holder's jabatan as typed, unless it is a role ("Pemangku Jabatan")."""
    jabatan = person.get("jabatan", "")
    return jabatan if jabatan and _role(jabatan) not in _HOLDER_ROLES else None


# Words that name a signer's role above the jabatan, not the jabatan itself.
# Words over the holder's own signature, and over the superior's beside it.
_HOLDER_ROLES = {"pemangku jabatan", "yang dinilai", "pegawai yang dinilai",
                 "pns yang dinilai", "pejabat yang dinilai", "pegawai negeri sipil yang dinilai"}
_SUPERIOR_ROLES = {"mengetahui", "menyetujui", "atasan langsung", "pejabat penilai",
                   "pejabat penilai kinerja"}
_ROLES = _SUPERIOR_ROLES | {"yang menetapkan", "yang membuat pernyataan"}
_ENACTED = re.compile(r"ditetapkan\s+di\b[\s:]*(.*)", re.IGNORECASE)
_ENACTED_ON = re.compile(r"pada\s+tanggal\b[\s:]*(.*)", re.IGNORECASE)


def _own_lines(lines: list[str]) -> list[str]:
    """The block's own lines, stripped: from its place-and-date line on when a note
    ("Keterangan: ...") stands before it, and up to a Tembusan list; a Keputusan's
    "Ditetapkan di : X" and "Pada tanggal : Y" read as the one line "X, Y"; role words
    ("Mengetahui,", "Atasan Langsung,") left out."""
    lines = [line.strip() for line in lines]
    end = next((n for n, line in enumerate(lines) if line.lower().startswith("tembusan")),
               len(lines))
    lines = lines[:end]
    for number, line in enumerate(lines[:-1]):
        enacted, on = _ENACTED.fullmatch(line), _ENACTED_ON.fullmatch(lines[number + 1])
        if enacted and on:
            lines[number:number + 2] = [f"{enacted.group(1).strip()}, {on.group(1).strip()}"]
            break
    dated = next((n for n, line in enumerate(lines) if _place_and_date(line)), 0)
    return [line for line in lines[dated:] if _role(line) not in _ROLES]


def _role(line: str) -> str:
    """A line as role words are compared: "Atasan Langsung," reads "atasan langsung"."""
    return " ".join(line.strip().rstrip(",:").lower().split())


def _opening(groups: list[list[str]]) -> tuple[str | None, dt.date | None] | None:
    """Place and date from the block's first line, or None when that line starts the
    signer's jabatan. ``groups`` are the block's runs of lines between blank ones.

    The line is the place and date when it reads as a date ("2 Januari 2025") or a
    place and date; otherwise it is the place alone when nothing follows it (no signer)
    or when one line, the signer's jabatan, follows it before the space to sign, or a
    holder's role ("Pemangku Jabatan,") follows it. A
    first line without a date followed straight by further lines (no space to sign
    typed) is read as the jabatan.
    """
    first = groups[0][0]
    if _role(first) in _HOLDER_ROLES:
        return None
    dated = _place_and_date(first)
    if dated is None and (groups == [[first]] or (len(groups) > 1 and len(groups[0]) == 2)
                          or _role((groups[0][1:2] or [""])[0]) in _HOLDER_ROLES):
        return first, None
    return dated


def _place_and_date(line: str) -> tuple[str | None, dt.date | None] | None:
    """(None, date) from "2 Januari 2025", ("Contoh", date) from "Contoh, 2 Januari
    2025"; a date left blank to be written by hand ("Contoh,      Januari 2025") gives
    the place alone. None when the line is neither."""
    head, comma, tail = line.rpartition(",")
    try:
        return head.strip() or None, formats.parse_tanggal(tail)
    except ValueError:
        words = tail.lower().split()
        if comma and (any(month.lower() in words for month in formats.BULAN) or any(
                word.isdigit() and len(word) == 4 for word in words)):
            return head.strip() or None, None
    return None


def _signer(groups: list[list[str]]) -> dict[str, str] | None:
    """Jabatan (the lines before the space to sign), then name, pangkat and NIP."""
    if not groups:
        return None
    if len(groups) > 1:
        jabatan, person = groups[0], [line for group in groups[1:] for line in group]
    else:  # no space to sign typed: the jabatan ends at its comma, or after one line
        end = next((n for n, line in enumerate(groups[0][:3]) if line.endswith(",")), 0) + 1
        jabatan, person = groups[0][:end], groups[0][end:]
    # "Pegawai yang dinilai," over the holder's own jabatan is a role, not part of it.
    jabatan = [line for line in jabatan if _role(line) not in _HOLDER_ROLES] or jabatan
    signer = {"jabatan": " ".join(jabatan).rstrip(",").strip()}
    for line in person:
        if line.upper().startswith("NIP"):
            nip = line[3:].strip(" .:")
            if any(char.isdigit() for char in nip):  # not dots left to be filled in by hand
                signer["nip"] = _digits(nip)
        elif "nama" not in signer:
            signer["nama"] = line
        else:
            signer.setdefault("pangkat", line)
    if not any(char.isalpha() for char in signer.get("nama", "")):
        return None  # a name left as dots or brackets to be written by hand
    return {name: signer[name] for name in SIGNER_FIELDS if name in signer}


def _digits(nip: str) -> str:
    """The NIP's 18 digits; a NIP that has not 18 is kept as typed, for the model to report."""
    try:
        return formats.nip_digits(nip)
    except ValueError:
        return nip


def share(signatures: list[Signature], draft: Draft) -> None:
    """Give the draft the place, date and signer most positions show; a position signed
    by someone else keeps its own signer. A position that shows none (a combined
    document signed once, at its end) takes the document's.

    ``signatures`` are those of the draft's positions, in order.
    """
    for key in ("tempat", "tanggal"):
        values = [(getattr(s, key), s.place) for s in signatures if getattr(s, key) is not None]
        if values:
            common = Counter(value for value, _ in values).most_common(1)[0][0]
            draft.set_field(key, common, next(place for value, place in values if value == common))
    for number, signature in enumerate(signatures):
        if signature.holder and "pemangku" not in draft.positions[number]:  # lines above first
            _put(draft, number, "pemangku", signature.holder, signature.place)
    signed = [(tuple(s.signer.items()), s.place) for s in signatures if s.signer]
    if not signed:
        return
    shared = Counter(signer for signer, _ in signed).most_common(1)[0][0]
    for name, value in shared:
        draft.set_field(f"penandatangan_{name}", value, next(p for s, p in signed if s == shared))
    for number, signature in enumerate(signatures):
        if signature.signer and tuple(signature.signer.items()) != shared:
            _own_signer(draft, number, signature)


def _own_signer(draft: Draft, number: int, signature: Signature) -> None:
    """Give position ``number`` its own signer."""
    assert signature.signer is not None
    _put(draft, number, "penandatangan", signature.signer, signature.place)


# A position's keys in the data format's order.
_KEYS = ("nama", "tugas", "fungsi", "pemangku", "penandatangan", "tambahan", "sasaran")


def _put(draft: Draft, number: int, key: str, person: dict[str, str], place: Message) -> None:
    """Give position ``number`` a person (``pemangku`` or ``penandatangan``), keeping
    its keys in the data format's order."""
    entry = draft.positions[number]
    entry[key] = person
    ordered = {name: entry.pop(name) for name in _KEYS if name in entry}
    entry.update(ordered)
    draft.place(f"jabatan[{number}].{key}", place)
