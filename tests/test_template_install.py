"""Installing an uploaded template: gathering its two files from a zip or a pair, with
bounds on what a zip may hold, and installing only a template that passes its check."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO, edit_template, tree_snapshot

from ikidoc import templates
from ikidoc.errors import TemplateCheckError, TemplateError
from ikidoc.template_install import MAX_PART_BYTES, gather, install

IKI = REPO / "templates" / "iki"


def renamed(folder: Path, name: str) -> Path:
    """Give the template in ``folder`` a new name in its manifest, as step 2 of the page says."""
    manifest = folder / "template.yaml"
    values = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    manifest.write_text(yaml.safe_dump({**values, "name": name}), encoding="utf-8")
    return folder


def zipped(folder: Path, target: Path, inside: str = "iki-2026/") -> Path:
    """The template folder as a zip, the way a user packs it (its files inside a folder)."""
    with zipfile.ZipFile(target, "w") as package:
        for name in ("template.docx", "template.yaml"):
            package.write(folder / name, inside + name)
    return target


def test_gathers_a_zip_of_a_template_folder(iki_copy: Path, tmp_path: Path) -> None:
    source = zipped(renamed(iki_copy, "iki-2026"), tmp_path / "upload.zip")
    template = gather([source], tmp_path / "gathered")
    assert template.manifest.name == "iki-2026"
    gathered = tree_snapshot(tmp_path / "gathered")
    assert gathered == {name: (iki_copy / name).read_bytes()
                        for name in ("template.docx", "template.yaml")}


def test_gathers_a_docx_and_a_manifest_of_any_name(iki_copy: Path, tmp_path: Path) -> None:
    shutil.copy(iki_copy / "template.docx", tmp_path / "iki-baru.docx")
    shutil.copy(iki_copy / "template.yaml", tmp_path / "iki-baru.yml")
    parts = [tmp_path / "iki-baru.docx", tmp_path / "iki-baru.yml"]
    template = gather(parts, tmp_path / "gathered")
    assert template.manifest.name == "iki-copy" and template.origin == "path"


def test_a_zip_entry_named_template_docx_wins_over_other_documents(iki_copy: Path,
                                                                  tmp_path: Path) -> None:
    source = zipped(iki_copy, tmp_path / "upload.zip")
    with zipfile.ZipFile(source, "a") as package:
        package.writestr("iki-2026/catatan.docx", b"notes")
        package.writestr("__MACOSX/iki-2026/._template.yaml", b"junk")
    gathered = gather([source], tmp_path / "gathered")
    assert gathered.docx.read_bytes() == (IKI / "template.docx").read_bytes()


@pytest.mark.parametrize(("entries", "message"), [
    ({"a/template.docx": b"x"}, "holds no template.yaml"),
    ({"a.docx": b"x", "b.docx": b"y", "template.yaml": b"name: x"},
     "holds 2 candidates for template.docx (a.docx, b.docx)"),
])
def test_a_zip_without_exactly_one_of_each_part_is_refused(tmp_path: Path,
                                                           entries: dict[str, bytes],
                                                           message: str) -> None:
    source = tmp_path / "upload.zip"
    with zipfile.ZipFile(source, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    with pytest.raises(TemplateError) as caught:
        gather([source], tmp_path / "gathered")
    assert message in str(caught.value)
    assert "template.docx together with" in str(caught.value)
    assert "ikidoc templates" not in str(caught.value)  # no command for a page's user


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "upload.zip"
    source.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match=r"upload.zip: cannot be read as a .zip"):
        gather([source], tmp_path / "gathered")


def test_a_zip_must_come_alone(iki_copy: Path, tmp_path: Path) -> None:
    source = zipped(iki_copy, tmp_path / "upload.zip")
    with pytest.raises(TemplateError, match=r"a .zip must come alone"):
        gather([source, iki_copy / "template.yaml"], tmp_path / "gathered")


def test_a_zip_entry_that_unpacks_past_the_bound_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "bomb.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("template.docx", b"\0" * (MAX_PART_BYTES + 1))
        package.writestr("template.yaml", b"name: x")
    with pytest.raises(TemplateError, match=r"template.docx is larger than 20 MB"):
        gather([source], tmp_path / "gathered")


def test_installs_a_template_that_passes_its_check(iki_copy: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(iki_copy.parent)  # so that the copy itself is not a local template
    template = templates.read(renamed(iki_copy, "iki-2026"), "path")
    installed = install(template, Path("local"))
    assert installed.origin == "local" and installed.folder == Path("local") / "iki-2026"
    assert tree_snapshot(iki_copy.parent / "local") == {
        f"iki-2026/{name}": (iki_copy / name).read_bytes()
        for name in ("template.docx", "template.yaml")}


def test_a_template_that_fails_its_check_is_not_installed(iki_copy: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    edit_template(renamed(iki_copy, "iki-2026"), "{{ jabatan.nama }}", "{{ jabatan.nmaa }}")
    with pytest.raises(TemplateCheckError) as caught:
        install(templates.read(iki_copy, "path"), Path("local"))
    assert any("did you mean 'jabatan.nama'?" in str(what) for _, what in caught.value.findings)
    assert not Path("local").exists()


@pytest.mark.parametrize("name", ["iki", "iki-2026"])
def test_a_name_already_taken_is_refused(iki_copy: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    renamed(Path(shutil.copytree(IKI, tmp_path / "local" / "iki-2026")), "iki-2026")
    before = tree_snapshot(tmp_path / "local")
    taken = f"template {name}: a template of this name already exists"
    with pytest.raises(TemplateError, match=taken):
        upload = Path(shutil.copytree(iki_copy, tmp_path / "upload"))
        install(templates.read(renamed(upload, name), "path"), Path("local"))
    assert tree_snapshot(tmp_path / "local") == before
