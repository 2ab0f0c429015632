"""Publishing: what the portal lacks (`plan`), sending it (`execute`), and the runs over one
package (`publish_package`) and many (`publish`). See the docstring of `opendata.ckan`."""
from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import ckanapi

from ..package import DESCRIPTOR, Package, PackageError
from ..standard import load_standard
from .client import Portal, error_text
from .datastore import DATASTORE_CHUNK, datastore_records
from .errors import AuthError, InvalidPackage, PackageRefused, PortalDown, PublishError, TransientError
from .mapping import (EXTRA_KEYS, DatasetSpec, ResourceSpec, as_package, current_extras, dataset_fields, dataset_spec,
                      validation_report)
from .verify import verify_dataset


@dataclass
class Step:
    """One step of a plan: `kind` (create-org, create-dataset, upload, replace, datastore,
    patch-resource, delete-resource, patch-dataset), its target (resource or dataset name), a
    note for people, and what `execute` needs (the resource, its id on the portal, data)."""
    kind: str          # create-org, create-dataset, upload, replace, datastore, patch-resource, delete-resource, patch-dataset
    target: str        # resource name or dataset name
    detail: str = ""
    resource: ResourceSpec | None = None
    resource_id: str | None = None
    data: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.kind:<16} {self.target}" + (f"  ({self.detail})" if self.detail else "")


OUR_SUFFIXES = ("-excel",)


def _ours(name: str, tables: set[str]) -> bool:
    """A resource this publisher manages (so it may delete it when the package no longer has it)."""
    if name in (DESCRIPTOR, "validation-report.json") or name.startswith("source/"):
        return True
    base = name[: -len("-excel")] if name.endswith("-excel") else name
    return base in tables


def plan(spec: DatasetSpec, pkg: dict | None, org: dict | None,
         drift: dict[str, set[str]] | None = None) -> list[Step]:
    """The steps that bring the portal from `pkg` (package_show, None if missing) to `spec`.
    `drift` (from verify_dataset): resource name -> {"file", "rows"}, what was changed on
    the portal behind the recorded hashes' back; such a file is uploaded again, such
    DataStore rows loaded again."""
    drift = drift or {}
    steps: list[Step] = []
    if org is None:
        steps.append(Step("create-org", spec.org_name, spec.org_title))
    if pkg is None:
        steps.append(Step("create-dataset", spec.name, spec.title))
        current: dict[str, list[dict]] = {}
    else:
        current = {}
        for res in pkg.get("resources") or []:
            current.setdefault(res.get("name") or "", []).append(res)
    wanted = {r.name for r in spec.resources}
    tables = set(load_standard().tables) | {r.table_id for r in spec.resources if r.table_id}
    for name, found in current.items():
        if name not in wanted and _ours(name, tables):
            steps += [Step("delete-resource", name, "no longer in the package", resource_id=r["id"]) for r in found]
        elif name in wanted and len(found) > 1:  # a lost answer to a create, then a rerun
            steps += [Step("delete-resource", name, "duplicate", resource_id=r["id"]) for r in found[1:]]
    for res in spec.resources:
        existing = (current.get(res.name) or [None])[0]
        if existing is None:
            steps.append(Step("upload", res.name, f"{len(res.data)} bytes", resource=res))
            if res.table_id:
                steps.append(Step("datastore", res.name, "load rows", resource=res))
            continue
        rid = existing["id"]
        drifted = drift.get(res.name) or set()
        if existing.get("hash") != res.hash or existing.get("url_type") != "upload" or "file" in drifted:
            if res.table_id:
                steps.append(Step("datastore", res.name, "reload rows", resource=res, resource_id=rid))
            steps.append(Step("replace", res.name, f"{len(res.data)} bytes, sha256 {res.hash[:12]}"
                              + (", the portal's file drifted" if "file" in drifted else ""),
                              resource=res, resource_id=rid))
            continue
        if res.table_id and (existing.get("datastore_hash") != res.hash or not existing.get("datastore_active")):
            steps.append(Step("datastore", res.name, "load rows", resource=res, resource_id=rid))
            steps.append(Step("patch-resource", res.name, "mark DataStore loaded", resource=res,
                              resource_id=rid, data={"datastore_hash": res.hash}))
            continue
        if res.table_id and "rows" in drifted:  # the mark is right, the rows are not
            steps.append(Step("datastore", res.name, "reload rows that drifted", resource=res, resource_id=rid,
                              data={"marked": True}))
            continue
        changed = {k: v for k, v in (("description", res.description), ("format", res.format))
                   if (existing.get(k) or "") != v}
        if changed:
            steps.append(Step("patch-resource", res.name, ", ".join(changed), resource=res, resource_id=rid,
                              data=changed))
    # dataset metadata last: content_hash says the publish completed
    if pkg is None:
        steps.append(Step("patch-dataset", spec.name, "metadata, extras"))
    else:
        changed = []
        for key, value in (("title", spec.title), ("notes", spec.notes)):
            if (pkg.get(key) or "") != value:
                changed.append(key)
        if org is not None and pkg.get("owner_org") != org.get("id"):
            changed.append("owner_org")
        if sorted(t["name"] for t in pkg.get("tags") or []) != sorted(spec.tags):
            changed.append("tags")
        extras = current_extras(pkg)
        changed += [f"{k}={spec.extras[k][:16]}" for k in EXTRA_KEYS if extras.get(k) != spec.extras[k]]
        if spec.license_id and pkg.get("license_id") != spec.license_id:
            changed.append("license_id")
        if changed or any(s.kind != "patch-dataset" for s in steps):
            steps.append(Step("patch-dataset", spec.name, ", ".join(changed) or "after resource changes"))
    return steps

