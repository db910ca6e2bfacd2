"""The archive's results in English words, as the command line prints them.

ikidoc.audit, ikidoc.verification and ikidoc.diff return data; this is one place that
words it (the page words it in Indonesian). Each function takes one result and returns its
text.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ikidoc.archive import FileRecord
from ikidoc.audit import (
    Change,
    Changes,
    Difference,
    MadeWith,
    RevisionSummary,
    RevisionView,
    UnitListing,
)
from ikidoc.errors import ArchiveError, IkidocError
from ikidoc.manifest import MANIFEST
from ikidoc.messages import Joined, Lang, Message, msg, word
from ikidoc.verification import Finding, RevisionCheck

if TYPE_CHECKING:  # ikidoc.diff loads Pillow, which only the commands that draw need
    from ikidoc.diff import PositionDiff, RevisionDiff

_SHOWN = 60  # characters of a manifest value shown in a finding
VALUE_SHOWN = 60  # characters of an old or a new value shown in a change (then "…")
DIFFERENCES_SHOWN = 5  # values changed shown per position (and for the unit), then "and N more"


def unit_listing(unit: UnitListing, lang: Lang = "en") -> str:
    """A unit's folder, the unit it holds, and a line per revision."""
    title = f"  ({word(unit.error.message(), lang)})" if unit.error else ""
    if unit.identity:
        title = f"  {unit_title(unit.identity.unit_kerja, unit.identity.tahun)}"
    return "\n".join([f"{unit.folder}{title}",
                      *(revision_summary(summary, lang) for summary in unit.revisions)])


def revision_summary(summary: RevisionSummary, lang: Lang = "en") -> str:
    name = f"{summary.folder.name:<4}"
    if summary.manifest is None:
        detail = summary.error.detail if summary.error else msg("archive.unreadable",
                                                                 "cannot be read")
        return word(msg("list.unreadable", "  {name}  {manifest} {detail}", name=name,
                        manifest=MANIFEST, detail=detail), lang)
    made = summary.manifest
    positions = (msg("list.one_position", "1 position") if len(made.jabatan) == 1
                 else msg("list.positions", "{count} positions", count=len(made.jabatan)))
    said = msg("list.revision", "  {name}  {created}  {positions}  template {template} {version}",
               name=name, created=when(made.created), positions=positions,
               template=made.inputs.template, version=made.inputs.template_version)
    if made.pdfs:
        said = msg("list.with_pdfs", "{said}, {count} PDF/A", said=said, count=len(made.pdfs))
    return word(said, lang)


def revision_view(view: RevisionView, lang: Lang = "en") -> str:
    """``archive show``: a revision's manifest in words, and its changes."""
    made, inputs = view.manifest, view.manifest.inputs
    kept = (msg("show.kept", "kept in manifest.json") if made.data_text is not None
            else msg("show.not_kept", "no copy kept"))
    regulation = made.template.get("regulation")
    lines: list[Message | str] = [
        msg("show.revision", "revision    {folder}", folder=str(view.folder)),
        msg("show.unit", "unit kerja  {unit}", unit=unit_title(made.unit_kerja, made.tahun)),
        msg("show.created", "created     {when}", when=when(made.created)),
        msg("show.data", "data        {file} (sha256 {sha256}, {kept})", file=inputs.data_file,
            sha256=inputs.data_sha256, kept=kept),
        msg("show.template", "template    {template} {version} (sha256 {sha256})",
            template=inputs.template, version=inputs.template_version,
            sha256=inputs.template_sha256),
        *([f"            {regulation}"] if regulation else []),
        msg("show.ikidoc", "ikidoc      {version}", version=inputs.ikidoc),
        msg("show.positions", "positions   {count}", count=len(made.jabatan)),
        msg("show.files", "files       {count} (sha256, bytes, name, what it holds)",
            count=len(made.files)),
        *(msg("show.file", "  {sha256}  {size:>9}  {path}  {holds}", sha256=r.sha256,
              size=r.size, path=r.path, holds=_holds(r)) for r in made.files),
    ]
    first = [msg("show.first", "changes: the first revision of this unit")]
    every = lines + (changes(view.changes) if view.changes else first)
    return "\n".join(word(line, lang) for line in every)


