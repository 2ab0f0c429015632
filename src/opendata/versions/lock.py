"""The release lock of a package (releases/.lock): one release of a package at a time, and a
lock left by a killed release is taken over."""
from __future__ import annotations

import fcntl
import json
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import ReleaseLocked
from .semver import utc_now

LOCK = ".lock"


@dataclass
class LockOwner:
    """Who holds (or held) a release lock, as recorded in releases/.lock."""
    pid: int | None = None
    host: str | None = None
    started: str | None = None

    @classmethod
    def parse(cls, text: str) -> "LockOwner":
        """The owner recorded in a lock file: JSON {pid, host, started}, or a bare pid (older
        versions of opendata), or nothing."""
        text = text.strip()
        if text.isdigit():
            return cls(pid=int(text))
        try:
            data = json.loads(text) if text else {}
        except (ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        pid = data.get("pid")
        return cls(pid if isinstance(pid, int) else None, str(data.get("host") or "") or None,
                   str(data.get("started") or "") or None)

    @classmethod
    def me(cls) -> "LockOwner":
        """This process, on this host, from now."""
        return cls(os.getpid(), socket.gethostname(), utc_now())

    def to_bytes(self) -> bytes:
        """What the lock file records: JSON {"pid", "host", "started"} in UTF-8."""
        return json.dumps({"pid": self.pid, "host": self.host, "started": self.started}).encode("utf-8")

    def alive(self) -> bool | None:
        """Whether the owner process still runs: None when that cannot be told (no pid, or
        another host)."""
        if not self.pid or (self.host and self.host != socket.gethostname()):
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def describe(self) -> str:
        """The owner for messages: "pid 42 on host, since 2024-…" ("owner unknown" without a pid)."""
        if not self.pid:
            return "owner unknown"
        return f"pid {self.pid}" + (f" on {self.host}" if self.host else "") + (f", since {self.started}" if self.started else "")


def _read_fd(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace")


@contextmanager
def release_lock(releases_dir: str | Path) -> Iterator[LockOwner | None]:
    """Hold the release lock of a package (`releases_dir`/.lock) for the block.

    The lock is an exclusive flock(2) on the lock file, which records the holder's pid, host
    and start time. The kernel drops the flock when its holder dies, so a lock left by a
    crashed or killed release is taken over; the block gets that dead owner (LockOwner), else
    None. ReleaseLocked, naming the holder, when a running release holds the lock (or a live
    process of an older opendata recorded only its pid)."""
    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    lock = releases_dir / LOCK
    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            owner = LockOwner.parse(_read_fd(fd))
            os.close(fd)
            raise ReleaseLocked(f"{lock}: another release of this package is running ({owner.describe()}); "
                                "wait for it to finish and run again") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed the file meanwhile: lock the new one
    try:
        text = _read_fd(fd)
        previous = LockOwner.parse(text) if text.strip() else None
        if previous and text.strip().isdigit() and previous.pid != os.getpid() and previous.alive():
            raise ReleaseLocked(f"{lock}: recorded by pid {previous.pid}, which is still running (a release by an "
                                f"older opendata?); wait for it to finish, or if that process is no release, "
                                f"remove {lock} and run again")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, LockOwner.me().to_bytes())
        os.fsync(fd)
        try:
            yield previous
        finally:
            lock.unlink(missing_ok=True)  # while still holding the flock
    finally:
        os.close(fd)  # releases the flock
