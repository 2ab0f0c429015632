"""What changed on the portal behind the recorded hashes: every file the portal says is current
is downloaded and compared by sha256, every DataStore table marked loaded is read back and
compared cell by cell (`opendata publish --verify`)."""
from __future__ import annotations

import decimal

import ckanapi
import requests

from .client import Portal, error_text
from .datastore import DATASTORE_CHUNK
from .errors import AuthError, PublishError, TransientError
from .mapping import DatasetSpec, sha256_bytes


def datastore_rows(portal: Portal, resource_id: str, page: int = DATASTORE_CHUNK) -> tuple[list[str], list[dict]]:
    """Every row of a DataStore table (datastore_search, paged by `page` rows, in _id
    order): the column names (without _id) and the rows."""
    rows: list[dict] = []
    columns: list[str] = []
    while True:
        found = portal.call("datastore_search", resource_id=resource_id, limit=page, offset=len(rows), sort="_id")
        columns = [f["id"] for f in found.get("fields") or [] if f["id"] != "_id"]
        batch = found.get("records") or []
        rows += batch
        if len(batch) < page or len(rows) >= (found.get("total") or 0):
            return columns, rows


def _same_cell(portal_value, text: str | None, kind: str) -> bool:
    """True when the DataStore's value equals the CSV's text (numbers compared as Decimal)."""
    if text is None or portal_value is None or portal_value == "":
        return (text is None) == (portal_value is None or portal_value == "")
    if kind in ("numeric", "int"):
        try:
            return decimal.Decimal(str(portal_value)) == decimal.Decimal(text)
        except decimal.InvalidOperation:
            return False
    return str(portal_value) == text


def verify_dataset(portal: Portal, spec: DatasetSpec, pkg: dict) -> tuple[dict[str, set[str]], list[str]]:
    """Compare what the portal serves with the package, past the recorded hashes: every
    resource file the portal says is current is downloaded and its sha256 compared, every
    DataStore table marked loaded is read (all rows) and compared cell by cell with the
    table's rows. Returns (drift for `plan`: resource name -> {"file", "rows"}, findings:
    one sentence per drifted resource)."""
    drift: dict[str, set[str]] = {}
    findings: list[str] = []
    current: dict[str, dict] = {}
    for found in pkg.get("resources") or []:
        current.setdefault(found.get("name") or "", found)
    for res in spec.resources:
        existing = current.get(res.name)
        if existing is None or existing.get("hash") != res.hash or existing.get("url_type") != "upload":
            continue  # publishing replaces it anyway
        try:
            got = sha256_bytes(portal.download(existing["url"]))
            why = f"its sha256 is {got[:12]}…, the package's {res.hash[:12]}…" if got != res.hash else ""
        except (AuthError, TransientError):
            raise
        except (requests.exceptions.HTTPError, PublishError) as exc:
            why = f"it cannot be downloaded ({error_text(exc, 120, secret=portal.token)})"
        if why:
            drift.setdefault(res.name, set()).add("file")
            findings.append(f"{res.name}: the file on the portal differs from the package: {why}")
        if not (res.table_id and existing.get("datastore_active") and existing.get("datastore_hash") == res.hash):
            continue
        try:
            columns, rows = datastore_rows(portal, existing["id"])
        except ckanapi.NotFound:
            columns, rows = [], []
        wanted = [f["id"] for f in res.fields or []]
        types = {f["id"]: f["type"] for f in res.fields or []}
        problems = []
        if columns != wanted:
            problems.append(f"columns {columns} instead of {wanted}")
        else:
            key = "row_id" if "row_id" in types else None
            local = {(r[key] if key else i): r for i, r in enumerate(res.records or [])}
            remote = {(r.get(key) if key else i): r for i, r in enumerate(rows)}
            missing = [k for k in local if k not in remote]
            extra = [k for k in remote if k not in local]
            changed = [k for k, r in local.items() if k in remote
                       and not all(_same_cell(remote[k].get(c), r.get(c), types[c]) for c in wanted)]
            for label, keys in (("missing", missing), ("not in the package", extra), ("changed", changed)):
                if keys:
                    problems.append(f"{len(keys)} row(s) {label} (" + ", ".join(map(str, keys[:3]))
                                    + (", …" if len(keys) > 3 else "") + ")")
        if problems:
            drift.setdefault(res.name, set()).add("rows")
            findings.append(f"{res.name}: the DataStore table differs from the package: " + "; ".join(problems))
    return drift, findings
