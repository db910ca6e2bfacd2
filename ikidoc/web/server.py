"""Start the local web page: bind the address, say where it is, serve until Ctrl+C.

The page writes into the archive and reads the office's data, so it listens only on
this computer unless told otherwise; an address that other machines reach must come
with a token that every request carries.
"""
from __future__ import annotations

import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from urllib.parse import quote

import uvicorn

from ikidoc import defaults
from ikidoc.errors import ServeError, system_reason
from ikidoc.messages import msg
from ikidoc.office import stop_shared
from ikidoc.template_install import stop_checks
from ikidoc.web.app import create_app
from ikidoc.web.guard import is_loopback

LOOPBACK = "127.0.0.1"
# After Ctrl+C, requests still running get this long to end before they are cancelled
# (a generation running in the background is finished all the same: see jobs.py).
STOP_SECONDS = 3


class _Server(uvicorn.Server):
    """uvicorn's server, which also kills the template checks running when told to stop
    (a check may otherwise run to its time limit, and its request with it)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        stop_checks()
        super().handle_exit(sig, frame)


def serve(*, host: str | None = None, port: int = 8000, token: str | None = None,
          output: Path = defaults.OUTPUT, open_browser: bool = False,
          say: Callable[[str], None] = print) -> None:
    """Serve the page for the archive ``output`` until interrupted.

    ``say`` is told the address (with the token) and, for an address other machines
    reach, a warning. Port 0 takes a free port. Raises ServeError, before anything is
    served, when ``host`` reaches other machines and no ``token`` is given, or when the
    address cannot be bound.
    """
    bind = host or LOOPBACK
    exposed = not is_loopback(bind)
    if exposed and not token:
        raise ServeError(address=bind, detail=msg("serve.exposed", "other computers could open "
                                                  "the page and write into the archive"),
                         hint=msg("serve.token_hint", "add --token with a secret that every "
                                  "visitor must give"))
    listener = _bind(bind, port)
    url = _address(bind, listener.getsockname()[1], token)
    app = create_app(output, token=token, loopback_only=not exposed)
    server = _Server(uvicorn.Config(app, log_level="warning", lifespan="on",
                                    timeout_graceful_shutdown=STOP_SECONDS))
    if exposed:
        say(f"peringatan: halaman ini dapat dibuka dari komputer lain lewat {bind}; "
            "setiap permintaan harus membawa token")
    say(f"Halaman IKI: {url}")
    say("Biarkan jendela ini terbuka selama halaman dipakai; tekan Ctrl+C untuk berhenti.")
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass  # Ctrl+C or kill is how the page stops; uvicorn has shut it down by now
    finally:
        stop_shared()  # the LibreOffice kept running for the pictures
    say("Halaman IKI dihentikan.")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ServeError(address=f"{host}:{port}", detail=msg(
            "serve.cannot_bind", "{reason}", reason=system_reason(error)),
                         hint=msg("serve.port_hint", "choose another port with --port")) from None
    listener.listen(128)
    return listener


def _address(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")


def _open_when_started(server: uvicorn.Server, url: str) -> None:
    for _ in range(200):
        if server.started:
            webbrowser.open(url)
            return
        time.sleep(0.05)
