"""Positions rendered in several processes: the same files as one process makes, in
order, with the 'fork' and the 'spawn' start method; errors come back whole; the
progress of a run is shown on a terminal only."""
from __future__ import annotations

import gc
import hashlib
import io
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, SAMPLE, edit_template, repeated_sample, tree_snapshot

from ikidoc import context, parallel, templates, workers
from ikidoc.cli import _ProgressBar, cli
from ikidoc.errors import DataError, PdfError, Problem, TemplateCheckError, TemplateError
from ikidoc.generate import generate
from ikidoc.model import UnitKerja
from ikidoc.render import CompiledTemplate

METHOD = multiprocessing.get_start_method()
ENOUGH = 2 * workers.MIN_PER_PROCESS[METHOD]  # positions that two processes share


@pytest.mark.parametrize(("jobs", "documents", "method", "processes"), [
    (1, 10_000, "fork", 0),  # -j 1: always here
    (2, 199, "fork", 0),  # too few for two
    (2, 200, "fork", 2),
    (8, 450, "fork", 4),  # no more processes than pay for their start
    (2, 1999, "spawn", 0),  # a spawned worker costs more to start
    (2, 2000, "spawn", 2),
    (2, 2000, "forkserver", 2),
])
def test_uses_processes_only_when_each_gets_enough_documents(jobs: int, documents: int, method: str,
                                                             processes: int) -> None:
    assert workers.processes(jobs, documents, method) == processes


@pytest.fixture(scope="module")
def large() -> tuple[CompiledTemplate, UnitKerja, dict[str, Any]]:
    unit = repeated_sample(ENOUGH)
    return CompiledTemplate(templates.resolve("iki")), unit, context.for_unit(unit)


def digest(documents: Iterable[bytes]) -> str:
    return hashlib.sha256(b"".join(hashlib.sha256(d).digest() for d in documents)).hexdigest()


def rendered(compiled: CompiledTemplate, units: list[UnitKerja], jobs: int,
             folder: Path) -> list[list[bytes]]:
    """The files of each unit as parallel.Documents writes them into ``folder``/<n>,
    each as its written record says (name, sha256, size)."""
    work = []
    for number, unit in enumerate(units):
        (folder / str(number)).mkdir(parents=True)
        names = [f"{index}.docx" for index in range(len(unit.jabatan))] \
            if compiled.scope == "jabatan" else []
        work.append(parallel.Unit(unit, None, folder / str(number), [*names, "all.docx"]))
    with parallel.Documents(compiled, work, jobs) as documents:
        written = [list(documents.of(index)) for index in range(len(work))]
    made = []
    for unit, files in zip(work, written, strict=True):
        assert [file.path for file in files] == list(unit.names)
        blobs = [(unit.folder / file.path).read_bytes() for file in files]
        assert [(hashlib.sha256(blob).hexdigest(), len(blob)) for blob in blobs] == [
            (file.sha256, file.bytes) for file in files]
        made.append(blobs)
    return made


def test_two_processes_make_the_documents_of_one_in_order(
        large: tuple[CompiledTemplate, UnitKerja, dict[str, Any]], tmp_path: Path) -> None:
    compiled, unit, dokumen = large
    assert workers.processes(2, len(unit.jabatan), METHOD) == 2
    one = [compiled.position(unit, dokumen, index) for index in range(len(unit.jabatan))]
    assert rendered(compiled, [unit], 2, tmp_path) == [[*one, compiled.combined(unit, dokumen)]]


def test_small_units_together_share_the_processes_and_each_gets_its_own_documents(
        large: tuple[CompiledTemplate, UnitKerja, dict[str, Any]], tmp_path: Path) -> None:
    """Units too small for a process each (a kabupaten's hundred Puskesmas), one of
    them large enough to be shared out in ranges."""
    compiled = large[0]
    units = [repeated_sample(count) for count in (30, 1, 45, parallel.WHOLE + 30, 75)]
    with parallel.Documents(compiled, [parallel.Unit(unit, None, tmp_path, ["x"])
                                       for unit in units], jobs=2) as documents:
        assert documents.processes() == 2
    made = rendered(compiled, units, 2, tmp_path / "two")
    assert made == rendered(compiled, units, 1, tmp_path / "one")
    assert [len(files) for files in made] == [31, 2, 46, parallel.WHOLE + 31, 76]


