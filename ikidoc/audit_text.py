"""The archive's results in English words, as the command line prints them.

ikidoc.audit and ikidoc.verification return data; this is one place that words it (the
page words it in Indonesian). Each function takes one result and returns its text.
"""
from __future__ import annotations

import datetime as dt

from ikidoc.archive import FileRecord
from ikidoc.audit import Change, Changes, MadeWith, RevisionSummary, RevisionView, UnitListing
from ikidoc.errors import ArchiveError
from ikidoc.manifest import MANIFEST
from ikidoc.verification import Finding, RevisionCheck

_SHOWN = 60  # characters of a manifest value shown in a finding


def unit_listing(unit: UnitListing) -> str:
    """A unit's folder, the unit it holds, and a line per revision."""
    title = f"  ({unit.error})" if unit.error else ""
    if unit.identity:
        title = f"  {unit_title(unit.identity.unit_kerja, unit.identity.tahun)}"
    return "\n".join([f"{unit.folder}{title}", *map(revision_summary, unit.revisions)])


def revision_summary(summary: RevisionSummary) -> str:
    if summary.manifest is None:
        detail = summary.error.detail if summary.error else "cannot be read"
        return f"  {summary.folder.name:<4}  {MANIFEST} {detail}"
    made = summary.manifest
    pdf = f", {len(made.pdfs)} PDF/A" if made.pdfs else ""
    return (f"  {summary.folder.name:<4}  {when(made.created)}  "
            f"{count(len(made.jabatan), 'position')}  "
            f"template {made.inputs.template} {made.inputs.template_version}{pdf}")


def revision_view(view: RevisionView) -> str:
    """``archive show``: a revision's manifest in words, and its changes."""
    made, inputs = view.manifest, view.manifest.inputs
    kept = "kept in manifest.json" if made.data_text is not None else "no copy kept"
    regulation = made.template.get("regulation")
    lines = [
        f"revision    {view.folder}",
        f"unit kerja  {unit_title(made.unit_kerja, made.tahun)}",
        f"created     {when(made.created)}",
        f"data        {inputs.data_file} (sha256 {inputs.data_sha256}, {kept})",
        (f"template    {inputs.template} {inputs.template_version} "
        f"(sha256 {inputs.template_sha256})"),
        *([f"            {regulation}"] if regulation else []),
        f"ikidoc      {inputs.ikidoc}",
        f"positions   {len(made.jabatan)}",
        f"files       {len(made.files)} (sha256, bytes, name, what it holds)",
        *(f"  {r.sha256}  {r.size:>9}  {r.path}  {_holds(r)}" for r in made.files),
    ]
    first = ["changes: the first revision of this unit"]
    return "\n".join(lines + (changes(view.changes) if view.changes else first))


def changes(found: Changes) -> list[str]:
    head = f"changes since {found.previous.name}:"
    if found.uncompared:
        return [f"{head} {uncompared(found)}"]
    rows = [("added", found.added), ("removed", found.removed),
            ("changed", [change_item(item) for item in found.changed]), ("unit", found.unit),
            ("made with", [change_item(item) for item in found.made_with])]
    shown = [f"  {label + ':':<10} {', '.join(items)}" for label, items in rows if items]
    return [head, *(shown or ["  none: the same data, template and ikidoc"])]


def uncompared(found: Changes) -> str:
    """Why the positions of two revisions could not be compared."""
    if found.uncompared == "previous-unreadable":
        detail = found.error.detail if isinstance(found.error, ArchiveError) else found.error
        return f"{MANIFEST} of {found.previous.name} {detail}"
    if found.uncompared == "data-unreadable":
        return f"the kept data cannot be read by this ikidoc: {found.error}"
    return "positions cannot be compared: a revision keeps no copy of its data"


def change_item(item: str | Change | MadeWith) -> str:
    """A position changed (with its fields), or what a revision was made with."""
    if isinstance(item, Change):
        return f"{item.jabatan} ({', '.join(item.fields)})"
    if isinstance(item, MadeWith):
        if item.what == "template" and item.before == item.after:
            return f"template {item.after}, its files edited"
        return f"{item.what} {item.before} -> {item.after}"
    return item


