"""The letterhead (kop surat) of an imported IKI, read into the data's ``kop``: from the
lines above a Word document's first title (a borderless table of the logo beside them,
paragraphs, or the page header), or from the rows ``kop ...`` of a workbook's sheet
``dokumen``. The logo is written beside the data file, under the data file's name.

What a letterhead says is kept as typed: its lines in capitals are ``baris``, the line
of the street ``alamat``, the telephone ``telepon`` (without its label "Telp."), the web
site or e-mail line ``laman``. A picture that cannot be a logo (no PNG or JPEG, over the
logo's bound) is left out, said in the data file's opening comment.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ikidoc import letterhead
from ikidoc.importers.cells import cell_text
from ikidoc.messages import Message, msg
from ikidoc.ooxml.document import Block, Document, Paragraph, Table

if TYPE_CHECKING:
    from ikidoc.importers.draft import Draft

FIELDS = ("alamat", "telepon", "laman", "logo")
MAX_BARIS = 6  # "kop baris 1" ... "kop baris 6": a letterhead has two to four
_LABEL = re.compile(r"kop[ _.]+(baris[ _.]*([0-9]+)|alamat|telepon|laman|logo)")
_ADDRESS = re.compile(r"(jl|jln|jalan|alamat|komplek|kompleks|gedung)\b", re.IGNORECASE)
# The labels that part a letterhead line: a telephone (its label dropped, "Telepon"
# being printed before it), a fax (kept with the telephone, labelled), a site or e-mail
# (kept as typed).
_LABELS = re.compile(r"(?:^|(?<=[\s,;/(]))(?:(?P<phone>telp|telepon|tlp|phone)|"
                     r"(?P<fax>fax|faks|faksimile)|(?P<site>laman|website|web|situs|email|"
                     r"e-mail|surel))\b\.?\s*:?\s*", re.IGNORECASE)
_BARE_SITE = re.compile(r"^(www\.|https?://)|^\S+\.(go\.id|id|com|org|net)\b|^\S+@\S+$",
                        re.IGNORECASE)
_STARTS = ("PEMERINTAH ", "KEMENTERIAN ", "DEWAN ", "BADAN ", "RUMAH SAKIT ")


def label_of(label: str) -> str | None:
    """The kop field a workbook row names ("kop baris 2" -> "baris 2", "Kop Alamat" ->
    "alamat"); None for any other label."""
    found = _LABEL.fullmatch(" ".join(label.strip().rstrip(":").lower().split()))
    if found is None:
        return None
    return f"baris {int(found.group(2))}" if found.group(2) else found.group(1)


def take(draft: Draft, label: str, value: Any, place: Message) -> None:
    """A row ``kop ...`` of a workbook: a line, the address, the telephone, the site, or
    the logo's file name (read relative to the workbook, and checked as generate checks
    it). An empty value gives nothing."""
    key, text = label_of(label) or "", cell_text(value)
    if not text:
        return
    if key.startswith("baris"):
        number = int(key.split()[1])
        if not 1 <= number <= MAX_BARIS:
            draft.problem(place, msg("kop.line_number", "{label!r}: a letterhead has lines "
                                     "1 to {bound}", label=label, bound=MAX_BARIS))
            return
        draft.kop_lines[number] = text
    elif key == "logo":
        _take_logo_file(draft, Path(draft.source).parent, text, place)
    else:
        draft.kop[key] = text
    draft.place("kop", place)
    draft.place(f"kop.{key.split()[0]}", place)


def _take_logo_file(draft: Draft, folder: Path, name: str, place: Message) -> None:
    found = letterhead.logo_bytes(folder, name)
    if isinstance(found, bytes):
        draft.logo = found
    else:
        draft.problem(place, found[0], found[1])


def take_picture(draft: Draft, data: bytes, place: Message) -> None:
    """A picture pasted in the workbook's sheet ``dokumen``: the logo, unless a row
    ``kop logo`` names one."""
    if draft.logo is None:
        _use_picture(draft, data, place)
        draft.place("kop.logo", place)


def read_document(document: Document, first_title: int, draft: Draft) -> None:
    """The letterhead at the top of the page above the document's first title (the
    body's block ``first_title``), else in its page header, where other text (a
    "Lampiran ..." line) may stand above it; nothing when it has none."""
    headers = document.headers
    starts = (number for number, paragraph in enumerate(headers)
              if paragraph.pictures or _opens(_lines([paragraph])))
    # a letterhead in a header is a few paragraphs from where it starts: each start is
    # looked at that far only (a header of thousands of paragraphs stays linear)
    found = itertools.chain([_letterhead(list(document.body[:first_title]))],
                            (_letterhead(list(headers[start:start + _HEADER_REACH]))
                             for start in starts))
    for lines, pictures in found:
        if lines:
            _take_lines(lines, draft)
            if pictures:
                _use_picture(draft, pictures[0], msg("place.letterhead", "the letterhead"))
            return


_HEADER_REACH = MAX_BARIS + 4  # its lines, the logo's paragraph, address, telephone, site


def _letterhead(blocks: list[Block]) -> tuple[list[str], list[bytes]]:
    """The lines and pictures of the letterhead that stands first among ``blocks`` (at
    the top of the page): a table of one row holding its lines beside the logo, or
    paragraphs from the logo or the "PEMERINTAH ..." line down to an empty one or a rule
    under them. Nothing when the first block is neither."""
    first = next((number for number, block in enumerate(blocks) if isinstance(block, Table)
                  or block.text.strip() or block.pictures), len(blocks))
    if first == len(blocks):
        return [], []
    block = blocks[first]
    if isinstance(block, Table):
        paragraphs = [inner for cell in block.rows[0].cells for inner in cell.blocks
                      if isinstance(inner, Paragraph)] if len(block.rows) == 1 else []
    else:
        paragraphs = _run_of(blocks[first:])
    lines = _lines(paragraphs)
    return (lines, _pictures(paragraphs)) if _opens(lines) else ([], [])


def _run_of(blocks: list[Block]) -> list[Paragraph]:
    """The paragraphs from the first of ``blocks`` down to the first empty one (a logo's
    paragraph is not empty), or to one with a rule under it, that one included."""
    found: list[Paragraph] = []
    for block in blocks:
        if not isinstance(block, Paragraph) or not (block.text.strip() or block.pictures):
            break
        found.append(block)
        if block.rule_below:
            break
    return found


def _lines(paragraphs: Iterable[Paragraph]) -> list[str]:
    return [line for paragraph in paragraphs
            for line in (" ".join(part.split()) for part in paragraph.text.split("\n")) if line]


def _pictures(paragraphs: Iterable[Paragraph]) -> list[bytes]:
    return [picture for paragraph in paragraphs for picture in paragraph.pictures]


def _opens(lines: list[str]) -> bool:
    """Whether lines begin a letterhead: their first in capitals names a government, a
    ministry, a council, an agency or a hospital."""
    return bool(lines) and lines[0].isupper() and lines[0].startswith(_STARTS)


def _take_lines(lines: list[str], draft: Draft) -> None:
    """The lines in capitals first are ``baris``; the rest the address, telephone and
    site, each part of a line by its label ("Jl. ... Telp. ... Email: ...")."""
    place = msg("place.letterhead", "the letterhead")
    baris: list[str] = []
    rest = list(lines)
    while rest and rest[0].isupper() and not _ADDRESS.match(rest[0]) \
            and not _LABELS.match(rest[0]) and not _BARE_SITE.search(rest[0]):
        baris.append(rest.pop(0))
    draft.kop_lines.update(enumerate(baris, start=1))
    for line in rest:
        _take_parts(line, draft)
    draft.place("kop", place)
    for key in ("baris", *FIELDS):
        if key in draft.kop or (key == "baris" and baris):
            draft.place(f"kop.{key}", place)


def _take_parts(line: str, draft: Draft) -> None:
    """One line under the letterhead's capitals, parted at its labels: the text before
    the first is the address (or a site typed bare), each labelled part the telephone,
    the fax or the site."""
    labels = list(_LABELS.finditer(line))
    opening = line[:labels[0].start()] if labels else line
    if _BARE_SITE.search(opening.strip()):
        _set(draft, "laman", opening.strip())
    else:
        _set(draft, "alamat", opening.strip(" ,;-/"))
    for number, label in enumerate(labels):
        end = labels[number + 1].start() if number + 1 < len(labels) else len(line)
        if label.group("phone"):
            _set(draft, "telepon", line[label.end():end].strip(" ,;/"))
        elif label.group("fax"):
            _set(draft, "telepon", line[label.start():end].strip(" ,;/"))
        else:
            _set(draft, "laman", line[label.start():end].strip())


def _set(draft: Draft, key: str, text: str) -> None:
    """A field of the letterhead; a second line of the same kind joins the first."""
    if text:
        draft.kop[key] = f"{draft.kop[key]} {text}" if key in draft.kop else text


def _use_picture(draft: Draft, data: bytes, place: Message) -> None:
    """A letterhead's picture as the logo, when a logo may be that picture."""
    if len(data) > letterhead.MAX_LOGO_BYTES:
        draft.note(place, msg("kop.logo_too_large", "the logo ({size:,} bytes) was left out: "
                              "a logo over {bound} MB is refused", size=len(data),
                              bound=letterhead.MAX_LOGO_BYTES // 2**20))
    elif letterhead.image_kind(data) is None:
        draft.note(place, msg("kop.logo_kind", "the logo was left out: it is no PNG or JPEG "
                              "picture; save it as .png and name it in kop.logo"))
    else:
        draft.logo = data


def logo_name(target: Path, data: bytes) -> str:
    """The file name the logo is written under beside the data file ``target``."""
    kind = letterhead.image_kind(data)
    return f"{target.stem}-logo.{'jpg' if kind == 'jpeg' else kind}"
