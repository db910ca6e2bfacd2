"""The routes of the local web page (``ikidoc serve``): Buat IKI, Arsip, Template, Mulai.

Each route reads a form, calls the library exactly as the command line does and
renders a page; no rule of ikidoc lives here. Errors of ikidoc become messages on the
page in one place (``_ikidoc_error``), never tracebacks.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import http
import os
import re
import threading
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ikidoc import __version__, archive, audit, formats, letterhead, starter, templates
from ikidoc.audit_text import (
    change_message,
    difference_messages,
    finding_message,
    uncompared_message,
)
from ikidoc.defaults import OUTPUT, TEMPLATES
from ikidoc.errors import Choice, DataError, IkidocError, PdfError, Problem, TemplateCheckError
from ikidoc.importers.draft import NO_UNIT
from ikidoc.messages import Message, word
from ikidoc.template_install import check_apart, free_name, gather, install, made_from
from ikidoc.web import downloads, marked, previews
from ikidoc.web.downloads import MEDIA_TYPES, RevisionRef
from ikidoc.web.guard import Guard
from ikidoc.web.jobs import Jobs
from ikidoc.web.uploads import (
    DOCUMENT_FIELDS,
    LABELS,
    PAGE_SUFFIXES,
    Chosen,
    TemplateUpload,
    Upload,
    Uploads,
    fields_of,
    read_data,
)

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TEMPLATES_ROOT = TEMPLATES  # local templates, where ``ikidoc templates new`` puts them
_UPLOAD_GONE = ("Unggahan ini tidak ada lagi (sudah dipakai, lebih dari satu jam, atau halaman "
                "ikidoc dijalankan ulang). Unggah berkasnya lagi.")
# The page's words for the switches of the bundled templates (a template's own switch
# shows its name).
SWITCH_LABELS = {
    "kop": "Cetak kop surat (dari data) di atas judul",
    "baris_nomor": "Cetak baris nomor kolom (1) (2) (3) ... di bawah judul tabel",
    "ttd_pemangku": "Cetak tanda tangan pemangku jabatan di samping penanda tangan",
}
_FIELD_ROOTS = {"instansi", "induk", "unit_kerja", "tahun", "tempat", "tanggal", "penandatangan"}
_STATUS_TEXT = {404: "Halaman atau berkas ini tidak ada.",
                405: "Halaman ini tidak menerima permintaan seperti itu; di sini tidak ada yang "
                     "dapat dihapus atau ditimpa."}


@dataclass(frozen=True)
class FileRow:
    """A document of a revision as the page lists it, with its PDF/A when there is one."""

    file: archive.FileRecord
    pdf: archive.FileRecord | None


def file_rows(manifest: archive.RevisionManifest) -> list[FileRow]:
    pdfs = {record.pdf_of: record for record in manifest.pdfs}
    return [FileRow(record, pdfs.get(record.path))
            for record in manifest.files if not record.pdf_of]


class Site:
    """The pages of one server: its archive folder, uploads waiting and jobs running."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.uploads = Uploads()
        self.jobs = Jobs()
        self.checked = Checked()
        self._installing = asyncio.Lock()  # one installation at a time, each once
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "pages"), autoescape=True,
                                 undefined=jinja2.StrictUndefined)
        env.filters.update(waktu=_when, ukuran=_size, tanggal=formats.tanggal,
                           temuan=lambda found: _indonesian(finding_message(found)),
                           perubahan=lambda item: _indonesian(change_message(item)),
                           nilai_berubah=lambda found: [_indonesian(said) for said
                                                        in difference_messages(_on_page(found))],
                           tak_dibanding=lambda found: _indonesian(uncompared_message(found)),
                           kata=_indonesian)
        env.globals.update(version=__version__, RevisionRef=RevisionRef, file_rows=file_rows,
                           isian_dokumen=DOCUMENT_FIELDS, berjalan=self.jobs.running,
                           milik_sendiri=_own_jobs,
                           akhiran=", ".join(PAGE_SUFFIXES),
                           label_sakelar=SWITCH_LABELS, salinan_dari=made_from,
                           semua_isian=[(key, label, False) for key, label in DOCUMENT_FIELDS],
                           lembar_tabel=starter.TABLE_SHEET)
        self.pages = Jinja2Templates(env=env)

    def page(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        """A page, never kept by the browser: Back asks again, so it shows what is now (an
        upload already generated from shows its run)."""
        response = self.pages.TemplateResponse(request, name, values, status_code=status)
        response.headers["cache-control"] = "no-store"
        return response

    def template_named(self, name: str) -> templates.Template | None:
        """The template the page's list offers under ``name`` (None for another name)."""
        return _chosen_of(_template_list()).get(name)

    def message(self, request: Request, status: int, text: str) -> Response:
        return self.page(request, "galat.html", status, pesan=text)

    # Buat IKI

    async def buat(self, request: Request) -> Response:
        return self.page(request, "buat.html", **self._buat_values(request))

    async def periksa_data(self, request: Request) -> Response:
        """Read the uploaded file, then send the browser to its result's own address: a
        refresh or Back shows the result again instead of sending the file again."""
        async with request.form() as form:
            upload = self.uploads.new()
            files = await run_in_threadpool(_save, upload, form.getlist("berkas")[:1])
            earlier = self.uploads.get(str(form.get("dari", "")))
        if not files:
            self.uploads.remove(upload)
            return self.page(request, "buat.html", 400, pesan="Pilih dulu berkas yang akan "
                             "diunggah.", **self._buat_values(request))
        upload.original, upload.empty = files[0], files[0].stat().st_size == 0
        if earlier is not None:  # the file corrected: what was typed on its page still holds
            upload.fields, upload.chosen = dict(earlier.fields), earlier.chosen
        await run_in_threadpool(self._read, upload)
        return RedirectResponse(request.url_for("hasil", upload_id=upload.id), status_code=303)

    def _read(self, upload: Upload) -> None:
        """Read (again) the upload with the fields given on the page; keep its files only
        while the page may still ask for something."""
        try:
            upload.source, upload.error = read_data(upload, upload.fields), None
        except DataError as error:
            upload.source, upload.error = None, error
            upload.fields_given()  # while its file is there: the form shows them
            # kept while the page offers its fields form again (fields typed), a choice, or
            # the workbook back with its mistakes marked
            if (not _askable(upload, error) and _column_choice(error) is None and not upload.fields
                    and not marked.offered(upload)):
                self.uploads.release(upload)
        except IkidocError:
            self.uploads.remove(upload)
            raise

    async def hasil(self, request: Request) -> Response:
        """What reading an upload gave: every problem, or its positions and the choice of
        template; the document fields it lacks, and those the template chosen requires."""
        upload = self.uploads.get(request.path_params["upload_id"])
        if upload is None:
            raise HTTPException(404, _UPLOAD_GONE)
        values: dict[str, Any] = {"unggahan": upload, "nama_berkas": upload.name,
                                  "isian": fields_of(upload), **self._buat_values(request),
                                  "proses": self.jobs.get(upload.job) if upload.job else None}
        if upload.error is not None:
            problems = upload.error.problems
            values["masalah"] = upload.problem_rows(upload.error)
            values["tanya"] = _askable(upload, upload.error)
            values["di_tabel"] = not all(_about_the_document(upload, found) for found in problems)
            values["salah"] = _wrong_fields(upload, upload.error)
            values["diketik"] = all(upload.typed(found) for found in problems)
            values["pilihan_kolom"] = _column_choice(upload.error)
            values["ditandai"] = marked.offered(upload)
        else:
            values["sumber"] = upload.source
            offered = _choice(request)
            values["minta"] = {name: bool(_asked(upload, template))
                               for name, template in offered.items()}
            values["kolom_kurang"] = {name: _row_fields(upload, template)
                                      for name, template in offered.items()}
            values["asal"] = _source_kind(upload)
            kept = upload.chosen
            name = request.query_params.get("template") or (kept.template if kept else "iki")
            chosen = offered.get(name) or offered.get("iki")
            if chosen is not None:
                values["dipilih"] = chosen
                values["diminta"] = _asked(upload, chosen)
            values["kurang"] = request.query_params.get("kurang") == "ya"
            # a template just chosen that asks for fields: the first of them has the focus
            values["fokus"] = "template" in request.query_params and not values["kurang"]
            values["pdf_dicentang"] = kept.pdf if kept else True
            values["sakelar_dicentang"] = (kept.switches if kept else
                                           previews.default_ticks(offered.values()))
        return self.page(request, "buat.html", **values)

    async def isi(self, request: Request) -> Response:
        """Take the document fields typed on the page and read the upload again with them."""
        upload = self._waiting(request)
        async with request.form() as form:
            given = {str(key): str(value) for key, value in form.multi_items()
                     if str(key) in _FORM_KEYS or str(key).startswith("tambahan_")}
        upload.fields.update(given)
        await run_in_threadpool(self._read, upload)
        return RedirectResponse(request.url_for("hasil", upload_id=upload.id), status_code=303)

    async def mulai_buat(self, request: Request) -> Response:
        """Start generating from an upload that passed, once the template chosen has every
        field it requires (asked, beside each field, on the upload's page first); the page
        then polls the job. Every choice sent is kept for the page's next showing, and
        ``hanya_pilih`` only changes the template (the list changed), starting nothing."""
        upload = self._waiting(request)
        running = self.jobs.get(upload.job) if upload.job else None
        if running is not None and not running.finished:  # sent again: the same run
            return RedirectResponse(request.url_for("proses", job_id=running.id), status_code=303)
        async with request.form() as form:
            name, want_pdf = str(form.get("template", "")), form.get("pdf") == "ya"
            ticked = frozenset(str(value) for value in form.getlist("sakelar"))
            given = {str(key): str(value) for key, value in form.multi_items()
                     if str(key) in _FORM_KEYS or str(key).startswith("tambahan_")}
            only_choosing = form.get("hanya_pilih") == "ya"
        chosen = _choice(request).get(name)
        if chosen is None:
            return self.message(request, 400, f"Template {name!r} tidak ada; pilih salah satu "
                                              "dari daftar.")
        upload.chosen = Chosen(name, want_pdf, ticked)
        shown = fields_of(upload)  # the form sends every field: only a change is typed
        given = {key: value for key, value in given.items() if value != shown.get(key, "")}
        if given:
            upload.fields.update(given)
            await run_in_threadpool(self._read, upload)
        result = request.url_for("hasil", upload_id=upload.id)
        if upload.source is None or upload.data_file is None:
            return RedirectResponse(result, status_code=303)
        if only_choosing:
            return RedirectResponse(result.include_query_params(template=name), status_code=303)
        if _asked(upload, chosen, missing_only=True) or _row_fields(upload, chosen):
            return RedirectResponse(result.include_query_params(template=name, kurang="ya"),
                                    status_code=303)
        settings = previews.ticked_settings(chosen, ticked)
        job = self.jobs.start(upload, chosen.folder.resolve(), chosen.label, self.output,
                              pdf=want_pdf and previews.has_libreoffice(), settings=settings)
        upload.job = job.id
        started = RedirectResponse(request.url_for("proses", job_id=job.id), status_code=303)
        mine = [job.id, *_own_jobs(request)][:_OWN_JOBS_KEPT]
        started.set_cookie(_OWN_JOBS, ".".join(mine), httponly=True, samesite="strict")
        return started

    async def unduh_data(self, request: Request) -> Response:
        """The data the page read (with the fields typed on it) as the Excel workbook that
        the page and ``ikidoc import`` read: the officer's next correction starts from it.
        While a workbook uploaded still has mistakes: that workbook, its mistakes marked."""
        upload = self.uploads.get(request.path_params["upload_id"])
        if upload is not None and upload.source is None and marked.offered(upload):
            book = await run_in_threadpool(marked.workbook, upload)
            stem = PureWindowsPath(upload.name).stem
            return _attachment(book, f"{archive.slug(stem, 'data')}-ditandai.xlsx")
        if upload is None or upload.source is None:
            raise HTTPException(404, _UPLOAD_GONE)
        unit = upload.source.unit
        try:
            logo = letterhead.read_logo(upload.source)
        except DataError:
            logo = None  # the workbook then names the file, as the data does
        workbook = await run_in_threadpool(starter.workbook_bytes,
                                           unit.model_dump(mode="json", exclude_none=True),
                                           logo.data if logo else None)
        return _attachment(workbook, f"{archive.slug(unit.unit_kerja, 'data')}.xlsx")

    def _waiting(self, request: Request) -> Upload:
        upload = self.uploads.get(request.path_params["upload_id"])
        if upload is None or upload.original is None or not upload.original.is_file():
            raise HTTPException(404, _UPLOAD_GONE)  # its files served, or expired
        return upload

    async def proses(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["job_id"])
        if job is None:
            return self.message(request, 404, "Proses ini tidak dikenal (halaman ikidoc mungkin "
                                              "sudah dijalankan ulang). Lihat hasilnya di "
                                              "Arsip.")
        values: dict[str, Any] = {"job": job}
        if isinstance(job.error, DataError):
            values["masalah"] = job.upload.problem_rows(job.error)
        if isinstance(job.error, PdfError):
            values["revisi"] = [audit.show(Path(folder)) for folder in job.error.written]
        if job.state == "selesai":
            values["hasil"] = [(outcome, audit.show(outcome.folder)) for outcome in job.outcomes]
            values["ada_pdf"] = previews.has_libreoffice()  # offered again when not made
        return self.page(request, "proses.html", **values)

    async def status(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["job_id"])
        if job is None:
            return JSONResponse({"state": "tidak dikenal", "finished": True}, status_code=404)
        return JSONResponse(job.status())

    def _buat_values(self, request: Request) -> dict[str, Any]:
        return {"pilihan": list(_choice(request).values()),
                "ada_pdf": previews.has_libreoffice()}

    # Arsip

    async def arsip(self, request: Request) -> Response:
        """Every unit and revision, those matching the search (every word in the unit's
        name, instansi, positions or year), each with its verification: done again only
        when its files changed, or on request."""
        wanted = request.query_params.get("cari", "").strip()
        again = request.query_params.get("periksa") == "ulang"
        found, checks = await run_in_threadpool(self._archive, wanted, again)
        return self.page(request, "arsip.html", units=found, checks=checks, output=self.output,
                         cari=wanted)

    def _archive(self, wanted: str, again: bool,
                 ) -> tuple[list[Found], dict[RevisionRef, audit.RevisionCheck]]:
        if not self.output.is_dir():
            return [], {}
        words = _search_words(wanted)
        found = [match for unit in audit.list_units(self.output)
                 if (match := _search(unit, words)) is not None]
        folders = [summary.folder for match in found for summary in match.unit.revisions]
        return found, {RevisionRef.of(folder): self.checked.of(folder, again)
                       for folder in folders}

    async def revisi(self, request: Request) -> Response:
        folder = self._revision(request)
        view = await run_in_threadpool(audit.show, folder)
        check = await run_in_threadpool(self.checked.of, folder,
                                        request.query_params.get("periksa") == "ulang")
        made = self.jobs.made(folder)
        return self.page(request, "revisi.html", view=view, check=check,
                         diunggah=made.upload.name if made is not None else "")

    async def unduh_berkas(self, request: Request) -> Response:
        folder = self._revision(request)
        name = request.path_params["name"]
        path = downloads.listed_file(folder, archive.load_manifest(folder), name)
        if path is None:
            raise HTTPException(404, f"Revisi ini tidak mencatat berkas {name!r}.")
        return FileResponse(path, filename=_download_name(folder, name),
                            media_type=MEDIA_TYPES.get(path.suffix))

    async def unduh_zip(self, request: Request) -> Response:
        folder = self._revision(request)
        data = await run_in_threadpool(downloads.revision_zip, folder)
        return _attachment(data, f"{folder.parent.name}-{folder.name}.zip")

    def _revision(self, request: Request) -> Path:
        ref = RevisionRef(request.path_params["unit"], request.path_params["revision"])
        folder = downloads.revision_folder(self.output, ref)
        if folder is None:
            raise HTTPException(404, f"Revisi {ref.unit}/{ref.revision} tidak ada di arsip.")
        return folder

    # Template

    async def template(self, request: Request) -> Response:
        return self.page(request, "template.html", daftar=_listed(request))

    async def unduh_template(self, request: Request) -> Response:
        chosen = _choice(request).get(request.path_params["name"])
        kind = request.path_params["kind"]
        if chosen is None or kind not in ("zip", "docx"):
            raise HTTPException(404, "Template ini tidak ada.")
        if kind == "docx":
            docx = await run_in_threadpool(downloads.template_docx, chosen)
            return _attachment(docx, f"{chosen.manifest.name}.docx")
        return _attachment(downloads.template_zip(chosen), f"{chosen.manifest.name}.zip")

    async def periksa_template(self, request: Request) -> Response:
        """Check an uploaded template in the sandbox, then send the browser to its result's
        own address: refresh and Back show the result, never send the files again."""
        async with request.form() as form:
            upload = self.uploads.new()
            files = await run_in_threadpool(_save, upload, form.getlist("berkas"))
        upload.template = outcome = TemplateUpload()
        try:
            chosen = await run_in_threadpool(gather, files, upload.folder / "template",
                                             upload.names)
            outcome.report = await run_in_threadpool(check_apart, chosen)
        except TemplateCheckError as error:
            outcome.findings = error.findings
        except IkidocError as error:
            outcome.refusal = error.word("id")
        if outcome.report is None:
            self.uploads.release(upload)  # nothing to install: only its page is kept
        else:
            name = outcome.report.template.manifest.name
            free = await run_in_threadpool(free_name, name, TEMPLATES_ROOT)
            outcome.free_name = free if free != name else None
        return RedirectResponse(request.url_for("hasil_template", upload_id=upload.id),
                                status_code=303)

    async def hasil_template(self, request: Request) -> Response:
        """An uploaded template's check, or its installation once done (also on refresh)."""
        upload = self.uploads.get(request.path_params["upload_id"])
        if upload is None or upload.template is None:
            raise HTTPException(404, _UPLOAD_GONE)
        outcome = upload.template
        values: dict[str, Any] = {"daftar": _listed(request)}
        if outcome.installed is not None:
            values["terpasang"] = outcome.installed
        elif outcome.report is not None:
            values.update(laporan=outcome.report, unggahan=upload, nama_baru=outcome.free_name)
        elif outcome.findings:
            values["temuan"] = outcome.findings
        else:
            values["pesan"] = outcome.refusal
        status = 400 if outcome.findings or outcome.refusal else 200
        return self.page(request, "template.html", status, **values)

    async def pasang_template(self, request: Request) -> Response:
        """Install the checked template, under the free name offered when its own is taken;
        sent again (Back, then the button), it shows the installation already done."""
        upload = self.uploads.get(request.path_params["upload_id"])
        if upload is None or upload.template is None or upload.template.report is None:
            raise HTTPException(404, _UPLOAD_GONE)
        outcome = upload.template
        async with request.form() as form:
            name = str(form.get("nama", "")) or None
        async with self._installing:
            if outcome.installed is None and outcome.report is not None:
                try:
                    chosen = templates.read(upload.folder / "template", "path")
                    outcome.installed = await run_in_threadpool(install, chosen,
                                                                TEMPLATES_ROOT, name)
                except IkidocError as error:
                    outcome.report, outcome.refusal = None, error.word("id")
                self.uploads.release(upload)
        return RedirectResponse(request.url_for("hasil_template", upload_id=upload.id),
                                status_code=303)

    # Mulai

    async def mulai(self, request: Request) -> Response:
        return self.page(request, "mulai.html", nama=starter.DEFAULT_XLSX.name)

    async def unduh_mulai(self, request: Request) -> Response:
        workbook = await run_in_threadpool(starter.workbook_bytes)
        return _attachment(workbook, starter.DEFAULT_XLSX.name)

    # Errors, in one place

    async def _ikidoc_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, IkidocError)
        return self.message(request, 400, error.word("id"))

    async def _http_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        own = error.detail != http.HTTPStatus(error.status_code).phrase  # said by a route here
        text = error.detail if own else _STATUS_TEXT.get(error.status_code, error.detail)
        return self.message(request, error.status_code, text)

    async def _bug(self, request: Request, error: Exception) -> Response:
        return self.message(request, 500, "Terjadi kesalahan di dalam ikidoc (bukan pada data "
                                          f"Anda): {type(error).__name__}. Laporkan kepada petugas "
                                          "teknis beserta berkas yang diunggah.")

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(self.jobs.close)
            self.uploads.close()


