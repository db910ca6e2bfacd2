"""A lock file that says who holds it, taken over when its holder has died.

The file is created with O_CREAT|O_EXCL, which only one process can do, on any file
system and operating system. It holds the pid, host and start time of its holder, so
a lock left behind by a run that was killed is recognised and taken over, and a lock
that is really held is reported with who holds it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ikidoc.errors import ArchiveError

NAME = ".lock"
WAIT = 30.0  # seconds; writing one unit takes a few, with PDFs a few more
_POLL = 0.1


@contextmanager
def hold(path: Path, wait: float = WAIT) -> Iterator[None]:
    """Hold the lock file ``path`` for the block; remove it on leaving, error or not.

    Raises ArchiveError naming the holder when another live process keeps the lock
    for ``wait`` seconds, or when the file cannot be created at all.
    """
    _acquire(path, wait)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def _acquire(path: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    record = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                         "since": dt.datetime.now().astimezone().isoformat(timespec="seconds")})
    while True:
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _read(path)
            if holder is not None and _dead(holder) and _take_over(path, holder):
                continue
            if time.monotonic() >= deadline:
                raise ArchiveError(path=path, detail=_held_message(holder, wait)) from None
            time.sleep(_POLL)
            continue
        except OSError as error:
            raise ArchiveError(path=path,
                               detail=f"cannot be created: {error.strerror or error}") from None
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(record + "\n")
        return


def _read(path: Path) -> dict[str, Any] | None:
    """The holder written in the lock, or None while it is being written (or unreadable)."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) and isinstance(holder.get("pid"), int) else None


def _dead(holder: dict[str, Any]) -> bool:
    """True when the holder ran on this host and its process is gone. A holder on
    another host (a shared folder) cannot be checked and counts as alive."""
    if holder.get("host") != socket.gethostname() or os.name != "posix":
        return False  # on Windows os.kill(pid, 0) would end the process instead of probing it
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, run by another user
        return False
    return False


def _take_over(path: Path, holder: dict[str, Any]) -> bool:
    """Remove a dead holder's lock, unless another run has taken it over meanwhile;
    False when it cannot be removed (then it is reported like a held lock)."""
    try:
        if _read(path) == holder:
            path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _held_message(holder: dict[str, Any] | None, wait: float) -> str:
    who = (f"another ikidoc run (pid {holder['pid']} on {holder.get('host')}, since "
           f"{holder.get('since')})" if holder else "another ikidoc run")
    return (f"{who} is writing this unit; waited {wait:g} seconds. Run again when it has "
            "finished; if no ikidoc is running any more, delete this file")
