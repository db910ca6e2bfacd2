"""The one layer that reads and writes WordprocessingML (and the few other XML parts a
Word package or a PDF carries): everything above it speaks of positions, rows, texts and
titles; here those become w:p, w:tc, w:vMerge and w:sectPr elements.

Each module holds one job: ``names`` (namespaces), ``parsing`` (strict reading, the
piecewise well-formedness check), ``tags`` (a template part made ready for docxtpl),
``places`` (where a paragraph stands, as Word shows it), ``docxtpl_steps`` (docxtpl's
text steps before compiling and after rendering), ``template`` (a template's part from
reading to Jinja source, kept to locate errors), ``repetition`` and ``bookmarks`` (the
combined document, and the hidden marks where its positions start), ``pictures`` (the
letterhead's logo), ``properties`` (core and custom document properties), ``shown``
(a paragraph's text as Word shows it), ``document`` (a Word file read into plain
paragraphs and tables for the importers), ``texts`` (the paragraph texts ``archive diff``
compares) and ``xmp`` (the PDF's metadata). Callers pass and get plain values: strings,
bytes, lists and the small classes defined here, never lxml elements.
"""