def changes(found: Changes) -> list[Message]:
    head = msg("show.changes_since", "changes since {previous}:", previous=found.previous.name)
    if found.uncompared:
        return [msg("show.uncompared", "{head} {why}", head=head, why=uncompared_message(found))]
    values = [msg("show.position_value", "    {jabatan}: {difference}", jabatan=item.jabatan,
                  difference=said) for item in found.changed
              for said in difference_messages(item.differences)]
    unit_values = [msg("show.unit_value", "    {difference}", difference=said)
                   for said in difference_messages(found.unit_differences)]
    rows: list[tuple[Message, Sequence[Message | str], list[Message]]] = [
        (msg("show.added", "added:    "), found.added, []),
        (msg("show.removed", "removed:  "), found.removed, []),
        (msg("show.changed", "changed:  "), [change_message(item) for item in found.changed],
         values),
        (msg("show.unit_changed", "unit:     "), found.unit, unit_values),
        (msg("show.made_with", "made with:"), [change_message(item) for item in found.made_with],
         [])]
    shown = [line for label, items, details in rows if items
             for line in [msg("show.row", "  {label} {items}", label=label, items=items),
                          *details]]
    return [head, *(shown or [msg("show.none", "  none: the same data, template and ikidoc")])]


def difference_messages(found: Sequence[Difference]) -> list[Message]:
    """The values changed, old -> new: the first DIFFERENCES_SHOWN, then how many more."""
    shown = [difference_message(item) for item in found[:DIFFERENCES_SHOWN]]
    if len(found) > DIFFERENCES_SHOWN:
        shown.append(msg("changes.more", "and {count} other changes",
                         count=len(found) - DIFFERENCES_SHOWN))
    return shown


def difference_message(item: Difference) -> Message:
    """One value changed: where, and its old and new value (an item added or removed)."""
    where = place(item.path)
    if item.old is None:
        return msg("changes.value_added", "{where} added: {new}", where=where,
                   new=value_text(item.new))
    if item.new is None:
        return msg("changes.value_removed", "{where} removed: {old}", where=where,
                   old=value_text(item.old))
    return msg("changes.value", "{where}: {old} → {new}", where=where,
               old=value_text(item.old), new=value_text(item.new))


def place(path: tuple[str | int, ...]) -> str:
    """A value's place as the data names it, positions counted from 1:
    ``sasaran 1, indikator 2, uraian``."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int) and parts:
            parts[-1] = f"{parts[-1]} {step + 1}"
        else:
            parts.append(str(step))
    return ", ".join(parts)


def value_text(value: Any) -> str:
    """A value as it is written in the data, quoted when it is text, shortened to
    VALUE_SHOWN characters; a whole item by its uraian or nama."""
    if isinstance(value, dict):
        named = value.get("uraian") or value.get("nama")
        value = named if named is not None else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, bool | int | float):
        return str(value)
    text = str(value)
    if len(text) > VALUE_SHOWN:
        text = text[:VALUE_SHOWN - 1].rstrip() + "…"
    return f"'{text}'"


def uncompared_message(found: Changes) -> Message:
    """Why the positions of two revisions could not be compared."""
    error = found.error.message() if isinstance(found.error, IkidocError) else str(found.error)
    if found.uncompared == "previous-unreadable":
        detail = found.error.detail if isinstance(found.error, ArchiveError) else error
        return msg("changes.previous_unreadable", "{manifest} of {previous} {detail}",
                   manifest=MANIFEST, previous=found.previous.name, detail=detail)
    if found.uncompared == "data-unreadable":
        return msg("changes.data_unreadable", "the kept data cannot be read by this ikidoc: "
                   "{error}", error=error)
    return msg("changes.no_copy", "positions cannot be compared: a revision keeps no copy of its "
               "data")


def change_message(item: str | Change | MadeWith) -> Message | str:
    """A position changed (with its fields), or what a revision was made with."""
    if isinstance(item, Change):
        return msg("changes.position", "{jabatan} ({fields})", jabatan=item.jabatan,
                   fields=list(item.fields))
    if isinstance(item, MadeWith) and item.what == "template" and item.before == item.after:
        return msg("changes.template_edited", "template {template}, its files edited",
                   template=item.after)
    if isinstance(item, MadeWith):
        return msg("changes.made_with", "{what} {before} -> {after}", what=item.what,
                   before=item.before, after=item.after)
    return item


def revision_check(check: RevisionCheck, lang: Lang = "en") -> str:
    """``archive verify``'s report of one revision: ok, or each problem on its line."""
    return word(revision_check_message(check), lang)


