"""Pictures of pages for the web page: a position of an upload before anything is
generated, a thumbnail of each revision in the Arsip, and what changed on the pages
since the revision before.

Each picture is drawn by ikidoc.preview on first request, by the LibreOffice the page
keeps running (ikidoc.office), and kept in memory, the newest few only; nothing is
written to the archive. What changed between two revisions is listed from the documents'
texts at once, each position's pictures drawn only when the browser asks for them.
Without LibreOffice the picture routes answer 503 and the pages say why they show none.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ikidoc import archive, audit, bundled, defaults, diff, load, office, pdf, preview, templates
from ikidoc.errors import IkidocError
from ikidoc.web.downloads import RevisionRef, listed_file

if TYPE_CHECKING:
    from ikidoc.web.app import Site

KEPT = 64  # pictures kept in memory (about 150 KB each)
KEPT_DIFFS = 8  # comparisons of revisions kept in memory (their texts; pictures are in KEPT)
THUMBNAIL_DPI = 24  # an F4 page is 203 x 312 pixels
_GAP = 8  # pixels of grey between two pages of one picture
NO_LIBREOFFICE = ("Gambar halaman tidak dapat ditampilkan: LibreOffice belum terpasang di "
                  "komputer ini (apt-get install libreoffice-writer-nogui, atau "
                  "https://www.libreoffice.org/download/).")


def has_libreoffice() -> bool:
    """Whether pages can be drawn here."""
    try:
        pdf.soffice()
    except IkidocError:
        return False
    return True


def drawn(documents: list[tuple[str, str | None, bytes]],
          dpi: int = preview.DPI) -> list[preview.PositionPages]:
    """preview.draw through the LibreOffice kept running for the page's pictures."""
    return preview.draw(documents, dpi, office.shared().convert)


def ticked_settings(template: templates.Template, ticked: Collection[str]) -> dict[str, bool]:
    """The switches of ``template`` ticked on the page (``ticked``: the boxes' values,
    "template:switch") as ``--set`` gives them: only those that differ from the template's
    default, so that a run with the defaults is the run of ``ikidoc generate`` without
    options, and the pictures show what that run makes."""
    name = template.manifest.name
    return {switch: f"{name}:{switch}" in ticked
            for switch, declared in template.manifest.switches.items()
            if (f"{name}:{switch}" in ticked) != declared.default}


def default_ticks(choice: Iterable[templates.Template]) -> frozenset[str]:
    """The boxes ticked before the officer has chosen: each switch on by default."""
    return frozenset(f"{template.manifest.name}:{switch}" for template in choice
                     for switch, declared in template.manifest.switches.items()
                     if declared.default)


def compare_with_previous(folder: Path) -> diff.RevisionDiff | None:
    """What changed since the revision before ``folder`` (None for a unit's first
    revision), read from the documents' texts: no page is drawn for it."""
    changes = audit.show(folder).changes
    if changes is None:
        return None
    return diff.report(changes.previous, folder)


def drawn_changes(report: diff.RevisionDiff, position: diff.PositionDiff) -> bytes:
    """The page pairs of one changed position, old beside new with the changes framed,
    one below the other: its two documents drawn in one conversion."""
    old, new = drawn([
        (position.old_file, position.name, diff.read_document(report.old / position.old_file)),
        (position.new_file, position.name, diff.read_document(report.new / position.new_file))])
    return stacked([sheet for sheet, _ in diff.page_pairs(old.pages, new.pages)])