def create_app(output: Path = OUTPUT, *, token: str | None = None,
               loopback_only: bool = True, max_upload: int = MAX_UPLOAD_BYTES) -> Starlette:
    """The web application over the archive ``output``.

    ``token``, when given, must come with every request (see guard.py); with
    ``loopback_only`` only requests addressed to this computer are served.
    """
    site = Site(output)
    get, post = ["GET"], ["POST"]
    routes = [
        Route("/", site.buat, methods=get, name="buat"),
        Route("/", site.periksa_data, methods=post),
        Route("/periksa/{upload_id}", site.hasil, methods=get, name="hasil"),
        Route("/periksa/{upload_id}/isian", site.isi, methods=post, name="isi"),
        Route("/periksa/{upload_id}/data.xlsx", site.unduh_data, methods=get, name="unduh_data"),
        Route("/buat/{upload_id}", site.mulai_buat, methods=post, name="mulai_buat"),
        Route("/proses/{job_id}", site.proses, methods=get, name="proses"),
        Route("/proses/{job_id}/status", site.status, methods=get, name="status"),
        Route("/arsip", site.arsip, methods=get, name="arsip"),
        Route("/arsip/{unit}/{revision}", site.revisi, methods=get, name="revisi"),
        Route("/arsip/{unit}/{revision}/unduh/{name}", site.unduh_berkas, methods=get,
              name="unduh_berkas"),
        Route("/arsip/{unit}/{revision}/semua.zip", site.unduh_zip, methods=get, name="unduh_zip"),
        Route("/template", site.template, methods=get, name="template"),
        Route("/template", site.periksa_template, methods=post),
        Route("/template/{name}/unduh.{kind:str}", site.unduh_template, methods=get,
              name="unduh_template"),
        Route("/template/periksa/{upload_id}", site.hasil_template, methods=get,
              name="hasil_template"),
        Route("/template/pasang/{upload_id}", site.pasang_template, methods=post,
              name="pasang_template"),
        Route("/mulai", site.mulai, methods=get, name="mulai"),
        Route("/mulai/unduh", site.unduh_mulai, methods=get, name="unduh_mulai"),
        *previews.routes(site),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    guard = Middleware(Guard, render=site.message, token=token, loopback_only=loopback_only,
                       max_body=max_upload)
    handlers = {IkidocError: site._ikidoc_error, HTTPException: site._http_error,
                Exception: site._bug}
    return Starlette(routes=routes, middleware=[guard], exception_handlers=handlers,
                     lifespan=site.lifespan)


def _save(upload: Upload, items: list[Any]) -> list[Path]:
    """Save the files of a form field (a form without a file sends an empty one)."""
    return [upload.save(item.filename, item.file) for item in items
            if isinstance(item, UploadFile) and item.filename]


def _template_list() -> list[tuple[templates.Template, bool]]:
    """Every template found, each with whether it is the one its name selects (local
    templates before bundled ones, as ``-t NAME`` and ``templates list`` do)."""
    return [(template, template.used) for template in templates.available(templates.local_roots())]


def _chosen_of(listed: list[tuple[templates.Template, bool]]) -> dict[str, templates.Template]:
    """The template each name selects."""
    return {template.manifest.name: template for template, used in listed if used}


def _listed(request: Request) -> list[tuple[templates.Template, bool]]:
    """_template_list, found once per request: a page asks for it several times (the
    list, the fields each template requires, the one chosen), and each time reads every
    template's manifest from the disk."""
    if not hasattr(request.state, "templates"):
        request.state.templates = _template_list()
    listed: list[tuple[templates.Template, bool]] = request.state.templates
    return listed


def _choice(request: Request) -> dict[str, templates.Template]:
    """The template each name selects, from the list found once per request."""
    return _chosen_of(_listed(request))


class Checked:
    """``archive verify`` of each revision, kept while nothing it depends on changed size
    or time: the revision's own files, its unit's folder (the revisions in it, unit.json)
    and the previous revision it records (whose manifest.json it names by hash). The
    Arsip page re-hashes a revision only when one of these moved (or when asked), not on
    every visit."""

    def __init__(self) -> None:
        self._kept: dict[Path, tuple[Stamp, Path | None, audit.RevisionCheck]] = {}
        self._lock = threading.Lock()

    def of(self, folder: Path, again: bool = False) -> audit.RevisionCheck:
        with self._lock:
            kept = self._kept.get(folder)
        if kept is not None and not again and kept[0] == _stamp(folder, kept[1]):
            return kept[2]
        previous = _previous(folder)
        stamp = _stamp(folder, previous)  # before the check: a change during it is seen next
        [check] = audit.checks(folder)
        with self._lock:
            self._kept[folder] = (stamp, previous, check)
        return check


Stamp = tuple[tuple[tuple[str, int, int], ...], ...]


def _previous(folder: Path) -> Path | None:
    """The folder of the revision ``folder`` records it was made after (None for a
    first revision, or a manifest that cannot be read: its check says why)."""
    try:
        recorded = archive.load_manifest(folder).previous
    except IkidocError:
        return None
    return folder.parent / recorded.revision if recorded is not None else None


def _stamp(folder: Path, previous: Path | None) -> Stamp:
    """The entries of what a revision's verification depends on, each with its size and
    modification time: its folder, its unit's folder and its previous revision's folder.
    The previous revision recorded stays the same while the revision's own manifest does."""
    own = archive.revision_number(folder) or 0
    return (_entries(folder), _entries(folder.parent, lambda name: _before(name, own)),
            *([_entries(previous)] if previous else []))


def _before(name: str, number: int) -> bool:
    """Whether a unit folder's entry bears on the check of revision ``number``: its
    unit.json and the revisions before it (the chain), not a later revision nor a run's
    lock or staging folder, so that a new revision does not make every older one
    checked again."""
    found = archive.revision_number(Path(name))
    return name == "unit.json" if found is None else found < number


def _entries(folder: Path, wanted: Callable[[str], bool] = lambda name: True,
             ) -> tuple[tuple[str, int, int], ...]:
    """Each entry of a folder (that ``wanted`` keeps) with its size and modification
    time."""
    entries = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if wanted(entry.name):
                facts = entry.stat(follow_symlinks=False)
                entries.append((entry.name, facts.st_size, facts.st_mtime_ns))
    return tuple(sorted(entries))


@dataclass(frozen=True)
class Found:
    """A unit the Arsip's search found, with its positions that hold a word searched for
    that the unit's own name, instansi and year do not."""

    unit: audit.UnitListing
    positions: list[str]


def _search(unit: audit.UnitListing, words: list[str]) -> Found | None:
    """The unit when every word searched for begins a word of its name, instansi, year or
    one of its positions, in any order, ignoring case and accents; None otherwise. The
    positions named are those that hold every word the unit's own names do not (each
    that holds one of them, when no position holds them all): "bidan terampil" names the
    Bidan Terampil, not every Perawat Terampil; "nomor 7" not "Nomor 17"."""
    made = [summary.manifest for summary in unit.revisions if summary.manifest is not None]
    own = [unit.folder.name.replace("-", " "), *(f"{m.unit_kerja} {m.tahun or ''}" for m in made)]
    if unit.identity is not None:
        own.append(f"{unit.identity.instansi or ''} {unit.identity.unit_kerja}")
    own_words = _search_words(" ".join(own))
    positions = list(dict.fromkeys(name for m in made for name in m.jabatan))
    held = {name: _search_words(name) for name in positions}
    if not all(_begins(word, own_words) or any(_begins(word, found) for found in held.values())
               for word in words):
        return None
    rest = [word for word in words if not _begins(word, own_words)]
    if not rest:
        return Found(unit, [])
    every = [name for name in positions if all(_begins(word, held[name]) for word in rest)]
    return Found(unit, every or [name for name in positions
                                 if any(_begins(word, held[name]) for word in rest)])


def _search_words(text: str) -> list[str]:
    """The words of a text as the search compares them (folded; split at anything that is
    not a letter or a digit)."""
    return re.findall(r"\w+", _folded(text))


def _begins(word: str, words: list[str]) -> bool:
    return any(found.startswith(word) for found in words)


def _folded(text: str) -> str:
    """Text as the search compares it: lower case, without accents ("Café" is "cafe")."""
    parts = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in parts if not unicodedata.combining(char))


