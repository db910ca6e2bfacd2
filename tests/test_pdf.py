"""PDF/A-2b through LibreOffice: every bundled template's documents convert, the PDFs carry
the text and declare PDF/A, and a missing or failing LibreOffice is reported clearly.

The tests that run LibreOffice skip where it is absent, and fail instead when
IKIDOC_REQUIRE_SOFFICE=1 (as in .ci/run).
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import SAMPLE, tree_snapshot
from lxml import etree

from ikidoc import audit, audit_text, generate, pdf, templates
from ikidoc.archive import load_manifest
from ikidoc.errors import PdfError
from ikidoc.generate import Outcome
from ikidoc.pdf import convert

BUNDLED = [t.manifest.name for t in templates.available()]


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first three positions of the bundled sample (it fills every bundled template's
    tambahan fields): a small batch keeps LibreOffice quick."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["jabatan"] = data["jabatan"][:3]
    path = tmp_path_factory.mktemp("data") / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=BUNDLED)
def converted(request: pytest.FixtureRequest, soffice: None, small_sample: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The revision written by generate --pdf with each bundled template."""
    [outcome] = generate([small_sample], request.param, tmp_path_factory.mktemp("out"), pdf=True)
    return outcome.folder


def pdf_text(path: Path) -> str:
    """The PDF's text without spaces and hyphens: LibreOffice wraps lines in table cells
    and pdftotext joins words broken at a hyphen."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"[\s-]+", "", text)


def expected_texts(jabatan: dict) -> list[str]:
    indicators = [i["uraian"] for s in jabatan["sasaran"] for i in s["indikator"]]
    return [re.sub(r"[\s-]+", "", text) for text in [jabatan["nama"], *indicators]]


def test_every_document_of_every_bundled_template_has_its_pdf_in_the_manifest(
        converted: Path) -> None:
    manifest = load_manifest(converted)
    documents = [r.path for r in manifest.files if r.path.endswith(".docx")]
    assert [r.pdf_of for r in manifest.pdfs] == documents
    assert [r.path for r in manifest.pdfs] == [name.replace(".docx", ".pdf") for name in documents]
    assert all(check.ok for check in audit.verify(converted))


def test_the_pdfs_carry_each_position_name_and_indicators(converted: Path,
                                                          small_sample: Path) -> None:
    positions = yaml.safe_load(small_sample.read_text(encoding="utf-8"))["jabatan"]
    manifest = load_manifest(converted)
    combined = pdf_text(converted / manifest.pdfs[-1].path)
    for jabatan in positions:
        assert all(text in combined for text in expected_texts(jabatan)), jabatan["nama"]
    own = manifest.pdfs[:-1]  # one per position, or none for a template of one document
    assert len(own) in (0, len(positions))
    for jabatan, record in zip(positions, own, strict=False):
        text = pdf_text(converted / record.path)
        assert all(part in text for part in expected_texts(jabatan)), record.path


def test_the_pdfs_declare_pdf_a_2b(converted: Path) -> None:
    for record in load_manifest(converted).pdfs:
        meta = subprocess.run(["pdfinfo", "-meta", str(converted / record.path)],
                              capture_output=True, text=True, check=True).stdout
        assert "<pdfaid:part>2</pdfaid:part>" in meta, record.path
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in meta, record.path


def test_pdf_run_after_a_plain_run_writes_a_revision_with_pdfs_and_no_more(
        soffice: None, minimal_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    [plain] = generate([minimal_data], output=output)
    [with_pdf] = generate([minimal_data], output=output, pdf=True)
    assert (plain.folder.name, plain.pdfs) == ("r1", [])
    assert (with_pdf.folder.name, with_pdf.pdfs) == ("r2", ["01-analis.pdf", "bagian-uji-2025.pdf"])
    for name in ("01-analis.docx", "bagian-uji-2025.docx"):
        assert (plain.folder / name).read_bytes() == (with_pdf.folder / name).read_bytes()
    listing = audit_text.unit_listing(audit.list_units(output)[0])
    assert listing.endswith(" 1 position  template iki 1.1.0, 2 PDF/A")
    before = tree_snapshot(output)
    again = [*generate([minimal_data], output=output),
             *generate([minimal_data], output=output, pdf=True)]
    assert [(o.changed, o.folder.name) for o in again] == [(False, "r2"), (False, "r2")]
    assert tree_snapshot(output) == before


def test_without_libreoffice_the_docx_revision_is_written_and_the_error_says_how_to_install(
        minimal_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    output = tmp_path / "out"
    with pytest.raises(PdfError) as raised:
        generate([minimal_data], output=output, pdf=True)
    revision = output / "bagian-uji-2025" / "r1"
    assert raised.value.written == [str(revision)]
    assert "apt-get install libreoffice-writer-nogui" in str(raised.value.hint)
    assert sorted(p.name for p in revision.iterdir()) == [
        "01-analis.docx", "bagian-uji-2025.docx", "manifest.json"]
    assert load_manifest(revision).pdfs == []


def fake_soffice(folder: Path, pdf: bytes | None) -> None:
    """A soffice on PATH that exits 0, as LibreOffice does even when it fails, after
    writing ``pdf`` for every document (or nothing)."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"""#!{sys.executable}
