"""Release archives: a package's files as one deterministic .tar.gz, and back."""
from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import PurePosixPath

from ..package import DESCRIPTOR
from .errors import TamperedRelease


def make_archive(files: dict[str, bytes]) -> bytes:
    """A deterministic .tar.gz of `files`: sorted entries, mtime 0, uid/gid 0, no user names,
    mode 0644, gzip header without name or time. The same content gives the same bytes."""
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(files):
                data = files[name]
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), 0, 0o644
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


def read_archive(data: bytes, label: str) -> dict[str, bytes]:
    """The files of a release archive (.tar.gz bytes) as {relative POSIX path: bytes}.
    TamperedRelease naming `label` when it cannot be read, holds anything but plain files
    inside the package, or has no datapackage.json."""
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                name = PurePosixPath(member.name)
                if not member.isfile() or name.is_absolute() or ".." in name.parts:
                    raise TamperedRelease(f"{label}: archive entry {member.name!r} is not a plain file inside the package")
                handle = tar.extractfile(member)
                files[name.as_posix()] = handle.read() if handle else b""
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise TamperedRelease(f"{label}: the archive cannot be read ({exc})") from exc
    if DESCRIPTOR not in files:
        raise TamperedRelease(f"{label}: the archive has no {DESCRIPTOR}")
    return files