@dataclass
class PublishResult:
    """What publishing one package did: status, the planned steps (as text), the write calls sent
    (`writes`; `writes_unknown` of them with their answer lost), drift found by verify, seconds,
    the error (refused/failed) and the dataset's URL."""
    name: str
    path: str
    status: str = ""            # created, updated, repaired, unchanged, planned, refused, failed, not attempted
    steps: list[str] = field(default_factory=list)
    writes: int = 0             # write calls sent that may have landed (failed packages included)
    writes_unknown: int = 0     # of those, the ones whose answer was lost
    drift: list[str] = field(default_factory=list)  # what verify found changed on the portal
    seconds: float = 0.0
    error: str | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        """The result as a JSON-ready dict (the --json output)."""
        return {k: v for k, v in self.__dict__.items()}


def _show_package(portal: Portal, name: str) -> dict | None:
    try:
        pkg = portal.call("package_show", id=name)
    except ckanapi.NotFound:
        return None
    return None if pkg.get("state") == "deleted" else pkg


def _show_org(portal: Portal, name: str, cache: dict | None = None) -> dict | None:
    if cache is not None and name in cache:
        return cache[name]
    try:
        org = portal.call("organization_show", id=name, include_datasets=False)
    except ckanapi.NotFound:
        org = None
    if cache is not None and org is not None:
        cache[name] = org
    return org

def _upload(res: ResourceSpec) -> dict:
    return {"upload": (res.filename, io.BytesIO(res.data), res.mimetype or "application/octet-stream")}


def _load_datastore(portal: Portal, spec: DatasetSpec, res: ResourceSpec, resource_id: str,
                    new: bool = False) -> None:
    fields, records = res.fields, res.records
    if records is None:
        fields, records = datastore_records(spec.package, res.table_id)
    if not new:  # recreate: rows may have gone, columns changed type
        try:
            portal.call("datastore_delete", resource_id=resource_id, force=True)
        except ckanapi.NotFound:
            pass
    portal.call("datastore_create", resource_id=resource_id, force=True, fields=fields,
                primary_key=["row_id"], records=records[:DATASTORE_CHUNK],
                calculate_record_count=True)
    for start in range(DATASTORE_CHUNK, len(records), DATASTORE_CHUNK):
        portal.call("datastore_upsert", resource_id=resource_id, force=True, method="insert",
                    records=records[start:start + DATASTORE_CHUNK])


