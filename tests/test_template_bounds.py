"""Templates that would compute for ever or exhaust the computer: each one is refused, by
`templates check` and by `generate -t`, with exit status 1, a message naming the template
and the tag, no traceback and nothing written."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit_template, tree_snapshot

from ikidoc import context, render, sandbox, templates
from ikidoc.cli import cli
from ikidoc.load import load_file

HOSTILE = {
    "power": ("{{ 3**(10**9) }}", "more than 100,000 bits"),
    "repeated text": ("{{ 'x' * 10**9 }}", "repeated 1,000,000,000 times"),
    "large range": ("{{ range(10**9)|list|length }}", "at most 1,000,000"),
    "range over its bound": ("{{ range(200000)|list|length }}", "range(...) of 200,000 numbers"),
    "recursive loop": ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
                       "nested more than 50 deep"),
    "recursive macro": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
                        "nested more than 50 deep"),
    "doubling text": ('{% set ns = namespace(s="x") %}{% for i in range(64) %}'
                      "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
                      "holds more than 1,000,000 characters"),
    "wide format": ("{{ '%999999999d' % 1 }}", "a width of 999,999,999"),
    "wide filter": ("{{ 'x'|center(10**9) }}", "center(...) is given 1,000,000,000"),
    "replace that grows": ("{{ ('x' * 1000)|replace('', 'y' * 100000) }}", "would hold"),
    "join that grows": ("{{ (['y' * 100000] * 9)|join('z' * 100000) }}", "would hold"),
    "division by zero": ("{{ 1 // 0 }}", "cannot compute"),
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def assert_refused(runner: CliRunner, folder: Path, data: Path, expected: str) -> None:
    """Both commands exit 1 naming the template, the paragraph of the tag and the bound;
    generate writes nothing."""
    output = folder.parent.parent / "output"
    checked = runner.invoke(cli, ["templates", "check", str(folder), str(data)])
    generated = runner.invoke(cli, ["generate", str(data), "-t", str(folder), "-o", str(output)])
    for result in (checked, generated):
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert str(folder) in result.output
        assert expected in result.output
    # paragraph 5: the Jabatan line, under the letterhead's four (left out without a kop)
    assert "word/document.xml, paragraph 5: " in generated.output
    assert "Jabatan:{" in generated.output
    assert tree_snapshot(output) == {}


@pytest.mark.parametrize("tag, expected", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_template_that_computes_too_much_is_refused_at_its_tag(
        runner: CliRunner, iki_copy: Path, minimal_data: Path, tag: str, expected: str) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}", tag)
    assert_refused(runner, iki_copy, minimal_data, expected)


def test_endless_nested_loops_stop_at_the_time_bound(runner: CliRunner, iki_copy: Path,
                                                     minimal_data: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1.0)
    edit_template(iki_copy, "{{ jabatan.nama }}", "{% for a in range(100000) %}"
                  "{% for b in range(100000) %}{% endfor %}{% endfor %}")
    assert_refused(runner, iki_copy, minimal_data, "rendering takes longer than 1 seconds")


def test_a_template_printing_too_much_is_refused(runner: CliRunner, iki_copy: Path,
                                                 minimal_data: Path) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}",
                  "{% for a in range(10000) %}{{ 'x' * 10000 }}{% endfor %}")
    output = iki_copy.parent.parent / "output"
    result = runner.invoke(cli, ["generate", str(minimal_data), "-t", str(iki_copy),
                                 "-o", str(output)])
    assert result.exit_code == 1
    assert f"{iki_copy}" in result.output
    assert "word/document.xml): renders to more than 36 MB" in result.output
    assert tree_snapshot(output) == {}


def test_printing_up_to_the_bound_is_not_refused_for_a_paragraph_without_end(
        iki_copy: Path, minimal_data: Path) -> None:
    """A long stretch of text with no paragraph end renders in linear time, whole."""
    edit_template(iki_copy, "{{ jabatan.nama }}",
                  "{% for a in range(300) %}{{ 'x' * 10000 }}{% endfor %}")
    unit = load_file(minimal_data).unit
    blob = render.CompiledTemplate(templates.read(iki_copy, "path")).position(
        unit, context.for_unit(unit), 0)
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        assert "x" * 3_000_000 in package.read("word/document.xml").decode()


def test_a_template_of_too_many_parts_is_refused_before_it_is_unpacked(
        runner: CliRunner, iki_copy: Path, minimal_data: Path) -> None:
    with zipfile.ZipFile(iki_copy / "template.docx", "a") as package:
        for number in range(100_005):
            package.writestr(f"customXml/item{number}.xml", b"")
    assert_refused_package(runner, iki_copy, minimal_data, "holds 100,017 parts")


def test_a_template_unpacking_to_too_much_is_refused(runner: CliRunner, iki_copy: Path,
                                                     minimal_data: Path) -> None:
    with zipfile.ZipFile(iki_copy / "template.docx", "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/big.bin", b"\0" * (60 * 2**20))
    assert_refused_package(runner, iki_copy, minimal_data, "unpacks to")


def assert_refused_package(runner: CliRunner, folder: Path, data: Path, expected: str) -> None:
    output = folder.parent.parent / "output"
    for args in (["templates", "check", str(folder), str(data)],
                 ["generate", str(data), "-t", str(folder), "-o", str(output)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert str(folder) in result.output and "template.docx" in result.output
        assert expected in result.output
    assert tree_snapshot(output) == {}