def revision_check_message(check: RevisionCheck) -> Message:
    """``archive verify``'s report of one revision, as a Message."""
    files = (msg("verify.one_file", "1 file") if check.matched == 1
             else msg("verify.files", "{count} files", count=check.matched))
    if check.ok and check.rebuilt:
        return msg("verify.ok_rebuilt", "{folder}: ok, {files} match {manifest}; {rebuilt} .docx "
                   "made again are identical", folder=str(check.folder), files=files,
                   manifest=MANIFEST, rebuilt=check.rebuilt)
    if check.ok:
        return msg("verify.ok", "{folder}: ok, {files} match {manifest}",
                   folder=str(check.folder), files=files, manifest=MANIFEST)
    problems = (msg("verify.one_problem", "1 problem") if len(check.problems) == 1
                else msg("verify.problem_count", "{count} problems", count=len(check.problems)))
    return msg("verify.problems", "{folder}: {problems}\n{found}", folder=str(check.folder),
               problems=problems,
               found=Joined.of((finding_message(found) for found in check.problems), "\n", "  "))


def finding(found: Finding) -> str:
    """One problem of a revision, in one line (English)."""
    return str(finding_message(found))


def finding_message(found: Finding) -> Message:
    """One problem of a revision as a Message: its kind, the file, the values found."""
    worded = _WORDS.get(found.kind)
    return worded(found) if worded is not None else _worded(found)


_WORDS: dict[str, Callable[[Finding], Message]] = {
    "link": lambda f: msg("verify.link", "link: {file} is a symbolic link (to {actual}), not "
                          "part of this archive; it is not trusted", file=f.file,
                          actual=f.actual or ""),
    "missing": lambda f: msg("verify.missing", "missing: {file}", file=f.file),
    "unreadable": lambda f: msg("verify.unreadable", "unreadable: {file} cannot be read, so it "
                                "cannot be checked", file=f.file),
    "changed": lambda f: msg("verify.changed", "changed: {file} (its sha256 is {actual}, "
                             "{manifest} says {expected})", manifest=MANIFEST, file=f.file,
                             actual=f.actual or "", expected=f.expected or ""),
    "size": lambda f: msg("verify.size", "changed: {file} (its size is {actual} bytes, "
                          "{manifest} says {expected})", manifest=MANIFEST, file=f.file,
                          actual=f.actual or "", expected=f.expected or ""),
    "extra": lambda f: msg("verify.extra", "extra: {file} (not in {manifest})", file=f.file,
                           manifest=MANIFEST),
    "data-copy": lambda f: msg("verify.data_copy", "the data kept in {manifest} is not the data "
                               "it was made from (its sha256 is not inputs.data_sha256)",
                               manifest=MANIFEST),
    "previous-missing": lambda f: msg("verify.previous_missing", "chain: this revision was made "
                                      "after {file}, which is missing", file=f.file),
    "previous-skipped": lambda f: msg("verify.previous_skipped", "chain: this revision was made "
                                      "after {expected}, but {file} stands between them",
                                      file=f.file, expected=f.expected or ""),
    "other-unit": lambda f: msg("verify.other_unit", "unit: {manifest} is of the unit "
                                "{actual!r}, but this folder holds {expected!r} "
                                "(instansi|unit_kerja|tahun)", manifest=MANIFEST,
                                actual=f.actual or "", expected=f.expected or ""),
    "no-data-copy": lambda f: msg("verify.no_data_copy", "cannot rebuild: {manifest} keeps no "
                                  "copy of the input data", manifest=MANIFEST),
    "no-template": lambda f: msg("verify.no_template", "cannot rebuild: {error}; give the "
                                 "template it was made with (-t)", error=_error(f)),
    "template-differs": lambda f: msg(
        "verify.template_differs", "cannot rebuild: template {template} at {file} has sha256 "
        "{actual}, but the revision was made with {made_with}, sha256 {expected}; give that "
        "template (-t)", template=f.template, made_with=f.made_with, file=f.file,
        actual=f.actual or "", expected=f.expected or ""),
    "rebuild-failed": lambda f: msg("verify.rebuild_failed", "cannot rebuild: {error}",
                                    error=_error(f)),
    "rebuild-differs": lambda f: msg("verify.rebuild_differs", "rebuild: {file} made again "
                                     "differs from the archived one", file=f.file),
    "rebuild-missing": lambda f: msg("verify.rebuild_missing", "rebuild: makes no {file}",
                                     file=f.file),
    "rebuild-extra": lambda f: msg("verify.rebuild_extra", "rebuild: makes {file}, which the "
                                   "revision does not hold", file=f.file),
    "other-ikidoc": lambda f: msg("verify.other_ikidoc", "rebuild: the revision was made by "
                                  "ikidoc {expected}; this is ikidoc {actual}",
                                  expected=f.expected or "", actual=f.actual or ""),
    "identity": lambda f: msg("verify.identity", "unit: {error}", error=_error(f)),
}


def _error(found: Finding) -> Message | str:
    """The error a finding carries, as a Message."""
    return found.error.message() if found.error is not None else ""