# The runs started from this browser, newest first: the banner of a run says whose it is.
_OWN_JOBS = "ikidoc_proses"
_OWN_JOBS_KEPT = 20


def _own_jobs(request: Request) -> list[str]:
    return [job for job in request.cookies.get(_OWN_JOBS, "").split(".") if job]


_CHOSEN = "kolom_sasaran"  # the choice the page offers: which column is the SASARAN
_FORM_KEYS = {key for key, _ in DOCUMENT_FIELDS} | {_CHOSEN}


def _column_choice(error: DataError) -> Choice | None:
    """The SASARAN columns a Word document leaves to choose from (the first table's that
    does), which the page offers as a list: the pick reads the document again."""
    return next((problem.choice for problem in error.problems if problem.choice is not None
                 and problem.choice.kind == _CHOSEN and problem.choice.candidates), None)


def _askable(upload: Upload, error: DataError) -> bool:
    """Whether the page can mend the problems with its form of document fields: one of
    them lacks the unit's name or a document field, not only rows of the table. An empty
    file has nothing to mend by a form."""
    return not upload.empty and any(_about_the_document(upload, problem)
                                    for problem in error.problems)


def _about_the_document(upload: Upload, problem: Problem) -> bool:
    return (problem.message is NO_UNIT or upload.field_of(problem) is not None
            or problem.path.split(".")[0].split(" ")[0] in _FIELD_ROOTS)