def execute(portal: Portal, spec: DatasetSpec, steps: list[Step], pkg: dict | None, org: dict | None,
            org_cache: dict | None = None) -> dict:
    """Carry out `steps` (from `plan`) on the portal: the organization and the dataset first
    when missing (the dataset without content_hash, which the last patch-dataset writes), then
    each step in order. Returns the dataset (package_create's or `pkg`). Raises what
    `Portal.call` raises; a step that fails leaves the rest for the next run's plan."""
    if org is None:
        try:
            org = portal.call("organization_create", name=spec.org_name, title=spec.org_title)
        except ckanapi.ValidationError:  # created meanwhile (a lost answer): use it
            org = _show_org(portal, spec.org_name)
            if org is None:
                raise
        if org_cache is not None:
            org_cache[spec.org_name] = org
    if pkg is None:
        # content_hash is left empty until the end: it says the publish completed
        fields = dataset_fields(spec, org["id"], None, portal.schema_fields())
        if "content_hash" in fields:
            fields["content_hash"] = ""
        fields["extras"] = [e for e in fields["extras"] if e["key"] != "content_hash"]
        pkg = portal.call("package_create", **fields)
    for step in steps:
        res = step.resource
        if step.kind == "delete-resource":
            try:
                portal.call("resource_delete", id=step.resource_id)
            except ckanapi.NotFound:
                pass
        elif step.kind == "upload":
            # a table loaded by one datastore_create call is marked loaded at once: until that
            # call succeeds, datastore_active is false and the next run loads it again
            at_once = bool(res.table_id) and res.data.count(b"\n") <= DATASTORE_CHUNK
            created = portal.call("resource_create", files=_upload(res), package_id=pkg["id"], name=res.name,
                                  description=res.description, format=res.format, hash=res.hash,
                                  datastore_hash=res.hash if at_once else "")
            step.resource_id = created["id"]
            for later in steps:
                if later.kind == "datastore" and later.target == res.name and later.resource_id is None:
                    later.resource_id = created["id"]
                    later.data["new"] = True
                    later.data["marked"] = at_once
        elif step.kind == "datastore":
            _load_datastore(portal, spec, res, step.resource_id, new=step.data.get("new", False))
            if step.data.get("marked"):
                continue
            if not any(s.kind == "replace" and s.target == res.name for s in steps):
                if not any(s.kind == "patch-resource" and s.target == res.name for s in steps):
                    portal.call("resource_patch", id=step.resource_id, datastore_hash=res.hash)
        elif step.kind == "replace":
            extra = {"datastore_hash": res.hash} if res.table_id else {}
            portal.call("resource_patch", files=_upload(res), id=step.resource_id, description=res.description,
                        format=res.format, hash=res.hash, **extra)
        elif step.kind == "patch-resource":
            portal.call("resource_patch", id=step.resource_id, **step.data)
        elif step.kind == "patch-dataset":
            fresh = _show_package(portal, spec.name) or pkg
            portal.call("package_patch", id=fresh["id"], **dataset_fields(spec, org["id"], fresh,
                                                                              portal.schema_fields()))
    return pkg