def revision_check(check: RevisionCheck) -> str:
    """``archive verify``'s report of one revision: ok, or each problem on its line."""
    if check.ok:
        rebuilt = f"; {check.rebuilt} .docx made again are identical" if check.rebuilt else ""
        return f"{check.folder}: ok, {count(check.matched, 'file')} match {MANIFEST}{rebuilt}"
    return "\n".join([f"{check.folder}: {count(len(check.problems), 'problem')}",
                      *(f"  {finding(problem)}" for problem in check.problems)])


def finding(found: Finding) -> str:
    """One problem of a revision, in one line."""
    words = _WORDS.get(found.kind)
    if words is not None:
        return words.format(f=found, M=MANIFEST)
    return _worded(found)


_WORDS = {
    "link": "link: {f.file} is a symbolic link (to {f.actual}), not part of this archive; "
            "it is not trusted",
    "missing": "missing: {f.file}",
    "changed": "changed: {f.file} (its sha256 is {f.actual}, {M} says {f.expected})",
    "size": "changed: {f.file} (its size is {f.actual} bytes, {M} says {f.expected})",
    "extra": "extra: {f.file} (not in {M})",
    "data-copy": "the data kept in {M} is not the data it was made from (its sha256 is not "
                 "inputs.data_sha256)",
    "previous-missing": "chain: this revision was made after {f.file}, which is missing",
    "previous-skipped": "chain: this revision was made after {f.expected}, but {f.file} stands "
                        "between them",
    "other-unit": "unit: {M} is of the unit {f.actual!r}, but this folder holds {f.expected!r} "
                  "(instansi|unit_kerja|tahun)",
    "no-data-copy": "cannot rebuild: {M} keeps no copy of the input data",
    "no-template": "cannot rebuild: {f.error}; give the template it was made with (-t)",
    "template-differs": "cannot rebuild: template {f.template} at {f.file} has sha256 "
                        "{f.actual}, but the revision was made with {f.made_with}, sha256 "
                        "{f.expected}; give that template (-t)",
    "rebuild-failed": "cannot rebuild: {f.error}",
    "rebuild-differs": "rebuild: {f.file} made again differs from the archived one",
    "rebuild-missing": "rebuild: makes no {f.file}",
    "rebuild-extra": "rebuild: makes {f.file}, which the revision does not hold",
    "other-ikidoc": "rebuild: the revision was made by ikidoc {f.expected}; this is ikidoc "
                    "{f.actual}",
    "identity": "unit: {f.error}",
}


def _worded(found: Finding) -> str:
    """The findings whose words depend on their facts."""
    if found.kind == "manifest":
        detail = found.error.detail if isinstance(found.error, ArchiveError) else found.error
        return f"{MANIFEST} {detail}"
    if found.kind == "checksum":
        if found.expected is None:
            return f"{MANIFEST} records no checksum, though its format has one: it was edited"
        return (f"{MANIFEST} was edited: its content's sha256 is {found.actual}, its checksum "
                f"says {found.expected}")
    if found.kind == "previous-replaced":
        now = f"its sha256 is {found.actual}" if found.actual else "it cannot be read"
        return (f"chain: {found.file} is not the one this revision was made after ({now}; "
                f"this revision recorded {found.expected})")
    derived = (f", but the rebuild derives {_short(found.expected)}" if found.expected is not None
               else ", which the rebuild does not derive")
    return f"rebuild: {MANIFEST} says {found.key} is {_short(found.actual)}{derived}"


def _short(value: str | None) -> str:
    text = value or ""
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def unit_title(unit_kerja: str, tahun: int | None) -> str:
    return f"{unit_kerja} ({tahun})" if tahun else unit_kerja


def _holds(record: FileRecord) -> str:
    if record.pdf_of:
        return f"PDF/A of {record.pdf_of}"
    return record.jabatan or "all positions"


def when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