def _wrong_fields(upload: Upload, error: DataError) -> dict[str, str]:
    """The form's fields that a problem is about, each with what is wrong (the first
    problem of each), as the form marks them."""
    wrong: dict[str, str] = {}
    for problem in error.problems:
        key = upload.field_of(problem)
        if key is not None and key not in wrong:
            wrong[key] = upload.row(problem)["masalah"]
    return wrong


def _asked(upload: Upload, chosen: templates.Template, *, missing_only: bool = False,
           ) -> list[tuple[str, str, bool]]:
    """The document fields the template requires that the data lacks, as the form asks
    them: (key, label, several lines), the signer's when the template requires one. Those
    typed on the page stay asked (filled), so a field does not vanish once filled;
    ``missing_only``: only those still lacking."""
    assert upload.source is not None
    manifest = chosen.manifest
    missing = {problem.path for problem in templates.missing_data(upload.source, chosen)}

    def wanted(key: str, lacking: bool) -> bool:
        return lacking or (not missing_only and key in upload.fields)

    asked = [(f"tambahan_{key}", key.capitalize(), True) for key in manifest.tambahan.dokumen
             if wanted(f"tambahan_{key}", f"tambahan.{key}" in missing)]
    if asked and not missing_only:
        asked += [(f"tambahan_{key}", key.capitalize(), False)
                  for key in manifest.tambahan_opsional.dokumen
                  if wanted(f"tambahan_{key}", key not in upload.source.unit.tambahan)]
    if "penandatangan" in missing:
        asked += [(key, label, False) for key, label in DOCUMENT_FIELDS
                  if key in ("penandatangan_jabatan", "penandatangan_nama")]
    return asked