import pathlib, sys
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
for name in args[args.index("--outdir") + 2:]:
    print("Error: source file could not be loaded" if {pdf!r} is None else "convert " + name)
    if {pdf!r} is not None:
        (out / (pathlib.Path(name).stem + ".pdf")).write_bytes({pdf!r})
""", encoding="utf-8")
    script.chmod(0o755)


@pytest.mark.parametrize(("pdf", "detail", "hint"), [
    (None, "LibreOffice made no PDF of bagian-uji-2025.docx (it said: Error: source file could "
           "not be loaded)", ""),
    (b"", "LibreOffice made no PDF of bagian-uji-2025.docx (it said: convert ", ""),
    (b"%PDF-1.4 not PDF/A", "LibreOffice made bagian-uji-2025.pdf but not as PDF/A-2b",
     "LibreOffice 7.4 or newer is needed for PDF/A"),
    (b"<pdfaid:part>2</pdfaid:part> but no PDF", "LibreOffice made a PDF that cannot be read", ""),
])
def test_a_soffice_that_exits_0_without_good_pdfs_is_a_failure(
        minimal_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        pdf: bytes | None, detail: str, hint: str) -> None:
    fake_soffice(tmp_path / "bin", pdf)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(PdfError) as raised:
        generate([minimal_data], output=tmp_path / "out", pdf=True)
    assert str(raised.value.detail).startswith(detail) and str(raised.value.hint or "") == hint
    revision = tmp_path / "out" / "bagian-uji-2025" / "r1"
    assert not list(revision.glob("*.pdf")) and load_manifest(revision).pdfs == []


def recording_soffice(folder: Path, record: Path) -> None:
    """A soffice on PATH that writes a PDF/A claim and the document's path as each PDF,
    and records, for every start, its profile and the names of the documents it was given."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"""#!{sys.executable}
import json, pathlib, sys
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
names = args[args.index("--outdir") + 2:]
with open({str(record)!r}, "a") as record:
    profile = next(a for a in args if a.startswith("-env:UserInstallation="))
    record.write(json.dumps([profile, [pathlib.Path(name).name for name in names]]) + "\\n")
out.mkdir(parents=True, exist_ok=True)
for name in names:
    pdf = out / (pathlib.Path(name).stem + ".pdf")
    pdf.write_bytes(b"<pdfaid:part>2</pdfaid:part>" + name.encode())
""", encoding="utf-8")
    script.chmod(0o755)


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file that a recording soffice, put on PATH, records its starts into."""
    record = tmp_path / "starts.txt"
    recording_soffice(tmp_path / "bin", record)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return record


def starts(record: Path) -> list[tuple[str, list[str]]]:
    """(profile, documents) of each soffice start, in the order they were started."""
    return [tuple(json.loads(line)) for line in record.read_text().splitlines()]


def recorded_pdfs(documents: list[Path]) -> list[bytes]:
    """What the recording soffice writes as the documents' PDFs."""
    return [b"<pdfaid:part>2</pdfaid:part>" + str(path).encode() for path in documents]


