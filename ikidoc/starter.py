"""Starter files for a new office (``ikidoc init``): a commented YAML data file, or an
Excel workbook with the right headers, a sheet ``dokumen`` and a sheet of instructions.

Both hold the same small example, so whichever a user fills in, ``ikidoc validate``
or ``ikidoc import`` accepts it before a single value has been changed.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ikidoc import defaults
from ikidoc.importers.cells import FIELDS
from ikidoc.importers.draft import FIELD_KEYS
from ikidoc.importers.output import write_new
from ikidoc.messages import msg

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_YAML = defaults.DATA / "unit-kerja.yaml"
DEFAULT_XLSX = Path("iki.xlsx")
TABLE_SHEET = "IKI"

STARTER_YAML = """\
# Data IKI (Indikator Kinerja Individu) satu unit kerja, dibaca oleh ikidoc.
# Ganti contoh di bawah dengan data unit Anda, lalu:
#   ikidoc validate data/unit-kerja.yaml    memeriksa isinya
#   ikidoc generate data/unit-kerja.yaml    membuat dokumen Word setiap jabatan
# Baris yang diawali # hanya keterangan dan boleh dihapus.

instansi: Pemerintah Kabupaten Contoh     # nama instansi (boleh dihapus)
induk: Sekretariat Daerah                 # organisasi induk unit kerja (boleh dihapus)
unit_kerja: Bagian Contoh                 # WAJIB: nama unit kerja
tahun: 2025                               # tahun kinerja
tempat: Contoh                            # tempat penandatanganan
tanggal: 2025-01-02                       # tanggal: 2025-01-02 atau 2 Januari 2025

# Penandatangan IKI setiap jabatan; satu jabatan boleh punya "penandatangan" sendiri.
penandatangan:
  jabatan: Kepala Bagian Contoh
  nama: NAMA LENGKAP, S.E., M.Si.
  pangkat: Pembina (IV/a)                 # boleh dihapus
  nip: "198005122005011002"               # 18 angka (spasi boleh), di antara tanda petik

# WAJIB: jabatan di unit ini, urut seperti akan dicetak.
jabatan:
  - nama: Analis Keuangan                 # WAJIB: nama jabatan
    # Tugas: satu butir sebaris; huruf a., b., c. diberikan otomatis.
    tugas:
      - Menyusun laporan keuangan bulanan
      - Menganalisis realisasi anggaran
    # Fungsi: [] bila tidak ada (dicetak "-").
    fungsi: []
    # WAJIB: sasaran, masing-masing dengan satu indikator atau lebih.
    sasaran:
      - uraian: Tertib administrasi keuangan
        indikator:
          - uraian: Jumlah laporan keuangan yang disusun          # INDIKATOR KINERJA
            # PENJELASAN/FORMULASI PENGHITUNGAN
            formulasi: Jumlah laporan keuangan yang disusun dalam satu tahun
            # SUMBER DATA: satu sumber, atau beberapa sebagai daftar.
            sumber_data:
              - Laporan Keuangan
              - Buku Kas Umum
            # tambahan: isian bebas untuk template lain (boleh dihapus).
            tambahan: {target: "12", satuan: Laporan}
          - uraian: Persentase realisasi anggaran yang dianalisis
            formulasi: (Realisasi anggaran yang dianalisis ÷ seluruh realisasi anggaran) × 100%
            sumber_data: Laporan Realisasi Anggaran
            tambahan: {target: "100", satuan: Persen}
