"""What an HR officer met on the page, each as the officer would check it again: a
template's typo told by kind at its paragraph, mistakes in what was typed named by the
form's fields, corrections kept with a corrected re-upload, empty document fields shown
before anything is made, and a template's install offered and told in plain words."""
from __future__ import annotations

import io
import textwrap
import time
from pathlib import Path

import docx
import jinja2
import pytest
import yaml
from conftest import MINIMAL, SAMPLE
from starlette.testclient import TestClient
from test_import_docx import hand_made
from test_web import (
    UNIT,
    client,
    english_words,
    message,
    page,
    rows,
    text,
    upload,
    uploads_root,
    year_in_words,
)

__all__ = ["client", "uploads_root"]  # the fixtures, used by name


def _body_paragraphs(document: docx.document.Document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


@pytest.mark.parametrize(("tag", "occurrence", "typo", "said"), [
    ("{%p endif %}", 0, "{%p endiff %}", "tanda {% endiff %} tidak dikenal: di sini bagian "
     "{% if … %} menunggu salah satu dari {% elif %}, {% else %}, {% endif %}"),
    ("{%p endif %}", 1, "{%p endiff %}", "tanda {% endiff %} tidak dikenal: di sini bagian "
     "{% if … %} menunggu salah satu dari {% elif %}, {% else %}, {% endif %}"),  # after a text
    ("{%p endif %}", -1, "{%p endiff %}", "tanda {% endiff %} tidak dikenal: di sini bagian "
     "{% if … %} menunggu salah satu dari {% elif %}, {% else %}, {% endif %}"),
    ("{%p endfor %}", 1, "{%p endfro %}", "tanda {% endfro %} tidak dikenal: di sini bagian "
     "{% for … %} menunggu {% endfor %}"),
    ("Jabatan\t:\t{{ jabatan.nama }}", 0, "Jabatan\t:\t{{ jabatan.nama|hurf }}",
     "filter 'hurf' tidak dikenal; filter ikidoc: daftar, huruf, nip, tanggal"),
])
def test_a_tag_typo_in_the_downloaded_template_is_worded_by_kind_at_its_own_paragraph(
        client: TestClient, tag: str, occurrence: int, typo: str, said: str) -> None:
    downloaded = client.get("/template/iki/unduh.docx")
    document = docx.Document(io.BytesIO(downloaded.content))
    found = [index for index, words in enumerate(_body_paragraphs(document)) if words == tag]
    index = found[occurrence]
    paragraph = document.paragraphs[index]
    for run in paragraph.runs[1:]:  # as Word keeps it after an edit: the text in one run
        run.text = ""
    paragraph.runs[0].text = typo
    edited = io.BytesIO()
    document.save(edited)
    response = client.post("/template", files={"berkas": ("iki.docx", edited.getvalue())})
    [[where, what]] = rows(response, "masalah")
    assert where.startswith(f"isi dokumen, paragraf {index + 1}: ") and what == said
    assert "keterangan teknis" not in response.text
    assert not Path("templates").exists()


def test_a_template_whose_name_is_taken_will_be_installed_under_the_next_and_is_told_apart(
        client: TestClient) -> None:
    downloaded = client.get("/template/iki/unduh.docx").content
    checked = client.post("/template", files={"berkas": ("iki.docx", downloaded)})
    assert "Template ini akan dipasang sebagai iki-2 (versi 1.1.0)." in message(checked)
    [action] = page(checked).xpath("//form[contains(@action, '/pasang/')]/@action")
    installed = client.post(action, data={"nama": "iki-2"})
    assert "Template iki-2 1.1.0 (salinan dari iki 1.1.0) dipasang" in message(installed)
    options = page(upload(client, SAMPLE)).xpath("//select[@name='template']/option/text()")
    local, bundled = (next(o for o in options if o.startswith(f"{name} "))
                      for name in ("iki-2", "iki"))
    assert local.startswith("iki-2 1.1.0 · lokal · salinan dari iki 1.1.0 · ")
    assert bundled.startswith("iki 1.1.0 · bawaan · ")


def test_a_mistake_in_a_typed_field_names_that_field_of_the_form(client: TestClient,
                                                                  tmp_path: Path) -> None:
    asked = upload(client, hand_made(tmp_path / "IKI lama.docx"))
    [form] = page(asked).xpath("//form[contains(@action, '/isian')]")
    typed = client.post(form.get("action"), data={"unit_kerja": "Bagian Uji",
                                                  "tahun": "dua ribu dua puluh lima"})
    assert rows(typed, "masalah") == [[
        "isian Tahun pada formulir ini", "Tahun",
        "seharusnya tahun seperti 2025, tetapi berisi 'dua ribu dua puluh lima'", "-"]]
    [section] = page(typed).xpath("//section[@aria-labelledby='judul-masalah']")
    assert text(section.xpath("h2")[0]) == "1 masalah pada isian yang diketik di halaman ini"
    assert "berkasnya sendiri tidak bermasalah" in text(section)
    assert "--tahun" not in typed.text
    assert english_words(typed) == []


def test_a_source_lacking_only_its_unit_is_not_told_to_mend_a_table(client: TestClient,
                                                                     tmp_path: Path) -> None:
    asked = upload(client, hand_made(tmp_path / "IKI lama.docx"))
    words = text(page(asked).xpath("//section[@aria-labelledby='judul-masalah']")[0])
    assert "nama unit kerja (isian Unit kerja) belum diisi" in words
    assert "berkas aslinya tidak perlu diubah" in words
    assert "tabel" not in words.replace("di bawah tabel ini", "")
    assert "unit_kerja" not in words
    assert not page(asked).xpath("//input[@name='dari']")  # nothing to upload again


def _workbook(folder: Path, formulasi: str) -> Path:
    """A workbook writing its year in words, its second indicator's formulasi
    ``formulasi``: a mistake in a document field and, when empty, one in the table."""
    return year_in_words(folder / "iki.xlsx", [
        ["Analis", "Tertib", "Jumlah laporan", "Jumlah laporan", "Arsip"],
        ["", "", "Persentase laporan", formulasi, "Arsip"]])


def test_fields_typed_before_the_table_is_corrected_are_kept_with_the_corrected_file(
        client: TestClient, tmp_path: Path) -> None:
    asked = upload(client, _workbook(tmp_path, ""))
    [form] = page(asked).xpath("//form[contains(@action, '/isian')]")
    typed = client.post(form.get("action"), data={"tahun": "2026"})
    [problem] = rows(typed, "masalah")
    assert problem[0] == "lembar 'IKI', baris 3, kolom D (Formulasi)"
    words = text(page(typed).xpath("//section[@aria-labelledby='judul-masalah']")[0])
    assert "isian yang sudah diketik di halaman ini tetap dipakai" in words
    assert "Perbaiki semuanya" not in words
    assert page(typed).xpath("//input[@id='isian-tahun']/@value") == ["2026"]
    [again] = page(typed).xpath("//form[.//input[@name='dari']]")
    corrected = _workbook(tmp_path, "Laporan tepat / seluruh laporan")  # the year still words
    read = client.post(again.get("action"), data={"dari": again.xpath(
        ".//input[@name='dari']/@value")[0]}, files={"berkas": ("iki.xlsx",
                                                                 corrected.read_bytes())})
    assert "iki.xlsx terbaca tanpa masalah: 1 jabatan, 2 indikator" in message(read)
    assert text(page(read).xpath("//h2")[0]) == "Bagian Uji (2026)"


def test_the_fields_form_sent_again_while_the_table_is_wrong_is_read_again(
        client: TestClient, tmp_path: Path) -> None:
    """The form stays on the page with the table's problems: sending it again reads the
    upload again (its files were once removed at this point, and the page failed)."""
    asked = upload(client, _workbook(tmp_path, ""))
    [form] = page(asked).xpath("//form[contains(@action, '/isian')]")
    typed = client.post(form.get("action"), data={"tahun": "2026"})
    [again] = page(typed).xpath("//form[contains(@action, '/isian')]")
    retyped = client.post(again.get("action"), data={"tahun": "2027"})
    assert retyped.status_code == 200
    [problem] = rows(retyped, "masalah")
    assert problem[0] == "lembar 'IKI', baris 3, kolom D (Formulasi)"
    assert page(retyped).xpath("//input[@id='isian-tahun']/@value") == ["2027"]


def test_empty_document_fields_are_shown_plainly_and_filled_in_the_same_form(
        client: TestClient, tmp_path: Path) -> None:
    data = tmp_path / "unit.yaml"
    bare = yaml.safe_load(textwrap.dedent(MINIMAL))
    for key in ("tahun", "penandatangan", "tempat", "tanggal"):
        bare.pop(key, None)
    data.write_text(yaml.safe_dump(bare, allow_unicode=True), encoding="utf-8")
    checked = upload(client, data)
    [box] = page(checked).xpath("//div[@id='isian-kosong']")
    assert text(box).startswith("Isian dokumen yang masih kosong: Tahun, Tempat "
                                "penandatanganan, Tanggal penandatanganan, Nama penanda tangan.")
    assert "nama folder arsipnya tidak memuat tahun" in text(box)
    assert "blok tanda tangan penanda tangan tidak dicetak" in text(box)
    assert not box.xpath("ancestor::details")  # not folded away
    [form] = page(checked).xpath("//form[@id='form-buat']")
    assert form.xpath(".//input[@name='tahun']") and form.xpath(".//input[@name='tempat']")
    started = client.post(form.get("action"), data={"template": "iki", "tahun": "2026"},
                          follow_redirects=False)
    assert "/proses/" in started.headers["location"]
    job = started.headers["location"]
    while not client.get(f"{job}/status").json()["finished"]:
        time.sleep(0.05)
    assert [folder.name for folder in Path("output").iterdir()] == ["bagian-uji-2026"]


def test_a_revision_made_on_the_page_names_the_file_uploaded_and_the_archive_speaks_plainly(
        client: TestClient, tmp_path: Path) -> None:
    from test_import_tabular import sample_workbook
    from test_web import generate_from

    from ikidoc import load_file

    sheet = sample_workbook(load_file(SAMPLE).unit, tmp_path)
    done = generate_from(client, upload(client, sheet, name="iki-benar-v2.xlsx"))
    assert "dokumen ditulis ke revisi baru" in message(done)
    shown = client.get(f"/arsip/{UNIT}/r1")
    [data] = page(shown).xpath("//dt[text()='Data']/following-sibling::dd[1]")
    assert text(data).startswith("iki-benar-v2.xlsx Keterangan teknis")  # as it was uploaded
    assert ".yaml" not in text(data)
    assert data.xpath(".//details/summary/text()") == ["Keterangan teknis"]
    intro = text(page(client.get("/arsip")).xpath("//p[@class='pengantar']")[0])
    assert "tanda keaslian berkas" in intro and "sha256" not in intro
    assert "manifest.json" not in intro


@pytest.mark.parametrize(("source", "said"), [
    ("{% for a in b %}x", "bagian {% for … %} tidak pernah ditutup: tambahkan {%p endfor %} di "
                          "tempat bagian itu berakhir"),
    ("{% endif %}", "tanda {% endif %} tidak menutup bagian mana pun: hapus tanda itu, atau "
                    "tambahkan tanda pembuka bagiannya"),
    ("{{ a }", "ada '}' yang tidak semestinya di dalam tanda {{ … }} atau {% … %}"),
    ("{{ a ! }}", "ada '!' yang tidak semestinya di dalam tanda {{ … }} atau {% … %}"),
    ("{{ a", "ada tanda yang tidak ditutup: tanda isian '{{' tanpa '}}', atau tanda bagian '{%' "
             "tanpa '%}'"),
    ("{% mkaro %}", "tanda {% mkaro %} tidak dikenal"),
])
def test_each_kind_of_tag_mistake_is_worded_for_the_template_author(source: str,
                                                                   said: str) -> None:
    from ikidoc import sandbox
    from ikidoc.messages import word
    from ikidoc.render import environment

    with pytest.raises(jinja2.TemplateSyntaxError) as caught:
        environment().compile(source)
    assert word(sandbox.syntax_problem(caught.value, ()), "id") == said