def test_a_template_of_one_document_per_unit_is_shared_out_by_its_documents_not_positions(
        large: tuple[CompiledTemplate, UnitKerja, dict[str, Any]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """keputusan-iki makes one document of a unit however many positions it has: a unit
    of hundreds of positions is one document, which a second process cannot share, while
    units of few positions each, enough of them, are."""
    monkeypatch.setitem(workers.MIN_PER_PROCESS, METHOD, 4)  # 8 documents pay for two
    keputusan = CompiledTemplate(templates.resolve("keputusan-iki"))
    unit, dokumen = large[1], large[2]
    with parallel.Documents(keputusan, [parallel.Unit(unit, None, tmp_path, ["all.docx"])],
                            jobs=2) as documents:
        assert documents.processes() == 0
        [written] = documents.of(0)
    assert (tmp_path / written.path).read_bytes() == keputusan.combined(unit, dokumen)
    small = [repeated_sample(count) for count in (1, 2, 3, 1, 2, 1, 3, 2)]
    folders = [tmp_path / f"unit{number}" for number in range(len(small))]
    for folder in folders:
        folder.mkdir()
    with parallel.Documents(keputusan, [parallel.Unit(each, None, folder, ["all.docx"])
                                        for each, folder in zip(small, folders, strict=True)],
                            jobs=2) as documents:
        assert documents.processes() == 2
        made = [list(documents.of(index)) for index in range(len(small))]
    assert [[file.path for file in files] for files in made] == [["all.docx"]] * len(small)
    for each, folder in zip(small, folders, strict=True):
        assert (folder / "all.docx").read_bytes() == keputusan.combined(
            each, context.for_unit(each))


SPAWNED = """
    import hashlib, multiprocessing, sys, tempfile
    from pathlib import Path
    from conftest import repeated_sample
    from ikidoc import parallel, templates, workers
    from ikidoc.render import CompiledTemplate

    if __name__ == "__main__":
        multiprocessing.set_start_method("spawn")
        unit = repeated_sample(int(sys.argv[1]))
        assert workers.processes(2, len(unit.jabatan), "spawn") == 2
        folder = Path(tempfile.mkdtemp())
        names = [f"{index}.docx" for index in range(len(unit.jabatan))] + ["all.docx"]
        with parallel.Documents(CompiledTemplate(templates.resolve("iki")),
                                [parallel.Unit(unit, None, folder, names)], jobs=2) as made:
            written = list(made.of(0))[:-1]
        documents = [(folder / file.path).read_bytes() for file in written]
        print(hashlib.sha256(b"".join(hashlib.sha256(d).digest() for d in documents)).hexdigest())
"""


def test_spawned_processes_make_the_same_documents(tmp_path: Path) -> None:
    """Windows and macOS start workers with 'spawn': a fresh interpreter each, sent the
    template and the unit by pickling."""
    positions = 2 * workers.MIN_PER_PROCESS["spawn"]
    script = tmp_path / "spawned.py"
    script.write_text(textwrap.dedent(SPAWNED), encoding="utf-8")
    path = os.pathsep.join([str(REPO), str(REPO / "tests")])
    run = subprocess.run([sys.executable, str(script), str(positions)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": path}, timeout=300,
                         check=False)
    assert run.returncode == 0, run.stderr
    unit = repeated_sample(positions)
    compiled, dokumen = CompiledTemplate(templates.resolve("iki")), context.for_unit(unit)
    one = (compiled.position(unit, dokumen, index) for index in range(positions))
    assert run.stdout.strip() == digest(one)


def test_a_workers_template_error_reaches_the_caller_whole(iki_copy: Path, tmp_path: Path) -> None:
    edit_template(iki_copy, "{{ jabatan.nama }}", "{{ jabatan.nama }}{{ jabatan.tambahan.kode }}")
    unit = repeated_sample(ENOUGH)
    compiled = CompiledTemplate(templates.read(iki_copy, "path"))
    with pytest.raises(TemplateError) as caught:
        rendered(compiled, [unit], 2, tmp_path / "out")
    assert str(caught.value.where).startswith("word/document.xml, paragraph 5: 'Jabatan:")
    assert "has no attribute 'kode'" in str(caught.value.detail)


@pytest.mark.parametrize("error", [
    TemplateError(template="t/template.docx", where="word/document.xml", detail="cannot render"),
    TemplateCheckError(template="t", findings=[("table 1, row 3", "a tag is not closed")]),
    DataError([Problem("unit.yaml", "required field is missing", line=3, path="unit_kerja")]),
    PdfError(detail="LibreOffice timed out", hint="try again", written=["output/unit/r1"]),
])
def test_errors_pickle_with_their_facts(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and copy.__dict__ == error.__dict__ and str(copy) == str(error)


@pytest.fixture(scope="module")
def large_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["jabatan"] = [jab.model_dump(exclude_none=True, mode="json")
                       for jab in repeated_sample(ENOUGH).jabatan]
    path = tmp_path_factory.mktemp("data") / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_generate_writes_the_same_revision_with_any_jobs(large_data: Path, tmp_path: Path) -> None:
    told: list[tuple[str, int, int]] = []
    [one] = generate([large_data], output=tmp_path / "one", jobs=1)
    [two] = generate([large_data], output=tmp_path / "two", jobs=2,
                     progress=lambda unit, done, total: told.append((unit, done, total)))
    files = tree_snapshot(one.folder)
    manifest = json.loads(files.pop("manifest.json"))
    assert len(files) == ENOUGH + 1
    assert tree_snapshot(two.folder) | {"manifest.json": b""} == files | {"manifest.json": b""}
    assert json.loads((two.folder / "manifest.json").read_bytes())["files"] == manifest["files"]
    assert told == [(one.unit_kerja, done, ENOUGH + 1) for done in range(1, ENOUGH + 2)]


def test_quiet_prints_one_line_per_unit_and_no_progress(large_data: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(large_data), "-o", str(tmp_path / "out"),
                                      "-j", "2", "-q"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "bagian-administrasi-perekonomian-2025" / "r1"
    assert result.stdout == (f"Bagian Administrasi Perekonomian: wrote {ENOUGH + 1} documents to "
                             f"{folder} (template iki 1.1.0)\n")
    assert result.stderr == ""


def test_jobs_must_be_a_positive_number(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(SAMPLE), "-o", str(tmp_path), "-j", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1." in result.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_each_unit_on_a_terminal_once_the_run_is_slow() -> None:
    terminal = Terminal()
    with _ProgressBar(terminal, delay=0) as bar:
        for done in (1, 2, 3):
            bar("Bagian Umum", done, 3)
        bar("Bagian Hukum", 1, 2)
    shown = terminal.getvalue()
    assert "Bagian Umum" in shown and "3/3" in shown
    assert "Bagian Hukum" in shown and "1/2" in shown
    assert shown.endswith("\n")  # the last bar's line is finished before anything else prints


def test_progress_bar_stays_away_from_a_quick_run() -> None:
    terminal = Terminal()
    with _ProgressBar(terminal, delay=60) as bar:
        bar("Bagian Umum", 1, 3)
    assert terminal.getvalue() == ""


def test_many_small_unit_files_written_with_two_jobs_are_the_files_of_one(
        tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for number in range(1, 9):
        data = dict(sample, unit_kerja=f"Puskesmas Kecamatan {number}")
        data["jabatan"] = [jab.model_dump(exclude_none=True, mode="json")
                           for jab in repeated_sample(25 + number).jabatan]
        (folder / f"unit-{number}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                    encoding="utf-8")
    one = generate([folder], output=tmp_path / "one", jobs=1)
    two = generate([folder], output=tmp_path / "two", jobs=2)
    assert [len(outcome.documents) for outcome in two] == [number + 26 for number in range(1, 9)]
    for first, second in zip(one, two, strict=True):
        files = tree_snapshot(first.folder)
        files.pop("manifest.json")
        assert tree_snapshot(second.folder) | {"manifest.json": b""} == files | {
            "manifest.json": b""}


def test_the_page_generates_with_as_many_processes_as_the_cpus_and_tells_its_steps(
        large_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the command line does by default; the page shows the step it is in."""
    from ikidoc.web import jobs as web_jobs
    from ikidoc.web.uploads import Upload

    monkeypatch.setattr(web_jobs, "available_cpus", lambda: 2)
    told: list[tuple[str | None, int]] = []
    original = web_jobs.Job.progress

    def progress(job: web_jobs.Job, unit: str, done: int, total: int) -> None:
        original(job, unit, done, total)
        workers = multiprocessing.active_children()
        told.append((job.status()["step"], len(workers)))

    monkeypatch.setattr(web_jobs.Job, "progress", progress)
    upload = Upload("id", tmp_path, data_file=large_data)
    runner = web_jobs.Jobs()
    job = runner.start(upload, templates.resolve("iki").folder, "iki 1.0.1", tmp_path / "out",
                       pdf=False)
    runner.close()
    assert job.state == "selesai", job.failure or job.error
    assert {step for step, _ in told} == {"docx"} and max(n for _, n in told) == 2


def unit_folder(folder: Path, sizes: list[int]) -> Path:
    """A folder of one data file per size, each a unit (Puskesmas N) of that many positions."""
    folder.mkdir()
    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for number, size in enumerate(sizes, start=1):
        data = dict(sample, unit_kerja=f"Puskesmas Kecamatan {number}")
        data["jabatan"] = [jab.model_dump(exclude_none=True, mode="json")
                           for jab in repeated_sample(size).jabatan]
        (folder / f"unit-{number}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                    encoding="utf-8")
    return folder


def archive_snapshot(output: Path) -> dict[str, Any]:
    """Every file of an output folder with its bytes; each manifest read, its date left out
    (the only thing two runs of the same data differ in), and so its checksum, which
    covers the date."""
    files: dict[str, Any] = {}
    for name, blob in tree_snapshot(output).items():
        if name.endswith("manifest.json"):
            manifest = json.loads(blob)
            assert manifest.pop("created") and manifest.pop("checksum")
            files[name] = manifest
        elif not name.endswith(".lock"):
            files[name] = blob
    return files


@pytest.fixture
def read_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data files read in worker processes however small, each reader's process id
    written to the file returned (forked workers inherit the spy)."""
    from ikidoc import load

    monkeypatch.setattr(workers, "BYTES_PER_DOCUMENT", 1)
    readers = tmp_path / "readers"
    original = load.load_file

    def spy(path: Path) -> Any:
        with readers.open("a", encoding="utf-8") as record:
            record.write(f"{os.getpid()}\n")
        return original(path)

    monkeypatch.setattr(load, "load_file", spy)
    return readers


def test_two_jobs_write_the_archive_of_one_byte_for_byte(large_data: Path, tmp_path: Path,
                                                         read_in: Path) -> None:
    """One large unit shared out in ranges, and eight small units read side by side and
    rendered a unit a task: every file, every manifest (but its date) the same."""
    several = unit_folder(tmp_path / "data", [25 + number for number in range(1, 9)])
    for data in (large_data, several):
        one, two = tmp_path / data.name / "one", tmp_path / data.name / "two"
        generate([data], output=one, jobs=1)
        readers = read_in.read_text(encoding="utf-8").split() if read_in.exists() else []
        read_in.unlink(missing_ok=True)
        generate([data], output=two, jobs=2)
        assert archive_snapshot(one) == archive_snapshot(two)
        assert len(archive_snapshot(two)) > 100
        if data == several and METHOD == "fork":
            assert set(readers) == {str(os.getpid())}  # -j 1 reads them here
            assert str(os.getpid()) not in read_in.read_text(encoding="utf-8").split()


def test_a_failing_position_with_two_jobs_writes_nothing(iki_copy: Path, large_data: Path,
                                                         tmp_path: Path) -> None:
    """Position 150 of 200 cannot be rendered: the other worker's files, already written
    into the staged revision, go with it."""
    edit_template(iki_copy, "{{ jabatan.nama }}",
                  "{{ jabatan.nama }}{{ 1 // (jabatan.nomor - 150) }}")
    output = tmp_path / "output"
    generate([SAMPLE], output=output)
    before = tree_snapshot(output)
    failures = []
    for jobs in (1, 2):
        with pytest.raises(TemplateError) as caught:
            generate([large_data], template=str(iki_copy), output=output, jobs=jobs)
        failures.append(caught.value.message())
        assert tree_snapshot(output) == before
        assert not list(output.rglob(".ikidoc-*"))
    assert failures[0] == failures[1]
    assert "cannot compute: integer division or modulo by zero" in str(failures[1])


def test_bad_units_among_several_read_side_by_side_report_every_problem_in_order(
        tmp_path: Path, read_in: Path) -> None:
    folder = unit_folder(tmp_path / "data", [20] * 6)
    for name, old, new in [("unit-2.yaml", "formulasi:", "formulasii:"),
                           ("unit-5.yaml", "nama: ", "nama: [never closed "),
                           ("unit-6.yaml", "tahun: 2025", "tahun: dua ribu")]:
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    said = []
    for jobs in (1, 2):
        read_in.unlink(missing_ok=True)
        with pytest.raises(DataError) as caught:
            generate([folder], output=tmp_path / "output", jobs=jobs)
        said.append([str(problem) for problem in caught.value.problems])
        assert not (tmp_path / "output").exists()
    assert said[0] == said[1]
    assert [problem.split(":")[0] for problem in said[1]] == [
        str(folder / name) for name in ("unit-2.yaml", "unit-5.yaml", "unit-6.yaml")]
    if METHOD == "fork":
        assert str(os.getpid()) not in read_in.read_text(encoding="utf-8").split()


@pytest.mark.parametrize("enabled", [True, False])
def test_generate_leaves_the_garbage_collector_as_it_found_it(large_data: Path, tmp_path: Path,
                                                              enabled: bool) -> None:
    """generate turns Python's collector off while it reads, and freezes the data for the
    workers it forks: a program calling it (the page) keeps its own setting."""
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        generate([large_data], output=tmp_path / "out", jobs=2)
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()


def test_two_jobs_write_only_the_units_that_changed(tmp_path: Path) -> None:
    """Among eight units, the one whose data changed gets its next revision, with the
    files -j 1 writes; the others keep their newest one, unchanged. (The new manifest
    records the sha256 of the one before, which holds its own date.)"""
    folder = unit_folder(tmp_path / "data", [30] * 8)
    outputs = [tmp_path / "one", tmp_path / "two"]
    for output in outputs:
        generate([folder], output=output, jobs=2)
    changed = folder / "unit-3.yaml"
    data = yaml.safe_load(changed.read_text(encoding="utf-8"))
    data["jabatan"][0]["nama"] += " Baru"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for output, jobs in zip(outputs, (1, 2), strict=True):
        outcomes = generate([folder], output=output, jobs=jobs)
        assert [(outcome.changed, outcome.folder.name) for outcome in outcomes] == [
            (number == 3, "r2" if number == 3 else "r1") for number in range(1, 9)]
    one, two = (archive_snapshot(output) for output in outputs)
    new = "puskesmas-kecamatan-3-2025/r2/manifest.json"
    assert one[new].pop("previous")["revision"] == two[new].pop("previous")["revision"] == "r1"
    assert one == two
