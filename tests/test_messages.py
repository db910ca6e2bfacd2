"""Messages are data worded from the catalogs: every kind the source can raise has its
English and its Indonesian text, and the command line speaks the language asked for."""
from __future__ import annotations

import ast
import errno
import os
import string
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO, TESTS_DATA
from test_web import ENGLISH

from ikidoc import errors
from ikidoc.cli import cli
from ikidoc.errors import DataError, Problem
from ikidoc.messages import Message, default_language, msg, word
from tools.catalogs import read_catalog, source_messages

SOURCE = source_messages()


def placeholders(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_message_of_the_source_has_a_text_in_each_language(lang: str) -> None:
    catalog = read_catalog(lang)
    lacking = [kind for kind, text in SOURCE
               if not (entry := catalog.get(text, context=kind)) or not entry.string
               or entry.fuzzy]
    assert lacking == []


def test_an_indonesian_text_uses_only_the_values_its_english_text_names() -> None:
    catalog = read_catalog("id")
    wrong = [kind for kind, text in SOURCE
             if not placeholders(str(catalog.get(text, context=kind).string))
             <= placeholders(text)]
    assert wrong == []


def test_the_catalogs_hold_nothing_the_source_no_longer_says() -> None:
    for lang in ("id", "en"):
        held = {(entry.context, entry.id) for entry in read_catalog(lang) if entry.id}
        assert held == set(SOURCE)


def _msg_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted((REPO / "ikidoc").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg":
                calls.append((f"{path.relative_to(REPO)}:{node.lineno}", node))
    return calls


def test_every_message_is_written_as_literal_kind_and_text_with_the_values_it_names() -> None:
    calls = _msg_calls()
    assert len(calls) > 200
    wrong = []
    for where, call in calls:
        literal = (len(call.args) == 2
                   and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                           for a in call.args))
        given = {keyword.arg for keyword in call.keywords}
        if not literal or None in given or placeholders(call.args[1].value) != given:
            wrong.append(where)
    assert wrong == []


def test_one_kind_has_one_english_text() -> None:
    kinds = [kind for kind, _ in SOURCE]
    assert sorted(kinds) == sorted(set(kinds))


def test_a_message_is_worded_with_its_values_worded_too() -> None:
    place = msg("place.sheet_cell", "sheet {sheet!r}, row {row}, column {column} ({header})",
                sheet="IKI", row=5, column="E", header="Sasaran")
    problem = Problem("iki.xlsx", msg("rows.no_sasaran", "indikator {indikator!r} has no sasaran",
                                      indikator="Jumlah laporan"),
                      place=place, hint=msg("rows.no_sasaran_hint",
                                            "write the sasaran in this row or in a row above it"))
    assert problem.word("id") == (
        "iki.xlsx, lembar 'IKI', baris 5, kolom E (Sasaran): sasaran belum diisi untuk "
        "indikator 'Jumlah laporan'. Isi sasarannya di baris ini, atau di baris di atasnya bila "
        "sasarannya sama.")
    assert str(problem) == (
        "iki.xlsx, sheet 'IKI', row 5, column E (Sasaran): indikator 'Jumlah laporan' has no "
        "sasaran (write the sasaran in this row or in a row above it)")
    assert str(DataError([problem])).startswith("1 problem in the data:\n  iki.xlsx, sheet 'IKI'")


def test_a_kind_missing_from_a_catalog_is_worded_in_its_english_text() -> None:
    assert word(Message("no.such.kind", "{count} things", {"count": 3}), "id") == "3 things"


@pytest.mark.parametrize(("environ", "lang"), [
    ({"LANG": "id_ID.UTF-8"}, "id"), ({"LC_ALL": "id_ID"}, "id"), ({"LANGUAGE": "id:en"}, "id"),
    ({"LANG": "in_ID"}, "id"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "C"}, "en"),
    ({"LANGUAGE": "en", "LANG": "id_ID.UTF-8"}, "en"),
])
def test_the_default_language_is_indonesian_when_the_locale_is(environ: dict[str, str],
                                                               lang: str) -> None:
    assert default_language(environ) == lang


BAD = TESTS_DATA / "bad" / "typo-key.yaml"


