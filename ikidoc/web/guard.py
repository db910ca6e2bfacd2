"""The checks every request passes before a page sees it.

The page runs on an officer's own computer and writes into the archive, so it refuses:
a Host that is not this computer while it listens only here (another web site could
otherwise reach it through DNS rebinding); a request without the token when one is
set (it must be, for an address other machines reach); a POST sent from another
site's page (Origin or Referer of another host); a body larger than the upload limit.
Every answer also tells the browser not to show the page inside another site's frame
(where a hidden button could be clicked for the user) and to load nothing from elsewhere.
"""
from __future__ import annotations

import ipaddress
import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_PARAMETER = "token"
TOKEN_HEADER = "x-ikidoc-token"
TOKEN_COOKIE = "ikidoc_token"
log = logging.getLogger(__name__)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]

# The page says why it refused, in the users' language: (status, message).
Refusal = tuple[int, str]
Render = Callable[[Request, int, str], Response]


def is_loopback(host: str) -> bool:
    """Whether only this computer reaches ``host``: localhost, or an address of 127.0.0.0/8
    or ::1 written out (no DNS name but localhost can be rebound to it)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _TooLarge(Exception):
    """Internal: the body grew past the limit while a route was reading it."""


class Guard:
    """ASGI middleware refusing, with a page from ``render``, what the page's users
    must never be exposed to (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, render: Render, token: str | None,
                 loopback_only: bool, max_body: int) -> None:
        self.app = app
        self.render = render
        self.token = token
        self.loopback_only = loopback_only
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal:
            await self.render(request, *refusal)(scope, receive, send)
            return
        if self.token and request.method == "GET" and TOKEN_PARAMETER in request.query_params:
            await self._remember_token(request)(scope, receive, send)
            return
        try:
            await self.app(scope, self._counted(receive), send)
        except _TooLarge:
            await self.render(request, *self._too_large(request))(scope, receive, send)
        except ClientDisconnect:  # the browser went away mid-upload: no one to answer
            log.warning("ikidoc: %s %s: the browser left before its upload ended",
                        request.method, request.url.path)

    def _refusal(self, request: Request) -> Refusal | None:
        host = (request.url.hostname or "").lower()
        if self.loopback_only and not is_loopback(host):
            return 400, ("Alamat ini tidak dikenal oleh ikidoc. Buka halaman ini lewat alamat "
                         "yang ditampilkan oleh perintah ikidoc serve, misalnya "
                         "http://127.0.0.1:8000/.")
        if self.token and not self._has_token(request):
            return 403, ("Token tidak ada atau salah. Buka alamat lengkap yang ditampilkan oleh "
                         "perintah ikidoc serve, termasuk bagian ?token=...")
        if request.method not in SAFE_METHODS and not _same_origin(request):
            return 403, ("Permintaan dari situs lain ditolak. Kirim formulir hanya dari halaman "
                         "ikidoc ini sendiri.")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return self._too_large(request)
        return None

    def _too_large(self, request: Request) -> Refusal:
        """The upload limit, worded for what the page was sent: a template or data."""
        bound = self.max_body // 2**20
        if request.url.path.startswith("/template"):
            return 413, (f"Template terlalu besar: batasnya {bound} MB. Sebuah template biasanya "
                         "jauh lebih kecil; simpan ulang .docx-nya tanpa gambar besar, atau "
                         "perkecil gambarnya di Word, lalu unggah lagi.")
        return 413, (f"Berkas terlalu besar: batasnya {bound} MB. Unggah satu unit kerja per "
                     "berkas, atau simpan ulang berkasnya tanpa gambar.")

    def _has_token(self, request: Request) -> bool:
        given = (request.query_params.get(TOKEN_PARAMETER) or request.headers.get(TOKEN_HEADER)
                 or request.cookies.get(TOKEN_COOKIE) or "")
        return secrets.compare_digest(given.encode(), (self.token or "").encode())

    def _remember_token(self, request: Request) -> Response:
        """Keep the token in a cookie and drop it from the address bar, so that links,
        forms and the progress script carry it and a bookmark or screenshot does not."""
        target = request.url.remove_query_params(TOKEN_PARAMETER)
        response = RedirectResponse(target.path + (f"?{target.query}" if target.query else ""),
                                    status_code=303)
        response.set_cookie(TOKEN_COOKIE, self.token or "", httponly=True, samesite="strict")
        return response

    def _counted(self, receive: Receive) -> Receive:
        """``receive`` that stops a body sent without Content-Length at the limit."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise _TooLarge()
            return message

        return counted


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
        await send(message)

    return sending


def _same_origin(request: Request) -> bool:
    """True when the Origin (or, lacking it, the Referer) names this server's own host;
    a request with neither does not come from a web page's form or script."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    own = request.headers.get("host", "").lower()
    return urlsplit(source).netloc.lower() == own
