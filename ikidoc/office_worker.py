"""A LibreOffice kept running, converting Word documents to PDF on request.

Run as a file by a Python that has LibreOffice's ``uno`` module (Debian's /usr/bin/python3
with python3-uno, or the Python in LibreOffice's program folder on Windows and macOS),
never imported: that Python is not the one ikidoc runs in, so this file uses nothing from
ikidoc nor anything beyond the standard library and ``uno``. ikidoc.office starts it and
talks to it:

    python3 office_worker.py SOFFICE PROFILE PIPE

It starts ``SOFFICE`` headless with the prepared profile folder ``PROFILE``, listening on
the named pipe ``PIPE``, connects to it through UNO and prints one JSON line
``{"ready": true, "soffice": PID}``. Then, for each JSON line ``{"input": DOCX, "output":
PDF}`` read from stdin, it writes the PDF and answers ``{"ok": true}``, or ``{"ok": false,
"error": TEXT}`` when that document could not be converted. At the end of stdin it ends
LibreOffice and exits. It exits with status 1 (saying why on stderr) when LibreOffice
cannot be started or reached, or when LibreOffice goes away: ikidoc.office starts a new
one then.
"""
from __future__ import annotations

import os
import sys

# Run as a file, Python looks for modules first in this file's folder, ikidoc's: none of
# ikidoc's modules may stand in for one of the standard library or of LibreOffice's (os
# and sys are loaded before, with Python itself).
_HERE = os.path.dirname(os.path.realpath(__file__))
if sys.path and os.path.realpath(sys.path[0] or os.curdir) == _HERE:
    del sys.path[0]

import json  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

# A first start on a fresh profile takes several seconds on a small machine; LibreOffice
# that has not answered by then will not.
_CONNECT_SECONDS = 60
_CONNECT_POLL_SECONDS = 0.1
_QUIT_SECONDS = 10


class WorkerError(Exception):
    """LibreOffice cannot be started, reached or used any more: the worker exits."""


def main(arguments: list[str]) -> int:
    """Serve requests until stdin ends (see the module's docstring)."""
    if len(arguments) != 3:
        print("usage: office_worker.py SOFFICE PROFILE PIPE", file=sys.stderr)
        return 2
    program, profile, pipe = arguments
    office = _start(program, Path(profile), pipe)
    desktop = None
    try:
        desktop = _connect(office, pipe)
        _say({"ready": True, "soffice": office.pid})
        for line in sys.stdin:
            _say(_answer(office, desktop, line))
    except WorkerError as error:
        print(f"office_worker: {error}", file=sys.stderr)
        return 1
    finally:
        _quit(office, desktop)
    return 0


def _start(program: str, profile: Path, pipe: str) -> subprocess.Popen[bytes]:
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--invisible", "--norestore", "--nolockcheck", "--nodefault",
               f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as error:
        raise WorkerError(f"LibreOffice ({program}) cannot be started: {error}") from None


def _connect(office: subprocess.Popen[bytes], pipe: str) -> Any:
    """LibreOffice's desktop, once it answers on the pipe."""
    import uno  # type: ignore[import-not-found]
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + _CONNECT_SECONDS
    while True:
        try:
            remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return remote.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", remote)
        except NoConnectException:
            if office.poll() is not None:
                raise WorkerError(f"LibreOffice ended with status {office.returncode} "
                                  "before it could be reached") from None
            if time.monotonic() > deadline:
                raise WorkerError(f"LibreOffice did not answer within {_CONNECT_SECONDS} "
                                  "seconds") from None
            time.sleep(_CONNECT_POLL_SECONDS)


def _answer(office: subprocess.Popen[bytes], desktop: Any, line: str) -> dict[str, object]:
    """Convert the document a request names; raises WorkerError when LibreOffice is gone
    (a document it cannot read is an answer, not an end)."""
    from com.sun.star.lang import DisposedException  # type: ignore[import-not-found]

    try:
        request = json.loads(line)
        source, target = Path(request["input"]), Path(request["output"])
    except (ValueError, KeyError, TypeError) as error:
        return {"ok": False, "error": f"not a request ({error}): {line.strip()[:200]}"}
    try:
        _convert(desktop, source, target)
    except DisposedException as error:
        raise WorkerError(f"LibreOffice went away ({error.Message})") from None
    except Exception as error:  # noqa: BLE001 (UNO raises its own, e.g. IOException)
        if office.poll() is not None:
            raise WorkerError(f"LibreOffice ended with status {office.returncode}") from None
        message = getattr(error, "Message", "") or str(error) or type(error).__name__
        return {"ok": False, "error": f"{source.name}: {message}"}
    return {"ok": True}


def _convert(desktop: Any, source: Path, target: Path) -> None:
    """Load the document hidden and read-only, store it as PDF, close it."""
    document = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0,
                                            _properties(Hidden=True, ReadOnly=True))
    if document is None:
        raise ValueError("LibreOffice cannot open it")
    try:
        document.storeToURL(target.resolve().as_uri(),
                            _properties(FilterName="writer_pdf_Export"))
    finally:
        document.close(True)


def _properties(**values: object) -> tuple[Any, ...]:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    made = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        made.append(item)
    return tuple(made)


def _say(answer: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def _quit(office: subprocess.Popen[bytes], desktop: Any) -> None:
    """End LibreOffice: asked through UNO while the bridge lives (it keeps no document
    open), told as any process is otherwise, killed when it does not end soon (and
    ikidoc.office ends the whole process group after this one)."""
    if office.poll() is not None:
        return
    try:
        if desktop is None:
            office.terminate()
        else:
            desktop.terminate()
    except Exception:  # noqa: BLE001 (a broken bridge: told as any process then)
        office.terminate()
    try:
        office.wait(_QUIT_SECONDS)
    except subprocess.TimeoutExpired:
        office.kill()
        office.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