def _worded(found: Finding) -> Message:
    """The findings whose words depend on their facts."""
    if found.kind == "manifest":
        detail = found.error.detail if isinstance(found.error, ArchiveError) else _error(found)
        return msg("verify.manifest", "{manifest} {detail}", manifest=MANIFEST, detail=detail)
    if found.kind == "checksum" and found.expected is None:
        return msg("verify.no_checksum", "{manifest} records no checksum, though its format has "
                   "one: it was edited", manifest=MANIFEST)
    if found.kind == "checksum":
        return msg("verify.checksum", "{manifest} was edited: its content's sha256 is {actual}, "
                   "its checksum says {expected}", manifest=MANIFEST,
                   actual=found.actual or "", expected=found.expected)
    if found.kind == "previous-replaced" and found.actual:
        return msg("verify.previous_replaced", "chain: {file} is not the one this revision was "
                   "made after (its sha256 is {actual}; this revision recorded {expected})",
                   file=found.file, actual=found.actual, expected=found.expected or "")
    if found.kind == "previous-replaced":
        return msg("verify.previous_unreadable", "chain: {file} is not the one this revision "
                   "was made after (it cannot be read; this revision recorded {expected})",
                   file=found.file, expected=found.expected or "")
    if found.expected is not None:
        return msg("verify.key_differs", "rebuild: {manifest} says {key} is {actual}, but the "
                   "rebuild derives {expected}", manifest=MANIFEST, key=found.key,
                   actual=_short(found.actual), expected=_short(found.expected))
    return msg("verify.key_underived", "rebuild: {manifest} says {key} is {actual}, which the "
               "rebuild does not derive", manifest=MANIFEST, key=found.key,
               actual=_short(found.actual))


def _short(value: str | None) -> str:
    text = value or ""
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def unit_title(unit_kerja: str, tahun: int | None) -> str:
    return f"{unit_kerja} ({tahun})" if tahun else unit_kerja


def _holds(record: FileRecord) -> Message | str:
    if record.pdf_of:
        return msg("show.pdf_of", "PDF/A of {file}", file=record.pdf_of)
    return record.jabatan or msg("show.all_positions", "all positions")


def when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def revision_diff(report: RevisionDiff, lang: Lang = "en") -> str:
    """``archive diff``: a line per position of both revisions, the same or changed (where
    on its pages, and its texts changed old -> new), then those added and removed."""
    lines: list[Message | str] = [f"{report.old} -> {report.new}"]
    if report.settings:
        lines = [msg("diff.remade", "{old} -> {new} made again with --set {settings}",
                     old=str(report.old), new=str(report.new), settings=" ".join(
                         f"{name}={'ya' if value else 'tidak'}"
                         for name, value in report.settings.items()))]
    for position in report.positions:
        lines += position_diff(position)
    lines += [msg("diff.added", "  {jabatan}: added (only in {revision})",
                  jabatan=_position_name(name), revision=report.new.name)
              for name in report.added]
    lines += [msg("diff.removed", "  {jabatan}: removed (only in {revision})",
                  jabatan=_position_name(name), revision=report.old.name)
              for name in report.removed]
    return "\n".join(word(line, lang) for line in lines)


def position_diff(position: PositionDiff) -> list[Message]:
    """One position of ``archive diff``: the same, or what changed on its pages and in
    its texts."""
    name = _position_name(position.name)
    if position.same:
        return [msg("diff.same", "  {jabatan}: the same", jabatan=name)]
    marked = sum(len(regions) for regions in position.regions.values())
    pages = [msg("diff.page", "page {number}", number=page)
             for page, regions in position.regions.items() if regions]
    drawn = (msg("diff.marked", "{count} region(s) marked on {pages}", count=marked,
                 pages=pages) if marked else msg("diff.no_page_change", "no change on its pages"))
    head = (msg("diff.changed_in", "  {jabatan}: changed, {drawn} in {folder}", jabatan=name,
                drawn=drawn, folder=str(position.pictures[0].parent)) if position.pictures
            else msg("diff.changed", "  {jabatan}: changed, {drawn}", jabatan=name, drawn=drawn))
    return [head, *(msg("diff.text", "    {old} -> {new}", old=_line(old), new=_line(new))
                    for old, new in position.texts)]


def _position_name(name: str | None) -> Message | str:
    """A position as ``archive diff`` names it; None is the unit's one document."""
    return name if name is not None else msg("cli.all_positions", "(all positions)")


def _line(text: str) -> Message | str:
    """A paragraph's text quoted, or that there is none (a line added or removed)."""
    return repr(text) if text else msg("diff.no_line", "(none)")
