"""``ikidoc preview`` and ``ikidoc archive diff``: the pages as pictures, drawn by
LibreOffice, one folder per position; what changed between two revisions, framed and listed.

The tests that run LibreOffice skip where it is absent, and fail instead when
IKIDOC_REQUIRE_SOFFICE=1 (as in .ci/run).
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pypdfium2
import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, SAMPLE, edit_template, tree_snapshot
from PIL import Image
from test_bundled_templates import LOGO, full_unit

from ikidoc import archive, audit_text, diff, generate, letterhead, preview
from ikidoc.cli import cli
from ikidoc.pdf import convert

F4 = 330 / 215  # height / width of an F4 portrait page


@pytest.fixture(scope="module")
def sample_preview(soffice: None, tmp_path_factory: pytest.TempPathFactory,
                   ) -> tuple[Path, Path, str]:
    """The preview of the bundled sample drawn by the command, run in a folder that holds
    an archive: (the folder, the pictures' folder, what the command printed)."""
    work = tmp_path_factory.mktemp("work")
    generate([SAMPLE], None, work / "output")
    before = tree_snapshot(work / "output")
    result = CliRunner().invoke(cli, ["preview", str(SAMPLE), "-o", str(work / "pictures")])
    assert result.exit_code == 0, result.output
    assert tree_snapshot(work / "output") == before
    return work, work / "pictures", result.output


def ink(picture: Image.Image) -> float:
    """The share of a page's pixels that are not white."""
    grey = picture.convert("L")
    dark = sum(count for level, count in enumerate(grey.histogram()) if level < 128)
    return dark / (grey.width * grey.height)


def test_preview_of_the_sample_has_a_folder_per_position_named_like_the_archive(
        sample_preview: tuple[Path, Path, str]) -> None:
    work, pictures, _ = sample_preview
    [unit] = (work / "output").iterdir()
    archived = sorted(p.stem for p in (unit / "r1").glob("[0-9]*.docx"))
    assert sorted(p.name for p in pictures.iterdir()) == archived
    assert len(archived) == len(yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["jabatan"])


def test_every_preview_page_is_f4_portrait_with_ink_on_it(
        sample_preview: tuple[Path, Path, str]) -> None:
    _, pictures, _ = sample_preview
    pages = sorted(pictures.glob("*/page-*.png"))
    assert pages
    for path in pages:
        with Image.open(path) as picture:
            assert picture.height / picture.width == pytest.approx(F4, rel=0.01), path
            assert 0.005 < ink(picture) < 0.5, path


def test_preview_leaves_the_archive_alone_and_says_what_it_drew(
        sample_preview: tuple[Path, Path, str]) -> None:
    work, _, output = sample_preview
    assert "02-bendahara: 1 page(s), Bendahara" in output
    assert sorted(p.name for p in work.iterdir()) == ["output", "pictures"]
    [unit] = (work / "output").iterdir()
    assert archive.revisions(unit) == [1]


def test_preview_of_jabatan_2_draws_the_bendahara_only(soffice: None, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["preview", str(SAMPLE), "--jabatan", "2",
                                      "-o", str(tmp_path / "pictures")])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "pictures").iterdir()] == ["02-bendahara"]
    [page] = (tmp_path / "pictures" / "02-bendahara").iterdir()
    assert page.name == "page-1.png"


def test_preview_of_a_position_the_data_lacks_exits_1_drawing_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["preview", str(SAMPLE), "--jabatan", "13",
                                      "-o", str(tmp_path / "pictures")])
    assert result.exit_code == 1
    assert "there is no position 13" in result.output
    assert "has 12 (1 to 12)" in result.output
    assert not (tmp_path / "pictures").exists()


def test_preview_without_libreoffice_exits_1_saying_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = CliRunner().invoke(cli, ["preview", str(SAMPLE), "-o", str(tmp_path / "pictures")])
    assert result.exit_code == 1
    assert "LibreOffice (soffice) is not installed or not on PATH" in result.output
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "pictures").exists()