def _row_fields(upload: Upload, chosen: templates.Template) -> RowFields | None:
    """The fields the template requires of every position, sasaran or indikator that the
    data lacks (iki-target's target and satuan), with how many rows lack them: a
    workbook gives them as columns of its table, which no form on the page can ask row
    by row, so the page says which columns to add before anything is made."""
    assert upload.source is not None
    lacking = [problem.path.split(" ")[0] for problem  # "jabatan[0]....target (Nama)"
               in templates.missing_data(upload.source, chosen)
               if problem.path.startswith("jabatan")]
    if not lacking:
        return None
    keys = list(dict.fromkeys(path.rsplit(".", 1)[-1] for path in lacking))
    rows = {path.rsplit(".", 2)[0] for path in lacking}
    counted = sum(len(sasaran.indikator) for jab in upload.source.unit.jabatan
                  for sasaran in jab.sasaran)
    return RowFields([key.upper() for key in keys], len(rows), counted)


@dataclass(frozen=True)
class RowFields:
    """The columns a template requires that the table lacks: their headers, the rows
    that lack one and the rows of the table."""

    columns: list[str]
    lacking: int
    rows: int


def _source_kind(upload: Upload) -> str:
    """What the officer uploaded, as the page's advice depends on it: a workbook
    ("lembar"), a CSV table ("csv"), a Word IKI ("word") or a data file ("data")."""
    suffix = upload.original.suffix.lower() if upload.original else ""
    return {".xlsx": "lembar", ".xlsm": "lembar", ".csv": "csv", ".docx": "word"}.get(
        suffix, "data")