def test_a_large_batch_is_shared_by_libreoffice_processes_and_comes_back_in_order(
        tmp_path: Path, record: Path) -> None:
    documents = [tmp_path / f"{number:02d}-jabatan.docx" for number in range(1, 13)]
    assert convert(documents, jobs=2) == recorded_pdfs(documents)
    assert sorted(len(names) for _, names in starts(record)) == [6, 6]
    assert len({profile for profile, _ in starts(record)}) == 2  # each process its profile
    assert len(convert(documents[:9], jobs=2)) == 9  # too few to share: one more start
    assert [len(names) for _, names in starts(record)[2:]] == [9]


def test_no_libreoffice_start_is_given_more_documents_than_it_converts(
        tmp_path: Path, record: Path) -> None:
    """soffice --convert-to silently skips the files after about the 245th argument."""
    documents = [tmp_path / f"{number:03d}-jabatan.docx" for number in range(1, 452)]
    assert convert(documents, jobs=2) == recorded_pdfs(documents)
    recorded = starts(record)
    assert sorted(len(names) for _, names in recorded) == [25, 26, 200, 200]
    shares = {profile: [] for profile, _ in recorded}
    for profile, names in recorded:  # a process's batches, one after another, share its profile
        shares[profile] += names
    assert sorted(len(names) for names in shares.values()) == [225, 226]
    assert sorted(name for names in shares.values() for name in names) == [
        p.name for p in documents]


def test_no_libreoffice_start_gets_a_command_line_longer_than_windows_allows(
        tmp_path: Path, record: Path) -> None:
    folder = tmp_path / ("folder-" * 20)
    documents = [folder / f"{number:03d}-{'jabatan-' * 20}{number}.docx" for number in range(150)]
    assert convert(documents, jobs=1) == recorded_pdfs(documents)
    lengths = [sum(len(str(folder / name)) + 1 for name in names) for _, names in starts(record)]
    assert len(lengths) > 1 and max(lengths) < 32_767 - 1_000


def test_the_process_converting_the_combined_document_gets_fewer_position_documents(
        tmp_path: Path, record: Path) -> None:
    """The combined document of 99 positions takes LibreOffice as long as about 20
    position documents."""
    [outcome] = generate([unit_of(99, tmp_path)], output=tmp_path / "out")
    combined = outcome.documents[-1].file
    convert([outcome.folder / document.file for document in outcome.documents], jobs=2)
    [with_combined] = [names for _, names in starts(record) if combined in names]
    [without] = [names for _, names in starts(record) if combined not in names]
    assert len(with_combined) - 1 + 10 <= len(without)
    assert len(with_combined) + len(without) == 100


def unit_of(count: int, folder: Path) -> Path:
    """A data file of the bundled sample's positions repeated to ``count``, each name
    numbered (document file names must differ)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    positions = data["jabatan"]
    data["jabatan"] = [dict(positions[n % len(positions)],
                            nama=f"{positions[n % len(positions)]['nama']} {n + 1}")
                       for n in range(count)]
    path = folder / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_unit_of_more_documents_than_one_libreoffice_start_takes_gets_every_pdf(
        soffice: None, tmp_path: Path) -> None:
    unit = unit_of(259, tmp_path)
    [outcome] = generate([unit], output=tmp_path / "out", pdf=True, jobs=1)
    assert len(outcome.pdfs) == 260
    names = [jabatan["nama"] for jabatan in yaml.safe_load(unit.read_text())["jabatan"]]
    for number in (1, 246, 259):
        pdf = outcome.folder / outcome.pdfs[number - 1]
        assert re.sub(r"[\s-]+", "", names[number - 1]) in pdf_text(pdf), pdf.name


def test_a_libreoffice_that_hangs_is_stopped_with_its_children_and_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids.txt"
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"""#!{sys.executable}
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
with open({str(pids)!r}, "w") as record:
    record.write(f"{{os.getpid()}} {{child.pid}}")
with open({str(tmp_path / "temp.txt")!r}, "w") as record:
    record.write(os.environ["TMPDIR"])