@pytest.fixture(scope="module")
def two_revisions(soffice: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """r1 of the sample, and r2 where the Bendahara's (2nd position's) sasaran is longer."""
    work = tmp_path_factory.mktemp("revisions")
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    path = work / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [first] = generate([path], None, work / "output")
    data["jabatan"][1]["sasaran"][0]["uraian"] += " Daerah"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [second] = generate([path], None, work / "output")
    return first.folder, second.folder


def word_box(docx: Path, word: str, dpi: int) -> tuple[float, float, float, float]:
    """Where ``word`` stands on page 1 of the document, in pixels at ``dpi``: left, top,
    right, bottom, as PDFium finds it in LibreOffice's PDF."""
    [pdf] = convert([docx])
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage()
    index, count = text.search(word).get_next()
    boxes = [text.get_charbox(i) for i in range(index, index + count)]
    height = page.get_height()
    scale = dpi / 72
    box = (min(b[0] for b in boxes) * scale, (height - max(b[3] for b in boxes)) * scale,
           max(b[2] for b in boxes) * scale, (height - min(b[1] for b in boxes)) * scale)
    document.close()
    return box


def test_archive_diff_frames_the_changed_sasaran_and_lists_its_text(
        two_revisions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = two_revisions
    before = tree_snapshot(old.parent)
    result = CliRunner().invoke(cli, ["archive", "diff", str(old), str(new),
                                      "-o", str(tmp_path / "diff")])
    assert result.exit_code == 0, result.output
    assert tree_snapshot(old.parent) == before
    lines = result.output.splitlines()
    assert ("  Bendahara: changed, 1 region(s) marked on page 1 in "
            f"{tmp_path / 'diff' / '02-bendahara'}") in lines
    assert "    'Tertib Administrasi Keuangan' -> 'Tertib Administrasi Keuangan Daerah'" in lines
    same = [line for line in lines if line.endswith(": the same")]
    assert len(same) == 11
    assert "  Pengemudi: the same" in same
    assert [p.name for p in (tmp_path / "diff").iterdir()] == ["02-bendahara"]


def test_archive_diff_region_is_where_the_new_text_stands(
        two_revisions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = two_revisions
    report = diff.compare(old, new, tmp_path)
    [bendahara] = [p for p in report.positions if not p.same]
    [region] = bendahara.regions[1]
    left, top, right, bottom = word_box(new / "02-bendahara.docx", "Daerah", preview.DPI)
    box = region.box
    assert box[0] <= left + 2 and box[1] <= top + 2 and right - 2 <= box[2] and bottom - 2 <= box[3]
    # the region is the changed word's line, not the whole page
    assert box[3] - box[1] < 60 and box[2] - box[0] < 200
    with Image.open(bendahara.pictures[0]) as sheet:
        pixels = sheet.convert("RGB")
        framed = [pixels.getpixel((x, box[1] - 4)) for x in range(box[0], box[2])]
    assert all(colour == (220, 0, 0) for colour in framed)


def test_archive_diff_of_a_revision_with_itself_says_every_position_is_the_same(
        two_revisions: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = two_revisions
    report = diff.compare(old, old, tmp_path / "diff")
    assert all(position.same for position in report.positions)
    assert len(report.positions) == 12
    assert not (tmp_path / "diff").exists()


def test_archive_diff_of_a_folder_that_is_no_revision_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["archive", "diff", str(tmp_path / "r1"), str(tmp_path / "r2"),
                                      "-o", str(tmp_path / "diff")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'r1'}: no such revision folder" in result.output


def test_text_changes_pair_replaced_lines_and_mark_added_ones() -> None:
    assert diff.text_changes(["a", "b", "c"], ["a", "B", "c", "d"]) == [("b", "B"), ("", "d")]


def test_preview_draws_the_pages_a_switch_makes(soffice: None, tmp_path: Path) -> None:
    def drawn(*switches: str) -> Image.Image:
        folder = tmp_path / f"pictures-{len(switches)}-{'-'.join(switches)}"
        result = CliRunner().invoke(cli, ["preview", str(SAMPLE), "-t", "iki-nomor",
                                          "--jabatan", "2", "-o", str(folder), *switches])
        assert result.exit_code == 0, result.output
        with Image.open(folder / "02-bendahara" / "page-1.png") as page:
            return page.convert("RGB")

    plain = drawn()
    numbered = drawn("--set", "baris_nomor=ya")
    changed = diff.regions(plain, numbered)
    # the numbering row (1) (2) ... comes under the table's header, in the page's top half
    assert changed and changed[0].box[1] < numbered.height / 2
    assert not diff.regions(plain, drawn("--set", "baris_nomor=tidak"))  # its default


def test_preview_renders_the_bytes_generate_writes_with_the_same_switches(tmp_path: Path) -> None:
    [outcome] = generate([SAMPLE], "iki-nomor", tmp_path / "output",
                         settings={"baris_nomor": True, "kop": False})
    [(name, jabatan, docx)] = preview.unit_documents(
        [SAMPLE], "iki-nomor", 2, {"baris_nomor": True, "kop": False})
    assert (name, jabatan) == ("02-bendahara.docx", "Bendahara")
    assert docx == (outcome.folder / name).read_bytes()
    [(_, _, plain)] = preview.unit_documents([SAMPLE], "iki-nomor", 2)
    assert plain != docx


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two revisions of two positions of the sample made with iki-nomor: r1 with its
    switches as they are, r2 with ``--set baris_nomor=ya`` (the numbering row)."""
    work = tmp_path_factory.mktemp("numbered")
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["jabatan"] = data["jabatan"][:2]
    path = work / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [first] = generate([path], "iki-nomor", work / "output")
    [second] = generate([path], "iki-nomor", work / "output", settings={"baris_nomor": True})
    return first.folder, second.folder


@pytest.mark.parametrize("command", ["generate", "preview", "archive diff"])
@pytest.mark.parametrize(("setting", "status", "said"), [
    ("baris_nomor", 2, "Error: Invalid value for '--set': 'baris_nomor': expected NAME=VALUE, "
                       "e.g. baris_nomor=ya"),
    ("baris_nomor=mungkin", 2, "Error: Invalid value for '--set': 'baris_nomor=mungkin': the "
                               "value is one of ya/tidak, true/false, on/off, 1/0"),
    ("baris_nomer=ya", 1, "template iki-nomor has no switch 'baris_nomer'; did you mean "
                          "'baris_nomor'?"),
])
def test_preview_and_diff_refuse_a_switch_as_generate_does_writing_nothing(
        numbered: tuple[Path, Path], tmp_path: Path, command: str, setting: str, status: int,
        said: str) -> None:
    out = tmp_path / "out"
    revision, _ = numbered
    before = tree_snapshot(revision.parent)
    given = {"generate": ["generate", str(SAMPLE), "-t", "iki-nomor"],
             "preview": ["preview", str(SAMPLE), "-t", "iki-nomor"],
             "archive diff": ["archive", "diff", str(revision), str(revision)]}[command]
    result = CliRunner().invoke(cli, [*given, "-o", str(out), "--set", setting, "--lang", "en"])
    assert result.exit_code == status, result.output
    assert said in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert tree_snapshot(revision.parent) == before


def test_archive_diff_with_a_switch_shows_what_it_would_change_writing_no_revision(
        soffice: None, numbered: tuple[Path, Path], tmp_path: Path) -> None:
    plain, _ = numbered
    before = tree_snapshot(plain.parent)
    result = CliRunner().invoke(cli, ["archive", "diff", str(plain), str(plain), "-o",
                                      str(tmp_path / "diff"), "--set", "baris_nomor=ya",
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{plain} -> {plain} made again with --set baris_nomor=ya"
    [bendahara] = [n for n, line in enumerate(lines) if line.startswith("  Bendahara: changed, ")
                   and line.endswith(f"marked on page 1 in {tmp_path / 'diff' / '02-bendahara'}")]
    assert lines[bendahara + 1:bendahara + 6] == [f"    (none) -> '({n})'" for n in range(1, 6)]
    assert tree_snapshot(plain.parent) == before


def test_archive_diff_with_a_switch_keeps_the_switches_the_revision_was_made_with(
        numbered: tuple[Path, Path], tmp_path: Path) -> None:
    _, with_row = numbered
    report = diff.compare(with_row, with_row, tmp_path / "diff", settings={"kop": True})
    assert len(report.positions) == 2
    assert all(position.same for position in report.positions)  # made again, byte for byte
    assert not (tmp_path / "diff").exists()


def test_archive_diff_with_a_switch_refuses_a_template_edited_since(
        numbered: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain, _ = numbered
    local = tmp_path / "templates" / "iki-nomor"
    shutil.copytree(REPO / "templates" / "iki-nomor", local)
    edit_template(local, "INDIKATOR KINERJA INDIVIDU", "INDIKATOR KINERJA")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["archive", "diff", str(plain), str(plain), "-o", "diff",
                                      "--set", "baris_nomor=ya", "--lang", "en"])
    assert result.exit_code == 1
    assert (f"error: {plain}: was made with template iki-nomor 1.0.0; the template of that "
            "name here (templates/iki-nomor) has other files") in result.output
    assert not (tmp_path / "diff").exists()


@pytest.mark.parametrize("where", ["group", "command"])
def test_archive_diff_speaks_indonesian_with_lang_id(
        two_revisions: tuple[Path, Path], tmp_path: Path, where: str) -> None:
    old, new = two_revisions
    args = ["archive", "diff", str(old), str(new), "-o", str(tmp_path / "diff")]
    result = CliRunner().invoke(cli, ["--lang", "id", *args] if where == "group"
                                else [*args, "--lang", "id"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("  Bendahara: berubah, 1 bagian diberi bingkai merah di halaman 1; gambarnya di "
            f"{tmp_path / 'diff' / '02-bendahara'}") in lines
    assert "    'Tertib Administrasi Keuangan' -> 'Tertib Administrasi Keuangan Daerah'" in lines
    assert "  Pengemudi: tidak berubah" in lines
    assert len([line for line in lines if line.endswith(": tidak berubah")]) == 11
    english = {"changed", "same", "region", "marked", "page", "added", "removed", "none"}
    assert not english & set(result.output.replace(":", " ").replace(",", " ").split())


def test_archive_diff_words_a_line_added_or_removed_and_positions_added_or_removed(
        two_revisions: tuple[Path, Path]) -> None:
    old, new = two_revisions
    report = diff.RevisionDiff(old, new, [diff.PositionDiff(
        "Bendahara", "02-bendahara.docx", "02-bendahara.docx", same=False,
        regions={1: [diff.Region((0, 0, 5, 5))], 2: []}, texts=[("", "Baru"), ("Lama", "")])],
        added=["Analis Data"], removed=[None])
    assert audit_text.revision_diff(report).splitlines() == [
        f"{old} -> {new}",
        "  Bendahara: changed, 1 region(s) marked on page 1",
        "    (none) -> 'Baru'",
        "    'Lama' -> (none)",
        f"  Analis Data: added (only in {new.name})",
        f"  (all positions): removed (only in {old.name})",
    ]
    assert audit_text.revision_diff(report, "id").splitlines()[1:] == [
        "  Bendahara: berubah, 1 bagian diberi bingkai merah di halaman 1",
        "    (tidak ada) -> 'Baru'",
        "    'Lama' -> (tidak ada)",
        f"  Analis Data: jabatan baru (hanya ada di {new.name})",
        f"  (semua jabatan): jabatan dihapus (hanya ada di {old.name})",
    ]


def test_archive_diff_clears_the_pictures_of_its_earlier_run_and_nothing_else(
        two_revisions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = two_revisions
    pictures = tmp_path / "diff"
    first = CliRunner().invoke(cli, ["archive", "diff", str(old), str(new), "-o", str(pictures)])
    assert first.exit_code == 0, first.output
    assert (pictures / "02-bendahara" / "page-1.png").is_file()
    # what the officer put there, and pictures of a position an earlier run drew
    (pictures / "catatan.txt").write_text("milik saya", encoding="utf-8")
    (pictures / "02-bendahara" / "catatan.txt").write_text("milik saya", encoding="utf-8")
    (pictures / "05-pengemudi").mkdir()
    (pictures / "05-pengemudi" / "page-1.png").write_bytes(b"earlier run")
    (pictures / "05-pengemudi" / "page-2.png").write_bytes(b"earlier run")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page-1.png").write_bytes(b"not ikidoc's")
    (pictures / "tautan").symlink_to(elsewhere)
    (pictures / "page-1.png").write_bytes(b"not in a position folder")
    again = CliRunner().invoke(cli, ["archive", "diff", str(new), str(new), "-o", str(pictures)])
    assert again.exit_code == 0, again.output
    assert sorted(str(p.relative_to(pictures)) for p in pictures.rglob("*")) == [
        "02-bendahara", "02-bendahara/catatan.txt", "catatan.txt", "page-1.png", "tautan"]
    assert (elsewhere / "page-1.png").read_bytes() == b"not ikidoc's"


def test_archive_diff_that_fails_leaves_the_earlier_pictures(
        two_revisions: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = two_revisions
    pictures = tmp_path / "diff"
    (pictures / "02-bendahara").mkdir(parents=True)
    (pictures / "02-bendahara" / "page-1.png").write_bytes(b"earlier run")
    before = tree_snapshot(pictures)
    missing = CliRunner().invoke(cli, ["archive", "diff", str(old), str(tmp_path / "r9"),
                                       "-o", str(pictures)])
    assert missing.exit_code == 1
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    no_office = CliRunner().invoke(cli, ["archive", "diff", str(old), str(new),
                                         "-o", str(pictures)])
    assert no_office.exit_code == 1
    assert "LibreOffice (soffice) is not installed" in no_office.output
    assert tree_snapshot(pictures) == before


def test_preview_replaces_its_earlier_pictures_of_a_position_and_keeps_other_files(
        soffice: None, tmp_path: Path) -> None:
    pictures = tmp_path / "pictures"
    (pictures / "02-bendahara").mkdir(parents=True)
    (pictures / "02-bendahara" / "page-2.png").write_bytes(b"a page it had before")
    (pictures / "02-bendahara" / "catatan.txt").write_text("milik saya", encoding="utf-8")
    result = CliRunner().invoke(cli, ["preview", str(SAMPLE), "--jabatan", "2",
                                      "-o", str(pictures)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (pictures / "02-bendahara").iterdir()) == [
        "catatan.txt", "page-1.png"]


def test_preview_into_a_folder_where_a_file_stands_exits_1_naming_it(
        soffice: None, tmp_path: Path) -> None:
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "02-bendahara").write_text("milik saya", encoding="utf-8")
    result = CliRunner().invoke(cli, ["preview", str(SAMPLE), "--jabatan", "2",
                                      "-o", str(pictures), "--lang", "en"])
    assert result.exit_code == 1
    assert f"error: no page was drawn: {pictures / '02-bendahara'} cannot be written" \
        in result.output
    assert "Traceback" not in result.output
    assert (pictures / "02-bendahara").read_text(encoding="utf-8") == "milik saya"


@pytest.mark.parametrize("template", ["iki", "keputusan-iki"])
def test_preview_documents_are_the_bytes_generate_writes_logo_included(
        tmp_path: Path, template: str) -> None:
    """A unit whose kop names a logo: the pictures are drawn from the very documents the
    archive gets, the crest beside the letterhead included."""
    data = full_unit(tmp_path / "data")
    [outcome] = generate([data], template, tmp_path / "output")
    previewed = preview.unit_documents([data], template)
    assert [(name, (outcome.folder / name).read_bytes()) for name, _, _ in previewed] == [
        (name, docx) for name, _, docx in previewed]
    for name, _, _ in previewed:
        assert letterhead.picture_in(outcome.folder / name, hashlib.sha256(LOGO).hexdigest())