def _on_page(found: list[audit.Difference]) -> list[audit.Difference]:
    """The values changed as the page shows them: a document field by its label on the
    form ("Pangkat penanda tangan", not "penandatangan, pangkat"), each date as the page
    writes dates ("2 Januari 2025"), not as the data file stores them."""
    shown = []
    for item in found:
        if item.path and item.path[-1] == "tanggal":
            item = dataclasses.replace(item, old=_date_text(item.old), new=_date_text(item.new))
        label = LABELS.get("_".join(map(str, item.path)))
        shown.append(dataclasses.replace(item, path=(label,)) if label else item)
    return shown


def _date_text(value: Any) -> Any:
    """A date kept as the data file writes it ("2025-01-02"), as the page writes it."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)
    return formats.tanggal(value) if isinstance(value, dt.date) else value


def _indonesian(message: Message | str | None) -> str:
    """A message of the library in the page's language."""
    return "" if message is None else word(message, "id")



_POSITION_FILE = re.compile(r"[0-9]{2,}-")  # NN-<jabatan>.docx / .pdf, one position's


def _download_name(folder: Path, name: str) -> str:
    """A revision's file as it lands in the officer's Downloads folder: a position's
    document named after its unit too (01-kepala-sub-bagian-umum.docx of twenty Puskesmas
    would otherwise meet there as "(1)", "(2)"…); the unit's own document already is."""
    return f"{folder.parent.name}-{name}" if _POSITION_FILE.match(name) else name


def _attachment(data: bytes, name: str) -> Response:
    return Response(data, media_type=MEDIA_TYPES[Path(name).suffix],
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def _when(moment: dt.datetime) -> str:
    local = moment.astimezone()
    return f"{formats.tanggal(local.date())}, {local:%H.%M}"


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{max(1, round(count / 1024))} KB"
    return f"{count / 2**20:.1f} MB".replace(".", ",")
