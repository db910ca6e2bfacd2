"""A lock file that says who holds it, taken over when its holder has died.

The file is created with O_CREAT|O_EXCL, which only one process can do, on any file
system and operating system. It holds the pid, host and start time of its holder (and a
random id, so that no two locks ever read the same), so a lock left behind by a run that
was killed is recognised and taken over, and a lock that is really held is reported with
who holds it.

Taking over is as exclusive as taking: a dead holder's lock is removed only by the run
that created the takeover marker named after that very lock, again with O_EXCL. See
``_take_over`` for why that leaves exactly one holder however many runs race.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import stat
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ikidoc.errors import ArchiveError, uncreatable
from ikidoc.messages import Message, msg

NAME = ".lock"
WAIT = 30.0  # seconds; writing one unit takes a few, with PDFs a few more
_POLL = 0.1
_MARKER = ".takeover-"
_MAX_BYTES = 4096  # a lock that ikidoc writes holds about 150


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
                         "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                         "id": uuid.uuid4().hex})
    while True:
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            text = _read(path)
            holder = _holder(text)
            if text is not None and holder is not None and _dead(holder) and _take_over(path, text):
                continue
            if time.monotonic() >= deadline:
                raise ArchiveError(path=path, detail=_held_message(holder, wait)) from None
            time.sleep(_POLL)
            continue
        except OSError as error:
            raise ArchiveError(path=path, detail=uncreatable(error)) from None
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(record + "\n")
        _remove_markers(path)
        return


def _read(path: Path) -> str | None:
    """The lock's text, or None when it is gone, cannot be read, or is not a lock that
    ikidoc writes (a FIFO would block the read, a huge file fill the memory)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            return handle.read(_MAX_BYTES).decode("utf-8")
    except (OSError, ValueError):
        return None


def _holder(text: str | None) -> dict[str, Any] | None:
    """The holder written in a lock's text, or None while it is being written."""
    try:
        holder = json.loads(text) if text else None
    except ValueError:
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


def _take_over(path: Path, text: str) -> bool:
    """Remove the dead holder's lock whose content is ``text``, so that the next O_EXCL
    create decides who holds the unit; False when another run is taking it over (wait
    and look again) or it cannot be removed (then it is reported like a held lock).

    Only the run that creates this lock's marker (O_EXCL again) removes it, and only
    while the lock still reads ``text``. No other run removes a lock with that text (its
    holder is dead, and the marker is ours), and no two locks read the same (each has a
    random id), so the lock cannot change between that check and the removal: a run
    that took the unit meanwhile is never robbed of it. A later run that finds the
    marker gone finds a lock of another text, and leaves it.
    """
    marker = _marker(path, text)
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except OSError:
        return False
    try:
        if _read(path) == text:
            path.unlink()
    except OSError:
        return False
    finally:
        marker.unlink(missing_ok=True)
    return True


def _marker(path: Path, text: str) -> Path:
    return path.with_name(f"{path.name}{_MARKER}{hashlib.sha256(text.encode()).hexdigest()[:16]}")


def _remove_markers(path: Path) -> None:
    """Remove the markers of a run killed while taking a lock over. The lock is ours, so
    each names a lock that is gone: a run holding one finds another text and leaves it."""
    for marker in path.parent.glob(f"{path.name}{_MARKER}*"):
        marker.unlink(missing_ok=True)


def _held_message(holder: dict[str, Any] | None, wait: float) -> Message:
    if holder:
        who = msg("lock.holder", "another ikidoc run (pid {pid} on {host}, since {since})",
                  pid=holder["pid"], host=holder.get("host"), since=holder.get("since"))
    else:
        who = msg("lock.someone", "another ikidoc run")
    return msg("lock.held", "{who} is writing this unit; waited {wait:g} seconds. Run again "
               "when it has finished; if no ikidoc is running any more, delete this file",
               who=who, wait=wait)