os.mkdir(os.path.join(os.environ["TMPDIR"], "lu1234abcd.tmp"))  # as LibreOffice's own
time.sleep(3)
""", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(pdf, "_START_SECONDS", 1)
    monkeypatch.setattr(pdf, "_SECONDS_PER_DOCUMENT", 0)
    with pytest.raises(PdfError) as raised:
        convert([tmp_path / "01-analis.docx"])
    assert str(raised.value.detail) == "LibreOffice did not finish within 1 seconds"
    for pid in map(int, pids.read_text().split()):  # soffice and its soffice.bin
        assert not running(pid)
    temporary = Path((tmp_path / "temp.txt").read_text())  # LibreOffice's temp: ikidoc's
    assert temporary.name.startswith("batch") and not temporary.exists()


def running(pid: int) -> bool:
    """Whether the process runs, after up to 5 s for a killed one to end (an orphan that
    nobody reaps stays a zombie: ended)."""
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return False
        except FileNotFoundError:
            return False
        time.sleep(0.05)
    return True


def test_libreoffice_where_its_windows_installer_puts_it_is_found_without_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_text("", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert pdf.soffice() == str(program)


def test_a_libreoffice_that_cannot_start_is_reported_with_how_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "soffice").write_text("#!/nonexistent/interpreter\n", encoding="utf-8")
    (folder / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    with pytest.raises(PdfError) as raised:
        convert([tmp_path / "01-analis.docx"])
    assert str(raised.value.detail).startswith(
        f"LibreOffice ({folder / 'soffice'}) cannot be started: "
    )
    assert "apt-get install libreoffice-writer-nogui" in str(raised.value.hint)


def pages_text(path: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext ends each page with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [re.sub(r"\s+", " ", page).strip() for page in text.split("\f")[:-1]]


def each_template(tmp_path: Path) -> str:
    """A copy of the bundled iki template whose manifest says ``pdf: each``."""
    folder = tmp_path / "iki-each"
    shutil.copytree(templates.resolve("iki").folder, folder)
    manifest = folder / "template.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "\npdf: split\n" in text
    manifest.write_text(text.replace("\npdf: split\n", "\npdf: each\n"), encoding="utf-8")
    return str(folder)


def uneven_unit(folder: Path) -> Path:
    """The sample's positions, some with their sasaran repeated so that their documents
    run over two, three or four pages, each name numbered."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    positions = []
    for number, repeat in enumerate([1, 4, 1, 7, 2, 11, 1, 3]):
        jabatan = dict(data["jabatan"][number % len(data["jabatan"])])
        jabatan["nama"] = f"{jabatan['nama']} {number + 1}"
        jabatan["sasaran"] = jabatan["sasaran"] * repeat
        positions.append(jabatan)
    data["jabatan"] = positions
    path = folder / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def split_and_each(soffice: None, tmp_path_factory: pytest.TempPathFactory
                   ) -> tuple[Outcome, Outcome]:
    """A unit of positions of one to several pages, its PDFs cut from the combined
    document (the default) and converted one by one (a template saying ``pdf: each``)."""
    folder = tmp_path_factory.mktemp("uneven")
    unit = uneven_unit(folder)
    [split] = generate([unit], output=folder / "split", pdf=True)
    [each] = generate([unit], each_template(folder), folder / "each", pdf=True)
    return split, each


def test_each_position_pdf_cut_from_the_combined_one_shows_exactly_its_own_documents_pages(
        split_and_each: tuple[Outcome, Outcome]) -> None:
    split, each = split_and_each
    assert split.pdfs == each.pdfs and len(split.pdfs) == 9
    counts = []
    for name in split.pdfs:
        cut, own = pages_text(split.folder / name), pages_text(each.folder / name)
        assert cut == own, name
        counts.append(len(own))
    assert len(set(counts[:-1])) >= 3  # positions of one page and of several
    assert all(check.ok for check in audit.verify(split.folder))


def xmp(path: Path) -> etree._Element:
    with pikepdf.open(path) as document:
        return etree.fromstring(document.Root.Metadata.read_bytes())


def core_title(document: Path) -> str:
    with zipfile.ZipFile(document) as package:
        core = etree.fromstring(package.read("docProps/core.xml"))
    return core.findtext("{http://purl.org/dc/elements/1.1/}title")


