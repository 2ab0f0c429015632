"""Reading a package back from a portal (`opendata pull`): what the portal serves is untrusted."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import ckanapi

from ..package import DESCRIPTOR, OutputRefused, PackageError, output_folder, parse_json_object, safe_resource_path
from ..standard import load_standard
from .client import Portal, error_text
from .errors import PublishError
from .mapping import sha256_bytes

ADVICE = "choose another --out (the package folder) or --out-dir (pull writes <out-dir>/<name>)"


def pull_package(portal: Portal, dataset: str, out: str | Path | None = None, *,
                 out_dir: str | Path | None = None) -> Path:
    """Rebuild a package from the portal: datapackage.json, every table's CSV and the
    source document, each checked against the sha256 the portal recorded. The package is
    written into the folder `out` (like `convert --out`), or into `out_dir`/<package name>
    (like `convert --out-dir`); give exactly one of them (PublishError otherwise). Returns
    the package folder.

    What the portal serves is untrusted: the package name in its datapackage.json must
    match the standard's name pattern and equal the dataset's name on the portal; every
    resource path must stay inside the package (package.safe_resource_path); downloads
    come only from the portal's own origin (Portal.download). The files are written to a
    staging folder beside it and renamed into place. An existing folder there is only
    replaced when it holds nothing but files of the same package that a pull writes, never
    version history (releases/, CHANGELOG.md) or other files. Raises PublishError (nothing
    written, nothing replaced) or AuthError."""
    if (out is None) == (out_dir is None):
        raise PublishError("pull writes a package into --out DIR, or into --out-dir DIR/<package name>: "
                           "give exactly one of them")
    try:
        pkg = portal.call("package_show", id=dataset)
    except ckanapi.NotFound:
        raise PublishError(f"{portal.url}: no dataset {dataset!r}") from None
    except ckanapi.CKANAPIError as exc:  # ValidationError, SearchError: the portal's words
        raise PublishError(f"{portal.url}: package_show {dataset!r} failed: {error_text(exc, secret=portal.token)}") from None
    by_name: dict[str, dict] = {}
    for res in pkg.get("resources") or []:
        if isinstance(res, dict):
            by_name.setdefault(str(res.get("name") or ""), res)
    where = f"{portal.url}, dataset {dataset!r}"

    def fetch(name: str) -> bytes:
        res = by_name.get(name)
        if res is None:
            raise PublishError(f"{where} has no resource {name!r}")
        if not isinstance(res.get("url"), str):
            raise PublishError(f"{where}: resource {name!r} has no URL")
        data = portal.download(res["url"])
        if res.get("hash") and res["hash"] != sha256_bytes(data):
            raise PublishError(f"{where}: resource {name!r}: downloaded bytes do not match its sha256 {res['hash']}")
        return data

    descriptor_bytes = fetch(DESCRIPTOR)
    try:
        descriptor = parse_json_object(descriptor_bytes, f"{where}: its {DESCRIPTOR}")
    except PackageError as exc:
        raise PublishError(str(exc)) from None
    name = untrusted_package_name(descriptor.get("name"), pkg.get("name"), where)
    target = Path(out) if out is not None else Path(out_dir) / name
    try:  # the one output-folder mechanism: staging beside the target, synced, renamed in
        with output_folder(target, keep_history=False) as staging:
            files = _pull_files(descriptor, staging, by_name, where)
            written = {path.relative_to(staging.resolve()).as_posix() for _, path in files} | {DESCRIPTOR}
            _check_replaceable(target, name, written)
            (staging / DESCRIPTOR).write_bytes(descriptor_bytes)
            for key, path in files:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(fetch(key))
            _check_replaceable(target, name, written)  # again: the downloads took a while
    except OutputRefused as exc:
        raise PublishError(f"{exc}; {ADVICE}") from None
    return target


def untrusted_package_name(name, expected, where: str = "the portal") -> str:
    """`name` (from a portal's datapackage.json) when it is safe to use as a folder name:
    it matches the standard's package-name pattern (schema/datapackage.schema.json, so no
    `/`, `..` or absolute path) and equals `expected`, the dataset's own name on the portal.
    Raises PublishError otherwise."""
    pattern = load_standard().descriptor_schema["properties"]["name"]["pattern"]
    shown = repr(name) if len(repr(name)) <= 120 else repr(name)[:120] + "…"
    if not isinstance(name, str) or not re.fullmatch(pattern, name):
        raise PublishError(f"{where}: its {DESCRIPTOR} names the package {shown}, which is not a package name "
                           f"(pattern {pattern}: no '/', '..' or absolute path); pull refuses it")
    if name != expected:
        raise PublishError(f"{where}: its {DESCRIPTOR} names the package {shown}, but the dataset on the portal "
                           f"is {expected!r}; pull refuses a package that names another")
    return name


def pulled_path_allowed(relative, folder: str) -> bool:
    """True when `relative` (a path a portal's datapackage.json gives) is `<folder>/<name>`:
    a table in data/ or the source document in source/, the name a plain file name (no
    separators of any system, no drive colon, not hidden, no control characters). Everything
    else — releases/, CHANGELOG.md, .lock, nested or Windows paths — is refused by pull: a
    portal must not be able to plant a package's version history."""
    if not isinstance(relative, str) or not relative.startswith(folder + "/"):
        return False
    name = relative[len(folder) + 1:]
    return bool(name) and not name.startswith(".") and not any(c in name for c in "/\\:") \
        and all(c >= " " and c != "\x7f" for c in name)


def _pull_files(descriptor: dict, staging: Path, by_name: dict, where: str) -> list[tuple[str, Path]]:
    """(portal resource name, file in staging) of every file the descriptor lists, each path
    checked with safe_resource_path, no two the same, none the descriptor itself."""
    wanted: list[tuple[str, object]] = []
    resources = descriptor.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise PublishError(f"{where}: its {DESCRIPTOR} has `resources` that are not a list of objects")
    for resource in resources:
        key = resource.get("name") or resource.get("tableId")   # the resource key (unlisted_table_N)
        if not isinstance(key, str):
            raise PublishError(f"{where}: a resource in its {DESCRIPTOR} has no name")
        wanted.append((key, resource.get("path"), "data"))
    source = descriptor.get("source") or {}
    if isinstance(source, dict) and source.get("path") and isinstance(source.get("filename"), str) \
            and f"source/{source['filename']}" in by_name:
        wanted.append((f"source/{source['filename']}", source["path"], "source"))
    files: list[tuple[str, Path]] = []
    seen = {(staging / DESCRIPTOR).resolve()}
    for key, relative, folder in wanted:
        if not pulled_path_allowed(relative, folder):
            raise PublishError(f"{where}: its {DESCRIPTOR} lists the file {relative!r}; pull writes only files "
                               f"directly in {folder}/ (a plain file name: no '/', '\\', ':' or leading '.'), never "
                               "version history (releases/, CHANGELOG.md) or anything else; pull refuses it")
        try:
            path = safe_resource_path(staging, relative)
        except PackageError as exc:
            raise PublishError(f"{where}: its {DESCRIPTOR}: {exc}; pull refuses it") from None
        if path in seen:
            raise PublishError(f"{where}: its {DESCRIPTOR} lists the file {relative!r} twice (or as the descriptor)")
        seen.add(path)
        files.append((key, path))
    return files


def _check_replaceable(target: Path, name: str, written: set[str]) -> None:
    """Nothing when `target` is absent or may be replaced by a pull of package `name` that
    writes `written` (relative POSIX paths): an empty folder, or the same package holding only
    files this pull or an earlier one writes. Raises PublishError otherwise."""
    if not target.exists() and not target.is_symlink():
        return
    advice = ADVICE + ", or move the folder away first"
    if target.is_symlink() or not target.is_dir():
        raise PublishError(f"{target} exists and is not a folder; pull does not replace it: {advice}")
    entries: list[tuple[str, bool]] = []  # (relative path, is a folder)
    for dirpath, dirnames, filenames in os.walk(target):
        rel_dir = Path(dirpath).relative_to(target)
        entries += [((rel_dir / d).as_posix(), not (Path(dirpath) / d).is_symlink()) for d in dirnames]
        entries += [((rel_dir / f).as_posix(), False) for f in filenames]
    if not entries:
        return
    try:
        old = json.loads((target / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        old = None
    if not isinstance(old, dict) or old.get("name") != name:
        raise PublishError(f"{target} exists and is not the package {name!r} pulled before; pull does not "
                           f"replace it: {advice}")
    allowed = set(written)
    listed = [r.get("path") for r in old.get("resources") or [] if isinstance(r, dict)]
    listed.append((old.get("source") or {}).get("path") if isinstance(old.get("source"), dict) else None)
    for relative in listed:
        try:
            allowed.add(safe_resource_path(target, relative).relative_to(target.resolve()).as_posix())
        except (PackageError, ValueError):
            pass
    folders = {parent.as_posix() for path in allowed for parent in Path(path).parents if parent != Path(".")}
    extra = sorted(rel for rel, is_dir in entries if rel not in (folders if is_dir else allowed))
    if extra:
        shown = ", ".join(extra[:5]) + (" …" if len(extra) > 5 else "")
        raise PublishError(f"{target} holds files pull did not write ({shown}); pull never replaces a folder "
                           f"holding anything else, such as a package's version history (releases/, "
                           f"CHANGELOG.md): {advice}")