def publish_package(portal: Portal, package: Package | str | Path, *, org: str | None = None, dry_run: bool = False,
                    allow_invalid: bool = False, excel_csv: bool = False, attempts: int = 3,
                    org_cache: dict | None = None, verify: bool = False) -> PublishResult:
    """Bring the portal's dataset for one package up to date (see the module docstring).

    Everything that can fail locally (validation, reading and decoding every CSV, building
    the DataStore rows) is done before the first write. With `verify`, the portal's files
    and DataStore rows are compared with the package too (verify_dataset) and what drifted
    is repaired; the result's `drift` says what was found.

    Raises InvalidPackage (validation errors, without allow_invalid), UnreadableTable (a
    CSV that cannot be read or loaded; nothing written), AuthError, PortalDown and
    PublishError/TransientError; a transient failure makes it plan again from what the
    portal holds, up to `attempts` times."""
    t0 = time.time()
    package = as_package(package)
    descriptor = package.descriptor  # read once; every step below takes the Package
    result = PublishResult(name=str(descriptor.get("name")), path=package.label)
    report, report_bytes = validation_report(package, str(descriptor.get("name")))
    if not report["valid"] and not allow_invalid:
        rules = sorted({f["rule"] for f in report["findings"] if f["severity"] == "error"})
        raise InvalidPackage(f"{package.label}: {report['errors']} validation error(s) ({', '.join(rules)}); "
                             "fix them or publish with --allow-invalid")
    spec = dataset_spec(package, org=org, excel_csv=excel_csv, report_bytes=report_bytes)
    writes_before, unknown_before = portal.writes, portal.writes_unknown
    was_new = False
    for attempt in range(attempts):
        try:
            pkg = _show_package(portal, spec.name)
            if attempt == 0:
                was_new = pkg is None  # a dataset created by an earlier attempt is still "created"
            org_dict = _show_org(portal, spec.org_name, org_cache)
            drift: dict[str, set[str]] = {}
            if verify and pkg is not None:
                drift, result.drift = verify_dataset(portal, spec, pkg)
            steps = plan(spec, pkg, org_dict, drift)
            result.steps = [str(s) for s in steps]
            if dry_run:
                result.status = "planned" if steps else "unchanged"
                break
            if not steps:
                result.status = "unchanged"
                break
            execute(portal, spec, steps, pkg, org_dict, org_cache)
            result.status = "created" if was_new else "repaired" if drift else "updated"
            break
        except PortalDown:
            raise
        except TransientError:
            if attempt + 1 >= attempts:
                raise
            portal.wait(portal.backoff * (2 ** (attempt + 1)))
    result.writes = portal.writes - writes_before
    result.writes_unknown = portal.writes_unknown - unknown_before
    result.seconds = time.time() - t0
    result.url = f"{portal.url}/dataset/{spec.name}"
    return result


def check_unique_names(paths: list[Path | Package]) -> None:
    """Raise PublishError when two packages in `paths` (folders or Packages) have the same name
    (one dataset cannot hold both: each publish would undo the other), naming both folders.
    Packages whose descriptor cannot be read are left to fail on their own."""
    seen: dict[str, str] = {}
    clashes = []
    for package in map(as_package, paths):
        try:
            name = str(package.name)
        except PackageError:
            continue
        if name in seen:
            clashes.append(f"{name!r} in {seen[name]} and {package.label}")
        else:
            seen[name] = package.label
    if clashes:
        raise PublishError("packages with the same name cannot be published in one run (they would be the "
                           "same dataset): " + "; ".join(clashes)
                           + ". Give each its own name in datapackage.json. Nothing was published.")


def publish(portal: Portal, paths: list[Path | Package], *, progress: Callable[[PublishResult], None] | None = None,
            **options) -> list[PublishResult]:
    """Publish every package (folders or Packages; options as publish_package) and return one
    PublishResult each. Each package is read once (one Package object per folder).

    Duplicate package names are refused before any write (PublishError). A package that
    fails or is refused is recorded (its `writes` count what was sent before it failed)
    and the next one is tried. An authorization failure stops the run (AuthError), and so
    does a portal that cannot be reached (PortalDown, whose `results` hold the results so
    far, the packages not tried marked "not attempted")."""
    packages = [as_package(p) for p in paths]
    check_unique_names(packages)
    results = []
    org_cache: dict = {}
    for index, package in enumerate(packages):
        writes, unknown = portal.writes, portal.writes_unknown
        try:
            result = publish_package(portal, package, org_cache=org_cache, **options)
        except AuthError:
            raise
        except (PublishError, PackageError, ckanapi.CKANAPIError) as exc:
            result = PublishResult(name=_package_name(package), path=package.label,
                                   error=error_text(exc, secret=portal.token),
                                   status="refused" if isinstance(exc, PackageRefused) else "failed",
                                   writes=portal.writes - writes, writes_unknown=portal.writes_unknown - unknown)
            if isinstance(exc, PortalDown):
                results.append(result)
                if progress:
                    progress(result)
                results += [PublishResult(name=_package_name(p), path=p.label, status="not attempted")
                            for p in packages[index + 1:]]
                exc.results = results
                raise
        results.append(result)
        if progress:
            progress(result)
    return results


def _package_name(package: Package) -> str:
    try:
        return str(package.name or Path(package.label).name)
    except PackageError:
        return Path(package.label).name