def test_every_cut_pdf_is_pdf_a_2b_under_its_own_documents_title(
        split_and_each: tuple[Outcome, Outcome]) -> None:
    split, _ = split_and_each
    namespaces = {"dc": "http://purl.org/dc/elements/1.1/",
                  "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                  "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
    for document, name in zip(split.documents, split.pdfs, strict=True):
        path = split.folder / name
        title = core_title(split.folder / document.file)
        meta = xmp(path)
        assert meta.findtext(".//pdfaid:part", namespaces=namespaces) == "2", name
        assert meta.findtext(".//pdfaid:conformance", namespaces=namespaces) == "B", name
        assert meta.findall(".//dc:title/rdf:Alt/rdf:li", namespaces)[0].text == title
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
        assert f"Title:           {title}\n" in info, name
        with pikepdf.open(path) as opened:
            [intent] = opened.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and len(intent.DestOutputProfile.read_bytes()) > 1000
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), name  # embedded


def test_one_libreoffice_start_converts_the_combined_documents_of_many_units(
        tmp_path: Path, record: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for number in range(1, 6):
        data = yaml.safe_load(unit_of(3, tmp_path).read_text(encoding="utf-8"))
        data["unit_kerja"] = f"Puskesmas Kecamatan {number}"
        (folder / f"unit-{number}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(PdfError):  # the recording soffice writes no real PDF to cut
        generate([folder], output=tmp_path / "out", pdf=True, jobs=2)
    assert sorted(len(names) for _, names in starts(record)) == [2, 3]
    assert all(not re.match(r"\d", name) for _, names in starts(record) for name in names)


def test_documents_of_the_same_name_are_never_given_to_one_libreoffice_start(
        tmp_path: Path, record: Path) -> None:
    documents = [tmp_path / folder / "unit.docx" for folder in ("a", "b", "c")]
    assert convert(documents) == recorded_pdfs(documents)
    assert [names for _, names in starts(record)] == [["unit.docx"]] * 3


def test_the_pdfs_of_several_units_are_each_cut_from_their_own_combined_document(
        soffice: None, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for number in (1, 2):
        data = yaml.safe_load(uneven_unit(tmp_path).read_text(encoding="utf-8"))
        data["unit_kerja"] = f"Puskesmas Kecamatan {number}"
        data["jabatan"] = data["jabatan"][number:number + 3]
        (folder / f"unit-{number}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    outcomes = generate([folder], output=tmp_path / "out", pdf=True, jobs=2)
    for number, outcome in enumerate(outcomes, start=1):
        assert len(outcome.pdfs) == 4
        for document, name in zip(outcome.documents[:-1], outcome.pdfs, strict=False):
            assert pages_text(outcome.folder / name)[0].count(document.jabatan or "") == 1
        assert f"Kecamatan {number}" in core_title(outcome.folder / outcome.documents[-1].file)
        assert all(check.ok for check in audit.verify(outcome.folder))


def test_a_pdf_without_the_start_of_each_position_is_not_cut(soffice: None,
                                                             minimal_data: Path,
                                                             tmp_path: Path) -> None:
    [outcome] = generate([minimal_data], output=tmp_path / "out", pdf=True)
    own = (outcome.folder / outcome.pdfs[0]).read_bytes()
    assert pdf.cut(own, ["a", "b"]) is None
    assert len(pdf.cut(own, ["a"]) or []) == 1


def test_a_template_saying_pdf_each_has_libreoffice_convert_every_document(
        tmp_path: Path, record: Path) -> None:
    unit = unit_of(3, tmp_path)
    with pytest.raises(PdfError):  # the recording soffice writes no real PDF to cut
        generate([unit], output=tmp_path / "split", pdf=True)
    [(_, [only])] = starts(record)  # the combined document alone
    assert not re.match(r"\d", only)
    record.unlink()
    [outcome] = generate([unit], each_template(tmp_path), tmp_path / "each", pdf=True)
    assert sorted(name for _, names in starts(record) for name in names) == sorted(
        document.file for document in outcome.documents)
    assert len(outcome.pdfs) == 4


def test_a_libreoffice_start_that_makes_nothing_is_retried_once_on_a_fresh_profile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a first start may end after setting up its profile, with status 0."""
    record = tmp_path / "starts.txt"
    recording_soffice(tmp_path / "bin", record)
    real = tmp_path / "bin" / "soffice"
    real.rename(tmp_path / "bin" / "recording")
    started = tmp_path / "started"
    real.write_text(f"""#!{sys.executable}
import os, pathlib, sys
if not pathlib.Path({str(started)!r}).exists():
    pathlib.Path({str(started)!r}).touch()
    sys.exit(0)
os.execv({str(tmp_path / 'bin' / 'recording')!r}, sys.argv)
""", encoding="utf-8")
    real.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    documents = [tmp_path / "01-analis.docx", tmp_path / "02-bendahara.docx"]
    assert convert(documents) == recorded_pdfs(documents)
    [(profile, names)] = starts(record)
    assert names == ["01-analis.docx", "02-bendahara.docx"] and profile.endswith("-retry/profile")


def test_a_libreoffice_that_never_makes_a_pdf_is_started_twice_and_reported(
        minimal_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path / "bin", None)
    calls = tmp_path / "calls"
    script = tmp_path / "bin" / "soffice"
    script.write_text(script.read_text().replace(
        "args = sys.argv[1:]", f"args = sys.argv[1:]\nopen({str(calls)!r}, 'a').write('x')"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(PdfError, match=r"made no PDF of bagian-uji-2025\.docx"):
        generate([minimal_data], output=tmp_path / "out", pdf=True)
    assert calls.read_text() == "xx"


def test_the_first_conversion_on_a_machine_never_used_makes_the_pdf(
        soffice: None, minimal_data: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user: no LibreOffice profile, no font cache, nothing in the home folder."""
    home = tmp_path / "home"
    home.mkdir()
    for name, value in [("HOME", home), ("XDG_CACHE_HOME", home / ".cache"),
                        ("XDG_CONFIG_HOME", home / ".config"), ("TMPDIR", tmp_path / "tmp")]:
        monkeypatch.setenv(name, str(value))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(pdf.tempfile, "tempdir", None)
    [outcome] = generate([minimal_data], output=tmp_path / "out", pdf=True)
    assert outcome.pdfs == ["01-analis.pdf", "bagian-uji-2025.pdf"]
    assert "Analis" in pdf_text(outcome.folder / "01-analis.pdf")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_the_temporary_copies_of_a_run_killed_during_pdf_are_removed_by_the_next_run(
        soffice: None, tmp_path: Path) -> None:
    unit = unit_of(60, tmp_path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "ikidoc", "generate", str(unit), "-o", str(tmp_path / "out"),
               "--pdf", "-q"]
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(temporary.glob("ikidoc-pdf-*/process0/batch0")):
        assert time.monotonic() < deadline and run.poll() is None, "no conversion started"
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait()
    stale = list(temporary.glob("ikidoc-pdf-*"))
    assert stale
    # LibreOffice runs on in its own session: end it too, also one that was being started
    # when the run was killed (under load its command line shows a moment later)
    quiet_until = time.monotonic() + 1
    while time.monotonic() < quiet_until:
        for pid in soffice_pids(temporary):
            os.killpg(pid, signal.SIGKILL)
            quiet_until = time.monotonic() + 1
        time.sleep(0.05)
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    assert list(temporary.iterdir()) == []


def soffice_pids(folder: Path) -> list[int]:
    """The processes whose command line names ``folder`` (the soffice a run started)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            pid = int(cmdline.parent.name)
            if str(folder).encode() in cmdline.read_bytes() and os.getpgid(pid) == pid:
                found.append(pid)
        except OSError:  # ended meanwhile
            continue
    return found


def test_generate_tells_when_a_unit_turns_from_its_word_files_to_its_pdfs(
        soffice: None, minimal_data: Path, tmp_path: Path) -> None:
    told: list[tuple[str, object]] = []
    generate([minimal_data], output=tmp_path / "out", pdf=True,
             progress=lambda unit, done, total: told.append((unit, done)),
             steps=lambda unit, step: told.append((unit, step)))
    assert told == [("Bagian Uji", "docx"), ("Bagian Uji", 1), ("Bagian Uji", 2),
                    ("Bagian Uji", "pdf")]


@pytest.mark.parametrize("top", [None, pikepdf.Name.FitH], ids=["null top", "not xyz"])
def test_a_start_mark_without_a_top_to_compare_makes_the_pdf_uncut_not_a_failure(
        top: object) -> None:
    """[page /XYZ left null zoom] is valid PDF ("keep the current top"): such a mark is no
    mark of ikidoc's, and the positions' documents are converted one by one instead."""
    made = pikepdf.new()
    for _ in range(2):
        made.add_blank_page(page_size=(595, 842))
    second = made.pages[1].obj
    target = [second, pikepdf.Name.XYZ, 0, top, 0] if top is None else [second, top, 800]
    made.Root.Dests = pikepdf.Dictionary({"/5FikidocStart2": pikepdf.Array(target)})
    out = io.BytesIO()
    made.save(out)
    assert pdf.cut(out.getvalue(), ["a", "b"]) is None


def units_folder(tmp_path: Path, count: int, positions: int) -> Path:
    """A folder of ``count`` units of ``positions`` positions each, each unit named apart."""
    folder = tmp_path / "data"
    folder.mkdir()
    for number in range(1, count + 1):
        data = yaml.safe_load(unit_of(positions, tmp_path).read_text(encoding="utf-8"))
        data["unit_kerja"] = f"Puskesmas Kecamatan {number}"
        (folder / f"unit-{number}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def test_units_whose_combined_pdf_cannot_be_cut_have_each_document_converted_once(
        tmp_path: Path, record: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The combined PDF is kept; only the positions' documents are converted again, of
    every such unit together."""
    monkeypatch.setattr(pdf, "cut", lambda data, titles: None)
    outcomes = generate([units_folder(tmp_path, 2, 3)], output=tmp_path / "out", pdf=True)
    given = sorted(name for _, names in starts(record) for name in names)
    assert given == sorted(document.file for outcome in outcomes
                           for document in outcome.documents)
    assert [len(outcome.pdfs) for outcome in outcomes] == [4, 4]
    # the combined documents in one start, the positions' (three names, each twice) in two
    assert [len(names) for _, names in starts(record)] == [2, 3, 3]


def test_a_unit_whose_pdf_cannot_be_cut_gets_pdf_a_of_each_position_beside_one_that_can(
        soffice: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As when a template or LibreOffice drops the marks where positions start: the
    first unit's combined PDF cannot be cut, the second's can."""
    real_cut, real_convert = pdf.cut, pdf.convert
    cut: list[list[str]] = []
    given: list[str] = []

    def first_uncuttable(data: bytes, titles: list[str]) -> list[bytes] | None:
        cut.append(titles)
        return None if len(cut) == 1 else real_cut(data, titles)

    def recording(documents: list[Path], jobs: int = 1, *, large: bool = False) -> list[bytes]:
        given.extend(path.name for path in documents)
        return real_convert(documents, jobs, large=large)

    monkeypatch.setattr(pdf, "cut", first_uncuttable)
    monkeypatch.setattr(pdf, "convert", recording)
    first, second = generate([units_folder(tmp_path, 2, 2)], output=tmp_path / "out", pdf=True)
    assert len(cut) == 2
    assert sorted(given) == sorted(  # each document once: the second unit's positions never
        [*(document.file for document in first.documents), second.documents[-1].file])
    for outcome in (first, second):
        assert len(outcome.pdfs) == 3
        for document, name in zip(outcome.documents, outcome.pdfs, strict=True):
            path = outcome.folder / name
            meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True,
                                  text=True, check=True).stdout
            assert "<pdfaid:part>2</pdfaid:part>" in meta, name
            assert "<pdfaid:conformance>B</pdfaid:conformance>" in meta, name
            if document.jabatan:
                assert re.sub(r"[\s-]+", "", document.jabatan) in pdf_text(path), name
        assert all(check.ok for check in audit.verify(outcome.folder))
