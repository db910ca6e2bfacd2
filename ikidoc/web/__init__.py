"""The local web page for HR officers who never open a terminal (``ikidoc serve``).

A thin layer over the library: every page calls the same functions as the command
line and writes into the same archive.
"""
from __future__ import annotations

from ikidoc.web.app import create_app
from ikidoc.web.server import serve

__all__ = ["create_app", "serve"]
