"""Bring the message catalogs (ikidoc/locale/{en,id}/LC_MESSAGES/ikidoc.po) up to date
with the source.

Run ``python tools/catalogs.py`` after adding or changing a message: every
``msg(kind, text, ...)`` call of the package (read by Babel's extractor) and every help
text of the command line becomes an entry. The English catalog takes the source text as
its translation (edit it there to reword English); an Indonesian entry that is new or
whose English changed is left empty for a translator, and the tests fail until it is
written. Entries no longer in the source are dropped.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ikidoc"
KEYWORDS = {"msg": ((1, "c"), 2)}  # msg(kind, text, **values): kind is the gettext context


def source_messages() -> dict[tuple[str, str], str]:
    """Every message of the source as (kind, English text), with where it was found."""
    sys.path.insert(0, str(ROOT))
    from ikidoc.cli import help_messages

    found: dict[tuple[str, str], str] = {}
    for filename, _line, text, _comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=(), strip_comment_tags=True):
        if isinstance(text, str) and context:
            found.setdefault((context, text), f"ikidoc/{filename}")
    for message in help_messages():
        found.setdefault((message.kind, message.text), "ikidoc/cli.py (help)")
    return found


def catalog_path(lang: str) -> Path:
    return PACKAGE / "locale" / lang / "LC_MESSAGES" / "ikidoc.po"


def read_catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def update(lang: str, messages: dict[tuple[str, str], str]) -> int:
    """Rewrite the catalog of ``lang`` for ``messages``; return how many lack a translation."""
    old = read_catalog(lang)
    new = Catalog(locale=lang, domain="ikidoc", project="ikidoc", fuzzy=False)
    missing = 0
    for (kind, text), where in sorted(messages.items()):
        known = old.get(text, context=kind)
        string = known.string if known is not None and known.string else ""
        if lang == "en" and not string:
            string = text
        missing += not string
        new.add(text, string, context=kind, auto_comments=[where],
                flags=("python-brace-format",))
    with catalog_path(lang).open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, no_location=True,
                 sort_output=False)
    return missing


def main() -> int:
    messages = source_messages()
    for lang in ("en", "id"):
        missing = update(lang, messages)
        print(f"{catalog_path(lang).relative_to(ROOT)}: {len(messages)} messages, "
              f"{missing} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