class Pictures:
    """The routes' pictures, drawn once each, the newest ``KEPT`` kept."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._kept: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._comparisons: OrderedDict[Path, diff.RevisionDiff | None] = OrderedDict()

    async def position(self, request: Request) -> Response:
        """/pratinjau/{upload_id}/{nomor}.png?template=NAME&sakelar=NAME:SWITCH...: every
        page of position ``nomor`` of an upload's data made with NAME (one of the page's
        list; default iki) and the switches ticked (``sakelar``, as the form sends them),
        one below the other."""
        upload = self.site.uploads.get(request.path_params["upload_id"])
        if upload is None or upload.data_file is None or not upload.data_file.is_file():
            raise HTTPException(404, "Unggahan ini tidak ada lagi; unggah berkasnya lagi.")
        number = int(request.path_params["nomor"])
        chosen = self.site.template_named(request.query_params.get("template") or defaults.TEMPLATE)
        if chosen is None:
            raise HTTPException(404, "Template ini tidak ada dalam daftar template.")
        folder, data_file = chosen.folder, upload.data_file
        settings = ticked_settings(chosen, request.query_params.getlist("sakelar"))

        def draw() -> bytes:
            documents = preview.unit_documents([data_file], str(folder), number, settings)
            return stacked(drawn(documents)[0].pages)

        # kept by what the pages are made of: the data file, rewritten with each field
        # typed on the page, the template's files and the switches ticked, not by the
        # upload's id alone
        switched = ",".join(f"{name}={value}" for name, value in sorted(settings.items()))
        made_of = (archive.sha256_bytes(data_file.read_bytes()), chosen.sha256(), switched)
        return await self._answer((upload.id, str(number), str(folder), *made_of), draw)

    async def template(self, request: Request) -> Response:
        """/pratinjau-template/{upload_id}/{nomor}.png: every page of position ``nomor``
        of the bundled sample made with a template just uploaded, before it is installed."""
        upload = self.site.uploads.get(request.path_params["upload_id"])
        folder = upload.folder / "template" if upload else None
        if upload is None or folder is None or not folder.is_dir():
            raise HTTPException(404, "Unggahan template ini tidak ada lagi; unggah lagi.")
        number = int(request.path_params["nomor"])

        def draw() -> bytes:
            documents = preview.unit_documents(bundled.sample_paths(), str(folder), number)
            return stacked(drawn(documents)[0].pages)

        return await self._answer((upload.id, "template", str(number)), draw)

    async def revision(self, request: Request) -> Response:
        """/arsip/{unit}/{revision}/gambar.png: the first page of the revision's first
        document, small."""
        folder = self.site._revision(request)
        manifest = archive.load_manifest(folder)
        first = next((r for r in manifest.files if r.path.endswith(".docx")), None)
        if first is None:
            raise HTTPException(404, "Revisi ini tidak memuat dokumen Word.")
        path = listed_file(folder, manifest, first.path)  # a link out of the revision is not
        if path is None:                                  # drawn, as it is not downloaded
            raise HTTPException(404, "Dokumen pertama revisi ini tidak ada di mapnya.")

        def draw() -> bytes:
            pictures = drawn([(first.path, first.jabatan, path.read_bytes())], THUMBNAIL_DPI)
            return preview.png(pictures[0].pages[0])

        return await self._answer((str(folder), first.sha256), draw)

    async def comparison_page(self, request: Request) -> Response:
        """/arsip/{unit}/{revision}/beda: what changed since the revision before it,
        position by position, at once from the documents' texts; each position's pages
        are drawn when its picture is asked for (comparison_picture), so a revision of
        150 positions shows its list without waiting for 300 conversions."""
        folder = self.site._revision(request)
        comparison = await self._comparison(folder)
        return self.site.page(request, "beda.html", folder=folder, ref=RevisionRef.of(folder),
                              comparison=comparison)

    async def comparison_picture(self, request: Request) -> Response:
        """/arsip/{unit}/{revision}/beda/{berkas}.png: the page pairs of one changed
        position, drawn on first request and kept."""
        folder = self.site._revision(request)
        comparison = await self._comparison(folder)
        berkas = request.path_params["berkas"]
        position = next((found for found in comparison.positions if not found.same
                         and Path(found.new_file).stem == berkas), None) if comparison else None
        if comparison is None or position is None:
            raise HTTPException(404, "Gambar perubahan ini tidak ada.")
        report, changed = comparison, position  # as they are now, for the thread drawing
        return await self._answer(("beda", str(folder), berkas),
                                  lambda: drawn_changes(report, changed))

    async def _comparison(self, folder: Path) -> diff.RevisionDiff | None:
        with self._lock:
            if folder in self._comparisons:
                return self._comparisons[folder]
        found = await run_in_threadpool(compare_with_previous, folder)
        with self._lock:
            self._comparisons[folder] = found
            while len(self._comparisons) > KEPT_DIFFS:
                self._comparisons.popitem(last=False)
        return found

    async def _answer(self, key: tuple[str, ...], draw: Callable[[], bytes]) -> Response:
        if not has_libreoffice():
            return Response(NO_LIBREOFFICE, status_code=503, media_type="text/plain")
        with self._lock:
            kept = self._kept.get(key)
        if kept is None:
            kept = await run_in_threadpool(draw)
            with self._lock:
                self._kept[key] = kept
                while len(self._kept) > KEPT:
                    self._kept.popitem(last=False)
        return Response(kept, media_type="image/png", headers={"cache-control": "no-store"})


def stacked(pages: list[Image.Image]) -> bytes:
    """The pages one below the other in one PNG."""
    width = max(page.width for page in pages)
    height = sum(page.height for page in pages) + _GAP * (len(pages) - 1)
    sheet = Image.new("RGB", (width, height), (200, 200, 200))
    top = 0
    for page in pages:
        sheet.paste(page, (0, top))
        top += page.height + _GAP
    return preview.png(sheet)


def sample_positions() -> list[str]:
    """The names of the bundled sample's positions, which a template just uploaded is
    shown with."""
    return [jab.nama for path in bundled.sample_paths()
            for jab in load.load_file(path).unit.jabatan]


def routes(site: Site) -> list[Route]:
    """The picture routes, and the pages' ``gambar_halaman`` (can pages be drawn here?),
    ``tanpa_gambar`` (why not) and ``contoh_jabatan`` for the hooks in the pages."""
    pictures = Pictures(site)
    site.pages.env.globals.update(gambar_halaman=has_libreoffice, tanpa_gambar=NO_LIBREOFFICE,
                                  contoh_jabatan=sample_positions)
    return [
        Route("/pratinjau/{upload_id}/{nomor:int}.png", pictures.position, methods=["GET"],
              name="pratinjau_jabatan"),
        Route("/pratinjau-template/{upload_id}/{nomor:int}.png", pictures.template,
              methods=["GET"], name="pratinjau_template"),
        Route("/arsip/{unit}/{revision}/gambar.png", pictures.revision, methods=["GET"],
              name="gambar_revisi"),
        Route("/arsip/{unit}/{revision}/beda", pictures.comparison_page, methods=["GET"],
              name="beda_revisi"),
        Route("/arsip/{unit}/{revision}/beda/{berkas}.png", pictures.comparison_picture,
              methods=["GET"], name="gambar_beda"),
    ]