"""

# What each field of the sheet `dokumen` is for, in Bahasa Indonesia.
_FIELD_NOTES = {
    "instansi": "Nama instansi (boleh kosong)",
    "induk": "Organisasi induk unit kerja (boleh kosong)",
    "unit_kerja": "WAJIB: nama unit kerja",
    "tahun": "Tahun kinerja, misalnya 2025",
    "tempat": "Tempat penandatanganan",
    "tanggal": "Tanggal penandatanganan: 2025-01-02 atau 2 Januari 2025",
    "penandatangan_jabatan": "Jabatan penandatangan",
    "penandatangan_nama": "Nama penandatangan",
    "penandatangan_pangkat": "Pangkat/golongan penandatangan (boleh kosong)",
    "penandatangan_nip": "NIP penandatangan, 18 angka (sel ini berformat teks)",
}

PETUNJUK = (
    "Petunjuk pengisian IKI",
    "",
    f"1. Lembar '{TABLE_SHEET}': satu baris untuk setiap indikator kinerja. Baris pertama adalah "
    "judul kolom; jangan diubah namanya.",
    "2. Sel yang dikosongkan di bawah sebuah isian dianggap sama dengan isian di atasnya: tulis "
    "Jabatan, Tugas dan Fungsi cukup di baris pertama jabatan itu, dan Sasaran cukup di baris "
    "pertama sasaran itu. Sel yang digabung (merge) juga boleh.",
    "3. Beberapa tugas, fungsi atau sumber data dalam satu sel: tulis satu per baris (Alt+Enter). "
    "Huruf a., b., c. atau tanda - di depannya boleh ada atau tidak.",
    "4. Sumber Data yang dikosongkan sama dengan sumber data indikator di atasnya.",
    "5. Kolom lain (misalnya Target, Satuan) disimpan sebagai isian tambahan indikator.",
    "6. Lembar 'dokumen': nama unit kerja, tahun, tempat, tanggal dan penandatangan. NIP ditulis "
    "sebagai teks (18 angka), bukan angka, agar tidak berubah.",
    "7. Simpan berkas ini, lalu buka halaman IKI (alamatnya diberikan petugas teknis, misalnya "
    "http://127.0.0.1:8000). Di menu Buat IKI pilih berkas ini dan tekan Periksa berkas.",
    "8. Halaman menunjukkan setiap kesalahan sekaligus, lengkap dengan lembar, baris dan kolomnya. "
    "Perbaiki di berkas ini, simpan, lalu unggah lagi. Isian dokumen yang belum ada (unit kerja, "
    "tahun, tempat, tanggal, penandatangan) dapat juga diisi langsung di halaman.",
    "9. Pilih template, lalu tekan Buat dokumen. Dokumen Word (dan PDF/A) setiap jabatan dapat "
    "diunduh di halaman itu dan di menu Arsip.",
)


def write_starter(target: Path | None = None, *, xlsx: bool = False) -> Path:
    """Write the starter YAML (or, with ``xlsx``, the workbook) and return its path.

    Never replaces a file: raises OutputError when ``target`` exists.
    """
    path = target or (DEFAULT_XLSX if xlsx else DEFAULT_YAML)
    content = workbook_bytes() if xlsx else STARTER_YAML.encode("utf-8")
    write_new(path, content, hint=msg("init.other_file", "choose another file with -o"))
    return path


def workbook_bytes(data: dict[str, Any] | None = None, logo: bytes | None = None) -> bytes:
    """The starter workbook: the example of STARTER_YAML (or ``data``, a unit in the
    data format, such as the page's upload with the fields typed there) as sheet rows,
    the workbook ``ikidoc import`` and the page read back. ``logo``, the bytes of the
    letterhead's logo, is pasted into the ``dokumen`` sheet instead of naming its file:
    a workbook downloaded alone has no file beside it.

    openpyxl is imported here and in _style, not with the module: it (and numpy with it)
    takes longer to import than the rest of ikidoc, and the command line imports this
    module for every command."""
    import openpyxl
    from openpyxl.styles import Font

    example = data if data is not None else yaml.safe_load(STARTER_YAML)
    book = openpyxl.Workbook()
    _table_sheet(book.active, example)
    _fields_sheet(book.create_sheet("dokumen"), example, logo)
    notes = book.create_sheet("Petunjuk")
    for line in PETUNJUK:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=12)
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table_sheet(sheet: Worksheet, example: dict[str, Any]) -> None:
    """One row per indikator; a position's and a sasaran's cells only on their first row."""
    sheet.title = TABLE_SHEET
    free = list(dict.fromkeys(key for jabatan in example["jabatan"]
                              for sasaran in jabatan["sasaran"]
                              for indikator in sasaran["indikator"]
                              for key in indikator.get("tambahan", {})))
    sheet.append([*FIELDS.values(), *(key.title() for key in free)])
    for jabatan in example["jabatan"]:
        first_of_position = True
        for sasaran in jabatan["sasaran"]:
            first_of_sasaran = True
            for indikator in sasaran["indikator"]:
                sources = indikator["sumber_data"]
                position = [jabatan["nama"], "\n".join(jabatan.get("tugas", [])),
                            "\n".join(jabatan.get("fungsi", []))] if first_of_position \
                    else ["", "", ""]
                sheet.append([*position, sasaran["uraian"] if first_of_sasaran else "",
                              indikator["uraian"], indikator["formulasi"],
                              sources if isinstance(sources, str) else "\n".join(sources),
                              *(str(indikator.get("tambahan", {}).get(key, ""))
                                for key in free)])
                first_of_position = first_of_sasaran = False
    _style(sheet, widths=[24, 40, 30, 30, 30, 36, 30, 10, 12])


def _fields_sheet(sheet: Worksheet, example: dict[str, Any], logo: bytes | None) -> None:
    sheet.append(["Kolom", "Isi", "Keterangan"])
    signer = example.get("penandatangan") or {}
    for key in FIELD_KEYS:
        value = signer.get(key.removeprefix("penandatangan_")) if key.startswith("penandatangan_") \
            else example.get(key)
        sheet.append([key, "" if value is None else str(value), _FIELD_NOTES[key]])
    kop = dict(example.get("kop") or {})
    if logo is not None:
        kop.pop("logo", None)  # pasted below instead
    _kop_rows(sheet, kop)
    for key, value in example.get("tambahan", {}).items():  # a list: one item a row
        for item in value if isinstance(value, list) else [value]:
            sheet.append([f"tambahan.{key}", str(item), ""])
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 2).number_format = "@"  # text, so that a NIP keeps its 18 digits
    _style(sheet, widths=[24, 44, 56])
    if logo is not None:
        _paste(sheet, logo, f"D{sheet.max_row}")


def _paste(sheet: Worksheet, picture: bytes, cell: str) -> None:
    """A picture placed over ``cell``, as an officer pastes a logo into Excel."""
    from openpyxl.drawing.image import Image

    image = Image(io.BytesIO(picture))
    image.anchor = cell
    sheet.add_image(image)


_KOP_NOTES = {
    "alamat": "Alamat kantor pada kop surat (boleh kosong)",
    "telepon": "Nomor telepon pada kop surat, tanpa kata \"Telp.\" (boleh kosong)",
    "laman": "Laman (situs web) atau e-mail pada kop surat (boleh kosong)",
    "logo": "Nama berkas gambar logo (PNG atau JPEG, paling besar 2 MB) di map yang sama "
            "dengan buku kerja ini; atau tempelkan gambar logo di lembar ini (boleh kosong)",
}


def _kop_rows(sheet: Worksheet, kop: dict[str, Any]) -> None:
    """The letterhead's rows, filled from the data's ``kop`` or left empty to be filled:
    templates that print a kop surat print it from these."""
    lines = list(kop.get("baris") or [])
    for number in range(1, max(4, len(lines)) + 1):
        note = ("Baris pertama kop surat, huruf besar, misalnya PEMERINTAH KABUPATEN CONTOH; "
                "kosongkan semua baris kop bila tidak memakai kop surat") if number == 1 \
            else f"Baris ke-{number} kop surat, misalnya nama dinas (boleh kosong)"
        sheet.append([f"kop baris {number}", lines[number - 1] if number <= len(lines) else "",
                      note])
    for key, note in _KOP_NOTES.items():
        sheet.append([f"kop {key}", str(kop.get(key) or ""), note])


def _style(sheet: Worksheet, widths: list[int]) -> None:
    """Bold shaded header row that stays in view; wrapped text aligned to the top."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
