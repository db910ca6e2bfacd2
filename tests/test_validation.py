"""One path from a validation error to placed problems, for every file ikidoc reads:
data files and a template's template.yaml alike get line, column, field path and the
key most likely meant."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel, FutureDate, ValidationError

from ikidoc import templates
from ikidoc.errors import TemplateError
from ikidoc.messages import word
from ikidoc.validation import rule_message


def test_a_template_manifest_problem_names_its_line_field_and_likely_key(tmp_path: Path) -> None:
    folder = tmp_path / "iki-copy"
    shutil.copytree(templates.resolve("iki").folder, folder)
    manifest = folder / "template.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    paper = next(number for number, line in enumerate(lines) if line.startswith("paper:"))
    version = next(number for number, line in enumerate(lines) if line.startswith("version:"))
    lines[paper] = "paper: B5"
    lines[version] = lines[version].replace("version:", "versoin:")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.read(folder, "path")
    found = str(caught.value.detail).split("; ")
    assert sorted(found) == sorted([
        f"paper (line {paper + 1}, column 8): Input should be 'F4', 'A4', 'Letter' or 'Legal'",
        (f"versoin (line {version + 1}, column 1): unknown key 'versoin' (did you mean "
        "'version'?)")])


def test_a_template_manifest_value_of_the_wrong_kind_is_worded_in_both_languages(
        tmp_path: Path) -> None:
    """title: [a, b] in a template.yaml edited by hand: the kind expected and the value
    found, never pydantic's English under --lang id."""
    folder = tmp_path / "iki-copy"
    shutil.copytree(templates.resolve("iki").folder, folder)
    manifest = folder / "template.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    title = next(number for number, line in enumerate(lines) if line.startswith("title:"))
    lines[title] = "title: [a, b]"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.read(folder, "path")
    detail = caught.value.detail
    assert str(detail) == f"title (line {title + 1}, column 8): expected text, got a list"
    assert word(detail, "id") == (f"title (baris {title + 1}, kolom 8): seharusnya teks, tetapi "
                                  "berisi daftar")


def test_a_rule_of_a_kind_of_value_keeps_its_own_reason_not_the_kind_expected() -> None:
    """A date that must lie ahead is not "expected a date": only a value of the wrong kind
    is told the kind expected."""
    class Planned(BaseModel):
        mulai: FutureDate
        selesai: dt.datetime

    with pytest.raises(ValidationError) as caught:
        Planned(mulai="2020-01-01", selesai="kemarin")
    said = {item["loc"][0]: str(rule_message(item)) for item in caught.value.errors()}
    assert said == {"mulai": "Date should be in the future",
                    "selesai": "expected a date as YYYY-MM-DD, got the value 'kemarin'"}
