"""The writing side of ikidoc/ooxml as case tables of XML in -> XML out: template tags
made ready for docxtpl, docxtpl's steps around Jinja, the combined document and its
bookmarks, the logo's parts, document properties, a PDF's metadata, and the texts
``archive diff`` compares. XML is compared in C14N (attribute order and quoting aside)."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
from lxml import etree

from ikidoc.messages import Message
from ikidoc.ooxml import (
    docxtpl_steps,
    parsing,
    pictures,
    places,
    properties,
    repetition,
    tags,
    texts,
    xmp,
)
from ikidoc.ooxml.bookmarks import START_MARK, mark_start
from ikidoc.ooxml.names import W, w
from ikidoc.ooxml.template import TemplatePart

NS = f'xmlns:w="{W}"'


def document(body: str) -> bytes:
    return f"<w:document {NS}><w:body>{body}</w:body></w:document>".encode()


def c14n(xml: bytes | etree._Element) -> bytes:
    root = etree.fromstring(xml) if isinstance(xml, bytes) else xml
    data: bytes = etree.tostring(root, method="c14n")
    return data


def run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def para(*runs: str, properties: str = "") -> str:
    return f"<w:p>{properties}{''.join(run(r) for r in runs)}</w:p>"


def cell(*paragraphs: str, properties: str = "") -> str:
    return f"<w:tc>{properties}{''.join(paragraphs)}</w:tc>"


def table(*rows: list[str]) -> str:
    return "<w:tbl>" + "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows) + "</w:tbl>"


def english(message: Message | None) -> str | None:
    return None if message is None else str(message)


# -- parsing ---------------------------------------------------------------------------

@pytest.mark.parametrize("xml", [
    b"<w:p " + NS.encode() + b"><w:r>",  # cut short
    b"<a><b></a>",  # crossed
    b"",  # empty
    b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',  # an outside entity
])
def test_a_broken_part_is_refused(xml: bytes) -> None:
    try:
        parsed = parsing.parse(xml)
    except parsing.BrokenXml:
        return
    assert "root:" not in (parsed.text or "")  # an entity is never read from a file


@pytest.mark.parametrize(("pieces", "broken_at"), [
    ([document(para("a") * 3)], None),
    ([document(para("a") * 3)[:40], document(para("a") * 3)[40:]], None),
    ([b"<w:document " + NS.encode() + b"><w:body><w:p>", b"</w:body>"], 1),
    ([document(para("a"))[:-10]], "close"),
])
def test_a_part_written_in_pieces_is_checked_as_it_goes(pieces: list[bytes],
                                                        broken_at: int | str | None) -> None:
    check = parsing.WellFormed()
    for number, piece in enumerate(pieces):
        if broken_at == number:
            with pytest.raises(parsing.BrokenXml):
                check.feed(piece)
            return
        check.feed(piece)
    if broken_at == "close":
        with pytest.raises(parsing.BrokenXml):
            check.close()
    else:
        check.close()


def test_the_checker_keeps_only_the_element_being_read() -> None:
    check = parsing.WellFormed()
    check.feed(b"<w:document " + NS.encode() + b"><w:body>")
    for _ in range(100):
        check.feed(para("x").encode())
    assert check._body is not None and len(check._body) <= 1


# -- tags: a part made ready for docxtpl -----------------------------------------------

VMERGE_TEXT = "{% vmerge row.same %}"
SAME = "{% if row.same %}continue{% else %}restart{% endif %}"


@pytest.mark.parametrize(("before", "after"), [
    # a tag's text keeps its spaces (the data's leading spaces), other text is left alone
    (para("{{ a }}", "plain"),
     '<w:p><w:r><w:t xml:space="preserve">{{ a }}</w:t></w:r>' + run("plain") + "</w:p>"),
    (para("{%p if x %}"), '<w:p><w:r><w:t xml:space="preserve">{%p if x %}</w:t></w:r></w:p>'),
    # a vmerge cell: the merge from the condition, nothing printed where it continues
    (table([cell(para(VMERGE_TEXT + "{{ s }}"))]),
     table([cell('<w:p><w:r><w:t>{%p if row.same %}</w:t></w:r></w:p><w:p/>'
                 '<w:p><w:r><w:t>{%p else %}</w:t></w:r></w:p>'
                 '<w:p><w:r><w:t xml:space="preserve">{{ s }}</w:t></w:r></w:p>'
                 '<w:p><w:r><w:t>{%p endif %}</w:t></w:r></w:p>',
                 properties=f'<w:tcPr><w:vMerge w:val="{SAME}"/></w:tcPr>')])),
    # the tag split over runs (as Word saves it) is found and cut from each run
    (table([cell(para("{% vmerge", " row.same %}", "S"))]),
     table([cell('<w:p><w:r><w:t>{%p if row.same %}</w:t></w:r></w:p><w:p/>'
                 '<w:p><w:r><w:t>{%p else %}</w:t></w:r></w:p>'
                 '<w:p><w:r><w:t xml:space="preserve"></w:t></w:r><w:r><w:t></w:t></w:r>'
                 '<w:r><w:t>S</w:t></w:r></w:p>'
                 '<w:p><w:r><w:t>{%p endif %}</w:t></w:r></w:p>',
                 properties=f'<w:tcPr><w:vMerge w:val="{SAME}"/></w:tcPr>')])),
    # w:vMerge goes between gridSpan and vAlign (Word refuses other orders), replacing one;
    # the empty paragraph keeps the cell's paragraph properties
    (table([cell(para(VMERGE_TEXT, properties='<w:pPr><w:jc w:val="center"/></w:pPr>'),
                 properties='<w:tcPr><w:tcW w:w="5"/><w:vMerge/><w:vAlign w:val="top"/>'
                            '</w:tcPr>')]),
     table([cell('<w:p><w:r><w:t>{%p if row.same %}</w:t></w:r></w:p>'
                 '<w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p>'
                 '<w:p><w:r><w:t>{%p else %}</w:t></w:r></w:p>'
                 '<w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
                 '<w:r><w:t xml:space="preserve"></w:t></w:r></w:p>'
                 '<w:p><w:r><w:t>{%p endif %}</w:t></w:r></w:p>',
                 properties=f'<w:tcPr><w:tcW w:w="5"/><w:vMerge w:val="{SAME}"/>'
                            '<w:vAlign w:val="top"/></w:tcPr>')])),
    # a cell without the tag, and the tag of a table inside a cell, stay each cell's own
    (table([cell(para("x"))]), table([cell(para("x"))])),
])
def test_prepare_tags(before: str, after: str) -> None:
    root = parsing.parse(document(before))
    tags.prepare_tags(root)
    assert c14n(root) == c14n(document(after))


def test_a_vmerge_in_an_inner_table_merges_the_inner_cell_only() -> None:
    inner = table([cell(para(VMERGE_TEXT))])
    root = parsing.parse(document(table([cell(para("outer"), inner)])))
    tags.prepare_tags(root)
    merged = [tc for tc in root.iter(w("tc")) if tc.find(f"{w('tcPr')}/{w('vMerge')}") is not None]
    assert len(merged) == 1 and merged[0].getparent().getparent().getparent().tag == w("tc")


def shape(element: etree._Element) -> tuple[object, ...]:
    """An element as its names, attributes, text and children (prefixes aside)."""
    return (element.tag, dict(element.attrib), element.text, [shape(e) for e in element])


def test_a_tag_paragraph_holds_only_its_tag() -> None:
    assert shape(tags.tag_paragraph("{%p endfor %}")) == shape(etree.fromstring(
        f"<w:p {NS}><w:r><w:t>{{%p endfor %}}</w:t></w:r></w:p>"))


@pytest.mark.parametrize(("body", "found"), [
    (para("{{ dokumen.unit_kerja }}"), []),
    (para("{{ dokumen.unit_kerja }"), [("paragraph 1: '{{ dokumen.unit_kerja }'",
                                        "a tag opened with {{ is not closed with }}")]),
    (para("x") + para("{% if a %"), [("paragraph 2: '{% if a %'",
                                      "a tag opened with {% is not closed with %}")]),
    (para("{%tr for r in rows %}"), [("paragraph 1: '{%tr for r in rows %}'",
                                      "a {%tr %} tag must stand inside a table row")]),
    (para("{% vmerge a %}"), [("paragraph 1: '{% vmerge a %}'",
                               "a {%vmerge %} tag must stand inside a table cell")]),
    (para("{%tc for c in cells %}"), [("paragraph 1: '{%tc for c in cells %}'",
                                       "a {%tc %} tag must stand inside a table cell")]),
    (table([cell(para("Total {%tr endfor %}"))]), [
        ("table 1, row 1, column 1: 'Total {%tr endfor %}'",
         "text beside a {%tr %} tag is dropped with its row; put the text in a paragraph of "
         "its own")]),
    (para("Nama {%p if a %}"), [
        ("paragraph 1: 'Nama {%p if a %}'", "text beside a {%p %} tag is dropped with its "
         "paragraph; put the text in a paragraph of its own")]),
    (table([cell(para("{%tr for r in rows %}"))]), []),
    (table([cell(para("{% vm %}"))]), []),
])
def test_misplaced_tags(body: str, found: list[tuple[str, str]]) -> None:
    result = tags.misplaced_tags(parsing.parse(document(body)))
    assert [(str(where), str(what)) for where, what in result] == found


# -- places: where a paragraph stands --------------------------------------------------

PLACES = (para("Judul") + para() + table([cell(para("a")), cell(para("b"))],
                                         [cell(para("c")), cell(para("Nama {{ x }}"))])
          + para("Akhir"))


@pytest.mark.parametrize(("within", "holding", "place"), [
    ("", "x }}", "table 1, row 2, column 2: 'Nama {{ x }}'"),
    ("", "Akhir", "paragraph 3: 'Akhir'"),
    ("<w:t>Judul</w:t> Nama {{ x }}", "", "table 1, row 2, column 2: 'Nama {{ x }}'"),
    ("Akhir Judul", "", "paragraph 1: 'Judul'"),  # of equal lengths, the first
    ("Judul", "", "paragraph 1: 'Judul'"),
    ("nothing", "", None),
    ("", "nowhere", None),
])
def test_locate(within: str, holding: str, place: str | None) -> None:
    root = parsing.parse(document(PLACES))
    assert english(places.locate(root, within=within, holding=holding)) == place


@pytest.mark.parametrize(("part", "where", "named"), [
    ("word/document.xml", None, "word/document.xml"),
    ("word/header2.xml", None, "word/header2.xml"),
    ("word/footer.xml", "paragraph 1", "word/footer.xml, paragraph 1"),
    ("word/footnotes.xml", None, "word/footnotes.xml"),
])
def test_place_in_a_part(part: str, where: str | None, named: str) -> None:
    root = parsing.parse(document(para("x")))
    place = places.describe(next(root.iter(w("p")))) if where else None
    assert str(places.place_in(part, place)) == (named + ": 'x'" if where else named)


# -- docxtpl's steps -------------------------------------------------------------------

@pytest.mark.parametrize(("xml", "source"), [
    # each paragraph on a line of its own (docxtpl's pattern misses an empty <w:p/>)
    (f"<w:body {NS}><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p w:rsidR='1'/><w:p/></w:body>",
     f"<w:body {NS}>\n<w:p><w:r><w:t>a</w:t></w:r></w:p>\n<w:p w:rsidR='1'/><w:p/></w:body>"),
    # a w:pPr is no paragraph
    (f"<w:p {NS}><w:pPr/></w:p>", f"\n<w:p {NS}><w:pPr/></w:p>"),
    # a tag split over runs is joined (docxtpl's patch_xml)
    (f"<w:p {NS}><w:r><w:t>{{{{ a</w:t></w:r><w:r><w:t> }}}}</w:t></w:r></w:p>",
     f'\n<w:p {NS}><w:r><w:t xml:space="preserve">{{{{ a }}}}</w:t></w:r></w:p>'),
    # a {%p %} tag takes its paragraph's place
    (f"<w:body {NS}><w:p><w:r><w:t>{{%p if a %}}</w:t></w:r></w:p></w:body>",
     f"<w:body {NS}>{{% if a %}}</w:body>"),
])
def test_jinja_source(xml: str, source: str) -> None:
    assert docxtpl_steps.jinja_source(xml) == source


@pytest.mark.parametrize(("rendered", "finished"), [
    ("<w:body>\n<w:p><w:r><w:t>a</w:t></w:r></w:p>\n<w:p w:rsidR='1'/></w:body>",
     "<w:body><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p w:rsidR='1'/></w:body>"),
    ("<w:p><w:r><w:t>{_{ x }_} {_% y %_}</w:t></w:r></w:p>",
     "<w:p><w:r><w:t>{{ x }} {% y %}</w:t></w:r></w:p>"),
    ('<w:p><w:r><w:t>a\tb</w:t></w:r></w:p>',
     '<w:p><w:r><w:t>a</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">b</w:t>'
     '</w:r></w:p>'),
    ('<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>a\nb</w:t></w:r></w:p>',
     '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>a</w:t><w:br/><w:t xml:space="preserve">b</w:t>'
     '</w:r></w:p>'),
    (f'<wp:docPr id="{pictures.DRAWING_ID}"/><wp:docPr id="{pictures.DRAWING_ID}"/>',
     '<wp:docPr id="7"/><wp:docPr id="8"/>'),
    ("<w:p><w:r><w:t>plain</w:t></w:r></w:p>", "<w:p><w:r><w:t>plain</w:t></w:r></w:p>"),
])
def test_finish(rendered: str, finished: str) -> None:
    assert docxtpl_steps.finish(rendered, itertools.count(7)) == finished


@pytest.mark.parametrize(("value", "xml"), [
    ("Dinas A & B", "Dinas A &amp; B"),
    ("<b>", "&lt;b&gt;"),
    ("{{ jabatan }}", "&#123;&#123; jabatan &#125;&#125;"),
    ("{_{", "&#123;_&#123;"),  # never shown as "{{" by finish()
])
def test_printed_values_are_escaped_and_keep_their_braces(value: str, xml: str) -> None:
    printed = docxtpl_steps.printed(value)
    assert printed == xml
    assert docxtpl_steps.finish(printed, iter([])) == xml


@pytest.mark.parametrize(("line", "text"), [
    ('<w:p><w:r><w:t xml:space="preserve">Nama {{ x }}</w:t></w:r></w:p>', "Nama {{ x }}"),
    ("plain", "plain"),
])
def test_text_of_line(line: str, text: str) -> None:
    assert docxtpl_steps.text_of_line(line) == text


# -- the combined document and its bookmarks -------------------------------------------

SECTION = '<w:sectPr><w:pgSz w:w="11906"/></w:sectPr>'


def tag(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


MARK = (f'<w:bookmarkStart w:id="{{{{ 900000000 + ikidoc_repetition }}}}" '
        f'w:name="{START_MARK}{{{{ ikidoc_repetition + 1 }}}}"/>'
        '<w:bookmarkEnd w:id="{{ 900000000 + ikidoc_repetition }}"/>')


@pytest.mark.parametrize(("body", "repeated"), [
    # a section break between positions, with the template's own page setup
    (para("x") + SECTION,
     tag("{%p for j in js %}") + tag("{%p set ikidoc_repetition = loop.index0 %}") + para("x")
     + tag("{%p if not loop.last %}") + f"<w:p><w:pPr>{SECTION}</w:pPr>{MARK}</w:p>"
     + tag("{%p endif %}") + tag("{%p endfor %}") + SECTION),
    # a body without a section: a page break
    (para("x"),
     tag("{%p for j in js %}") + tag("{%p set ikidoc_repetition = loop.index0 %}") + para("x")
     + tag("{%p if not loop.last %}")
     + f'<w:p><w:r><w:br w:type="page"/></w:r>{MARK}</w:p>'
     + tag("{%p endif %}") + tag("{%p endfor %}")),
])
def test_repeat_body(body: str, repeated: str) -> None:
    root = parsing.parse(document(body))
    repetition.repeat_body(root, "j in js")
    assert c14n(root) == c14n(document(repeated))


def test_each_repetition_gives_a_picture_an_id_of_its_own() -> None:
    drawing = ('<w:p xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
               'wordprocessingDrawing"><w:r><w:drawing><wp:inline><wp:docPr id="3"/>'
               '</wp:inline></w:drawing></w:r></w:p>')
    root = parsing.parse(document(drawing))
    repetition.repeat_body(root, "j in js")
    ids = [e.get("id") for e in root.iter() if etree.QName(e).localname == "docPr"]
    assert ids == [f"{{{{ ikidoc_repetition * {repetition.IDS_PER_REPETITION} + 3 }}}}"]


@pytest.mark.parametrize(("index", "name", "mark_id"), [
    ("ikidoc_repetition", f"{START_MARK}{{{{ ikidoc_repetition + 1 }}}}",
     "{{ 900000000 + ikidoc_repetition }}"),
    ("0", f"{START_MARK}{{{{ 0 + 1 }}}}", "{{ 900000000 + 0 }}"),
])
def test_mark_start(index: str, name: str, mark_id: str) -> None:
    paragraph = etree.fromstring(f"<w:p {NS}/>")
    mark_start(paragraph, index)
    assert c14n(paragraph) == c14n(
        f'<w:p {NS}><w:bookmarkStart w:id="{mark_id}" w:name="{name}"/>'
        f'<w:bookmarkEnd w:id="{mark_id}"/></w:p>'.encode())
    assert START_MARK.startswith("_")  # Word keeps a bookmark whose name starts so hidden


def test_a_template_part_compiles_prepared_and_repeated() -> None:
    part = TemplatePart(document(para("{{ j.nama }}") + SECTION))
    part.prepare()
    single = part.jinja_source()
    kept = part.copy()
    part.repeat_body("j in js")
    assert "{% for j in js %}" in part.jinja_source() and "{% for" not in single
    assert kept.jinja_source() == single
    assert english(kept.locate(holding="j.nama")) == "paragraph 1: '{{ j.nama }}'"


# -- the logo's parts ------------------------------------------------------------------

RELS = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
TYPES = b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">%s</Types>'
LINK = ('<Relationship xmlns="http://schemas.openxmlformats.org/package/2006/relationships" '
        'Id="rIdIkidocLogo" Target="media/ikidoc-logo.png" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/image"/>')


@pytest.mark.parametrize(("types", "declared"), [
    (b"", b'<Default ContentType="image/png" Extension="png"/>'),
    (b'<Default Extension="xml" ContentType="application/xml"/>',
     b'<Default ContentType="image/png" Extension="png"/>'
     b'<Default ContentType="application/xml" Extension="xml"/>'),
    (b'<Default Extension="PNG" ContentType="image/png"/>',  # declared already
     b'<Default ContentType="image/png" Extension="PNG"/>'),
])
def test_with_picture(types: bytes, declared: bytes) -> None:
    parts = pictures.with_picture(RELS, TYPES % types, "word/media/ikidoc-logo.png",
                                  "image/png", "png")
    assert c14n(parts["word/_rels/document.xml.rels"]) == c14n(
        RELS.replace(b"/>", b">" + LINK.encode().replace(
            b' xmlns="http://schemas.openxmlformats.org/package/2006/relationships"', b"")
            + b"</Relationships>"))
    assert c14n(parts["[Content_Types].xml"]) == c14n(TYPES % declared)
    assert all(data.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
               for data in parts.values())


def test_the_inline_drawing_stands_where_a_runs_text_stands() -> None:
    drawing = pictures.inline_drawing(100, 200)
    root = parsing.parse(f'<w:p {NS}><w:r><w:t>Kop {drawing}</w:t></w:r></w:p>'.encode())
    runs = root.findall(w("r"))
    assert [r[0].tag for r in runs] == [w("t"), w("drawing"), w("t")]
    extent = next(e for e in root.iter() if etree.QName(e).localname == "extent")
    assert (extent.get("cx"), extent.get("cy")) == ("100", "200")
    assert pictures.DRAWING_ID in drawing


# -- properties, metadata, texts -------------------------------------------------------

def test_core_properties_come_from_the_data_only() -> None:
    core = properties.core_properties(title="IKI - Analis", subject="Bagian A", creator="Pemda",
                                      keywords="IKI", created=dt.date(2025, 1, 2))
    root = etree.fromstring(core)
    found = {etree.QName(e).localname: e.text for e in root}
    assert found == {"title": "IKI - Analis", "subject": "Bagian A", "creator": "Pemda",
                     "keywords": "IKI", "lastModifiedBy": "ikidoc", "revision": "1",
                     "created": "2025-01-02T00:00:00Z", "modified": "2025-01-02T00:00:00Z"}
    assert properties.title(core) == "IKI - Analis"


@pytest.mark.parametrize(("core", "title"), [
    (b'<cp:coreProperties xmlns:cp="c" xmlns:dc="http://purl.org/dc/elements/1.1/">'
     b"<dc:title>Judul</dc:title></cp:coreProperties>", "Judul"),
    (b'<cp:coreProperties xmlns:cp="c"/>', ""),
])
def test_title(core: bytes, title: str) -> None:
    assert properties.title(core) == title


CUSTOM_RELS = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               b'relationships"><Relationship Id="rId1" Type="t" Target="word/document.xml"/>'
               b"</Relationships>")


@pytest.mark.parametrize("existing", [None, "old manifest"])
def test_a_custom_property_is_set_and_read_back(existing: str | None) -> None:
    parts = {"[Content_Types].xml": TYPES % b"", "_rels/.rels": CUSTOM_RELS}
    if existing is not None:
        parts = properties.with_custom_property(parts, "ikidoc.template", existing)
    assert properties.custom_property(parts, "ikidoc.template") == existing
    changed = properties.with_custom_property(parts, "ikidoc.template", "name: x\n")
    assert properties.custom_property(changed, "ikidoc.template") == "name: x\n"
    assert properties.custom_property(changed, "other") is None
    relations = etree.fromstring(changed["_rels/.rels"])
    assert [r.get("Id") for r in relations] == ["rId1", "rId2"]  # related once, a free id
    overrides = etree.fromstring(changed["[Content_Types].xml"])
    assert [o.get("PartName") for o in overrides] == [f"/{properties.CUSTOM_PART}"]


XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF \
xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description \
xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt>\
<rdf:li xml:lang="x-default">Gabungan</rdf:li></rdf:Alt></dc:title></rdf:Description>\
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def test_retitled_metadata_keeps_its_packet_and_the_rest() -> None:
    made = xmp.retitled(XMP, "IKI - Bendahara")
    assert made == XMP.replace(b">Gabungan<", b">IKI - Bendahara<").replace(b"\n", b"")


@pytest.mark.parametrize(("body", "found"), [
    (para("a", "b") + para() + para("  c  "), ["ab", "c"]),
    (table([cell(para("x")), cell(para("y"))]) + para("z"), ["x", "y", "z"]),
    ("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>", ["ab"]),
])
def test_paragraph_texts(body: str, found: list[str]) -> None:
    assert texts.paragraph_texts(document(body)) == found