@pytest.mark.parametrize(("args", "expected"), [
    (["validate", str(BAD), "--lang", "id"],
     f"galat: 1 masalah pada data:\n  {BAD} baris 8 kolom 13: "
     "jabatan[0].sasaran[0].indikator[0].formulasii (Bendahara): kunci 'formulasii' tidak "
     "dikenal. Maksudnya 'formulasi'?\n"),
    (["--lang", "id", "validate", str(BAD)],
     f"galat: 1 masalah pada data:\n  {BAD} baris 8 kolom 13: "
     "jabatan[0].sasaran[0].indikator[0].formulasii (Bendahara): kunci 'formulasii' tidak "
     "dikenal. Maksudnya 'formulasi'?\n"),
    (["validate", str(BAD), "--lang", "en"],
     f"error: 1 problem in the data:\n  {BAD}:8:13: "
     "jabatan[0].sasaran[0].indikator[0].formulasii (Bendahara): unknown key 'formulasii' "
     "(did you mean 'formulasi'?)\n"),
])
def test_validate_speaks_the_language_asked_for(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == expected


def test_the_locale_chooses_the_language_when_no_lang_is_given(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "id_ID")
    result = CliRunner().invoke(cli, ["validate", str(TESTS_DATA / "valid.yaml")])
    assert result.exit_code == 0
    assert result.output.startswith("baik: ")


def test_help_is_worded_in_the_language_asked_for() -> None:
    result = CliRunner().invoke(cli, ["validate", "--lang", "id", "--help"])
    assert "Memeriksa berkas atau map DATA tanpa menulis apa pun." in result.output
    assert "Tampilkan pesan ini lalu keluar." in result.output
    english = CliRunner().invoke(cli, ["validate", "--help"])
    assert "Check DATA files or folders without writing anything." in english.output


def test_every_command_takes_lang(tmp_path: Path) -> None:
    def commands(group: object, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, child in getattr(group, "commands", {}).items():
            found += commands(child, [*path, name])
        return found

    for path in commands(cli, []):
        result = CliRunner().invoke(cli, [*path, "--lang", "id", "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "--lang [id|en]" in result.output


def test_a_report_is_worded_in_indonesian(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(TESTS_DATA / "valid.yaml"), "-o",
                                      str(tmp_path / "out"), "--lang", "id", "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Bagian Uji: ") and " dokumen ditulis ke " in result.output


def test_the_catalogs_know_every_message_the_source_makes_nested_ones_too() -> None:
    written = {(call.args[0].value, call.args[1].value)  # type: ignore[attr-defined]
               for _, call in _msg_calls() if len(call.args) == 2}
    assert written - set(SOURCE) == set()


def test_archive_verify_reports_in_indonesian(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["generate", str(TESTS_DATA / "valid.yaml"), "-o",
                               str(tmp_path / "out"), "-q"])
    assert made.exit_code == 0, made.output
    [document] = sorted((tmp_path / "out").glob("*/r1/01-*.docx"))
    document.write_bytes(document.read_bytes() + b"x")
    result = runner.invoke(cli, ["archive", "verify", str(tmp_path / "out"), "--lang", "id"])
    assert result.exit_code == 1
    assert f"  {document.name} diubah setelah dibuat — gunakan salinan asli atau buat ulang" \
        in result.output.splitlines()
    assert result.stderr.startswith("galat: ")
    listed = runner.invoke(cli, ["archive", "list", str(tmp_path / "out"), "--lang", "id"])
    assert listed.exit_code == 0 and " 2 jabatan  template iki " in listed.output
    shown = runner.invoke(cli, ["archive", "show", str(document.parent), "--lang", "id"])
    assert shown.exit_code == 0
    assert shown.output.splitlines()[-1] == "perubahan: revisi pertama unit ini"
    assert "jabatan     2" in shown.output.splitlines()


USAGE_ERRORS = [
    (["generate", "--x"], "generate", "Tidak ada opsi '--x'.", "No such option '--x'."),
    (["generate", "--jobz", "2"], "generate", "Tidak ada opsi '--jobz'. Maksudnya '--jobs'?",
     "No such option '--jobz'. Did you mean '--jobs'?"),
    (["preview"], "preview", "Argumen 'DATA' belum diberikan.", "Missing argument 'DATA'."),
    (["generate", "-j", "0"], "generate",
     "Nilai untuk '-j' / '--jobs' tidak dapat dipakai: 0 terlalu kecil; paling kecil 1",
     "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1."),
    (["generate", "-j", "dua"], "generate",
     "Nilai untuk '-j' / '--jobs' tidak dapat dipakai: 'dua' bukan bilangan bulat",
     "Invalid value for '-j' / '--jobs': 'dua' is not a valid integer."),
    (["serve", "--port", "70000"], "serve",
     "Nilai untuk '--port' tidak dapat dipakai: 70000 di luar rentang 0 sampai 65535",
     "Invalid value for '--port': 70000 is not in the range 0<=x<=65535."),
    (["init", "a", "b"], "init", "Ada argumen berlebih yang tidak dikenal: a b",
     "Got unexpected extra arguments (a b)"),
    (["init", "a"], "init", "Ada argumen berlebih yang tidak dikenal: a",
     "Got unexpected extra argument (a)"),
    (["generat"], "", "Tidak ada perintah 'generat'. Maksudnya 'generate'?",
     "No such command 'generat'. Did you mean 'generate'?"),
    (["archive", "diff", "a", "b"], "archive diff", "Opsi '-o' / '--output' wajib diberikan.",
     "Missing option '-o' / '--output'."),
    (["generate", "--pdf=ya"], "generate", "Opsi '--pdf' tidak memakai nilai.",
     "Option '--pdf' does not take a value."),
    (["generate", "-o"], "generate", "Opsi '-o' memerlukan nilai.",
     "Option '-o' requires an argument."),
    (["generate", "--set", "baris_nomor"], "generate",
     "Nilai untuk '--set' tidak dapat dipakai: ", "Invalid value for '--set': "),
    (["archive"], "archive", "Perintahnya belum diberikan.", "Missing command."),
]


@pytest.mark.parametrize(("args", "command", "indonesian", "english"), USAGE_ERRORS)
def test_a_usage_error_is_worded_in_indonesian_with_click_s_exit_status(
        args: list[str], command: str, indonesian: str, english: str) -> None:
    usage = f"ikidoc {command}".strip()
    # --lang before the command, and after the mistake (read although click stops before it);
    # not after a "-o" that would take it as its value, nor before a lone group (its help).
    orders = [["--lang", "id", *args]] if args[-1] == "-o" else [[*args, "--lang", "id"]]
    orders += [["--lang", "id", *args]] if len(args) > 1 and args[-1] != "-o" else []
    for written in orders:
        result = CliRunner().invoke(cli, written, prog_name="ikidoc")
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert lines[0].startswith(f"Cara pakai: {usage} [OPSI]")
        assert lines[1] == f"Lihat '{usage} --help' untuk bantuan."
        assert lines[-1].startswith(f"Galat: {indonesian}")
        assert ENGLISH.findall(result.stderr) == []
    english_result = CliRunner().invoke(
        cli, ["en" if arg == "id" else arg for arg in orders[0]], prog_name="ikidoc")
    assert english_result.exit_code == 2
    assert english_result.stderr.splitlines()[:2] == [
        english_result.stderr.splitlines()[0], f"Try '{usage} --help' for help."]
    assert english_result.stderr.startswith(f"Usage: {usage} [OPTIONS]")
    assert english_result.stderr.splitlines()[-1].startswith(f"Error: {english}")


def test_a_folder_given_where_a_file_is_written_is_a_usage_error_in_indonesian(
        tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "-o", str(tmp_path), "--lang", "id"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Galat: Nilai untuk '-o' / '--output' tidak dapat dipakai: '{tmp_path}' adalah map, "
        "padahal yang diperlukan berkas")
    english = CliRunner().invoke(cli, ["init", "-o", str(tmp_path), "--lang", "en"])
    assert english.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '-o' / '--output': File '{tmp_path}' is a directory.")
    assert list(tmp_path.iterdir()) == []


def commands_of(group: object, path: list[str]) -> list[list[str]]:
    found = [path]
    for name, child in getattr(group, "commands", {}).items():
        found += commands_of(child, [*path, name])
    return found


@pytest.mark.parametrize("path", commands_of(cli, []), ids=" ".join)
def test_help_has_no_word_of_click_s_english_in_indonesian(path: list[str]) -> None:
    result = CliRunner().invoke(cli, [*path, "--lang", "id", "--help"], prog_name="ikidoc")
    assert result.exit_code == 0
    assert result.output.startswith(f"Cara pakai: {' '.join(['ikidoc', *path])} [OPSI]")
    for english in ("Usage:", "Options:", "Commands:", "[OPTIONS]", "COMMAND", "[default:",
                    "[required]", " TEXT  ", " PATH  ", "INTEGER", "Show this message"):
        assert english not in result.output, english
    assert "Opsi:" in result.output


def test_help_in_english_keeps_click_s_words() -> None:
    result = CliRunner().invoke(cli, ["--lang", "en", "--help"], prog_name="ikidoc")
    assert result.output.startswith("Usage: ikidoc [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nOptions:\n" in result.output and "\nCommands:\n" in result.output
    served = CliRunner().invoke(cli, ["serve", "--lang", "en", "--help"])
    assert "--port INTEGER RANGE" in served.output and "[default: 8000;" in served.output
    made = CliRunner().invoke(cli, ["archive", "diff", "--lang", "id", "--help"])
    assert "[wajib]" in made.output
    port = CliRunner().invoke(cli, ["serve", "--lang", "id", "--help"])
    assert "--port ANGKA" in port.output and "[bawaan: 8000;" in port.output


@pytest.mark.parametrize("number", sorted(errors._SYSTEM_REASONS), ids=errno.errorcode.get)
def test_a_reason_the_system_gives_is_worded_by_its_errno(number: int) -> None:
    reason = errors.system_reason(OSError(number, os.strerror(number)))
    assert word(reason, "en") == os.strerror(number)  # the English the system gives
    indonesian = word(reason, "id")
    assert indonesian != os.strerror(number) and ENGLISH.findall(indonesian) == []


def test_a_reason_without_a_kind_is_quoted_as_a_technical_detail() -> None:
    said = os.strerror(errno.EPIPE)
    reason = errors.system_reason(OSError(errno.EPIPE, said))
    assert word(reason, "id") == f'sistem menolaknya (keterangan teknis: "{said}")'
    assert word(reason, "en") == said


def test_a_missing_file_and_a_file_where_a_folder_should_be_are_worded_in_indonesian(
        tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["validate", str(tmp_path / "tidak-ada.yaml"),
                                       "--lang", "id"])
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[-1].endswith("tidak-ada.yaml: berkas atau map tidak ada")
    (tmp_path / "berkas").write_text("x", encoding="utf-8")
    made = CliRunner().invoke(cli, ["generate", str(TESTS_DATA / "valid.yaml"), "-o",
                                    str(tmp_path / "berkas" / "keluaran"), "-q", "--lang", "id"])
    assert made.exit_code == 1
    assert made.stderr.endswith(": tidak dapat dibuat: bagian jalurnya bukan map\n")
    assert ENGLISH.findall(made.stderr.replace(str(tmp_path), "")) == []
    assert [path.name for path in tmp_path.iterdir()] == ["berkas"]


def test_a_file_the_system_will_not_let_us_read_is_worded_in_indonesian(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "unit.yaml"
    data.write_text((TESTS_DATA / "valid.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    data.chmod(0)
    opened = os.open

    def refused(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        # chmod 0 stops everyone but root, and the suite may run as root (CI does): the
        # system's refusal is given as the system gives it, with its errno and text
        if Path(path) == data:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return opened(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
    result = CliRunner().invoke(cli, ["validate", str(data), "--lang", "id"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith("unit.yaml: tidak dapat dibaca: tidak ada izin")


def test_the_version_is_said_in_the_language_asked_for() -> None:
    from ikidoc import __version__

    assert CliRunner().invoke(cli, ["--lang", "id", "--version"]).output == (
        f"ikidoc, versi {__version__}\n")
    assert CliRunner().invoke(cli, ["--lang", "en", "--version"]).output == (
        f"ikidoc, version {__version__}\n")
