"""Publish packages to a CKAN portal and read them back, with ckanapi.

    portal = Portal("http://127.0.0.1:5055", token)
    result = publish_package(portal, "datapackages/110101-01075003-2021-budget")
    pull_package(portal, "110101-01075003-2021-budget", "out/")

One CKAN dataset per package, named by the package name. Its resources are found by a
stable key, the resource name: the table id for every table's CSV, `<table>-excel` for
the Excel-friendly copy (UTF-8 with BOM), `datapackage.json`, `validation-report.json`
and `source/<file>` for the source document. Every resource carries the sha256 of its
bytes in `hash`; a table's DataStore copy is marked as loaded by `datastore_hash`.
Publishing compares what the portal holds with what the package needs and sends only
the difference, so an unchanged package costs no write call, and a run that died
half-way is finished by running it again (duplicates left by a lost answer are removed).
The dataset's `content_hash` extra is written last: it says the last publish completed.
"""
from __future__ import annotations

import configparser
import csv
import decimal
import hashlib
import io
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

import ckanapi
import requests

from .package import (DESCRIPTOR, OutputRefused, PackageError, load_descriptor, output_folder, parse_json_object,
                      safe_resource_path)
from .standard import load_standard
from .versions import package_files

EXTRA_KEYS = ("fiscal_year", "stage", "unit_code", "division_code", "standard_version",
              "package_version", "content_hash")
DATASTORE_TYPES = {"string": "text", "number": "numeric", "integer": "int"}
DATASTORE_CHUNK = 5000
READ_SUFFIXES = ("_show", "_list", "_search", "_info", "_search_sql", "_autocomplete")
TRANSIENT_STATUS = {500, 502, 503, 504}
MAX_REDIRECTS = 5
DEFAULT_CONFIG = Path("~/.config/opendata/ckan.ini")


class PublishError(Exception):
    """Publishing could not be done; the message says why (never holds the token)."""


class AuthError(PublishError):
    """The portal refused the API token (or there was none)."""


class PackageRefused(PublishError):
    """The package cannot be published as it is (the portal was not written to)."""


class InvalidPackage(PackageRefused):
    """The package has validation errors and --allow-invalid was not given."""


class UnreadableTable(PackageRefused):
    """A table's CSV cannot be read or loaded into the DataStore (file and line in the
    message); found before any write for the package."""


class TransientError(PublishError):
    """The portal could not be reached or failed (timeout, connection, 5xx)."""


class PortalDown(TransientError):
    """The portal does not answer (connection refused, unknown host, no route), or its
    failures outlasted the retry budget: the run stops. `results` holds the results of
    the packages handled so far (set by `publish`)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.results: list = []


class ConfigError(PublishError):
    """The config file cannot be read or parsed; the message names the file and line, not its content."""


# -- configuration ------------------------------------------------------------

def read_config(path: str | Path | None = None) -> dict[str, str]:
    """`url` and `token` from an INI file's [ckan] section (default
    ~/.config/opendata/ckan.ini); an empty dict when the file does not exist.

    Raises ConfigError when the file cannot be read or parsed (no [ckan]-style section
    header, a line that is not `key = value`, a duplicate key, not UTF-8): the message
    names the file and the line, never the line's content (it may hold the token)."""
    path = Path(path or DEFAULT_CONFIG).expanduser()
    if not path.exists():
        return {}
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror or type(exc).__name__})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: line {line}: the config file is not UTF-8 text") from None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigError(f"{path}: line {exc.lineno}: expected a section header such as [ckan] before "
                          "the first `key = value` line") from None
    except configparser.ParsingError as exc:
        lines = ", ".join(str(lineno) for lineno, _ in exc.errors)
        raise ConfigError(f"{path}: line {lines}: expected `key = value` (or a [section] header)") from None
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as exc:
        what = "a section" if isinstance(exc, configparser.DuplicateSectionError) else "a key"
        raise ConfigError(f"{path}: line {exc.lineno}: {what} given twice") from None
    except configparser.Error as exc:  # any other parse error: its text may quote the file
        raise ConfigError(f"{path}: not a valid INI file ({type(exc).__name__})") from None
    if not parser.has_section("ckan"):
        return {}
    return {key: value.strip() for key, value in parser.items("ckan") if value.strip()}


def resolve_token(config_path: str | Path | None = None) -> str | None:
    """The API token: CKAN_API_TOKEN, else the config file's `token`."""
    return os.environ.get("CKAN_API_TOKEN") or read_config(config_path).get("token")


# -- the portal: ckanapi with retries and a count of write calls -------------------

def is_write(action: str) -> bool:
    return not (action.endswith(READ_SUFFIXES) or action.startswith("scheming_") or action == "status_show")


class Portal:
    """A CKAN portal: `call(action, **data)` with retries, and a count of the write calls.

    Failures are handled by kind:

    - the portal does not answer at all (connection refused, unknown host, no route):
      `unreachable_retries` quick retries (0.5 s, 1 s, …), then PortalDown, which stops
      a `publish` run;
    - transient failures (timeouts, a dropped connection, 5xx): up to `retries` retries
      with backoff `backoff` s, 2×, 4× …; no single call goes on retrying after
      `retry_seconds` since its first failure, and once this Portal has lost
      `retry_budget` seconds to failed attempts and waits (`lost`), the next transient
      failure is PortalDown too. A write that may have
      reached the server is not repeated (TransientError; the caller plans again).

    `writes` counts every write call that was sent and may have landed: the ones CKAN
    confirmed plus `writes_unknown`, the ones whose answer was lost. `write_log` lists
    their actions (an unknown outcome is marked with a trailing `?`)."""

    def __init__(self, url: str, token: str | None = None, *, retries: int = 4, backoff: float = 1.0,
                 timeout: float = 60.0, on_write: Callable[[str, dict], None] | None = None,
                 retry_seconds: float = 30.0, retry_budget: float = 120.0, unreachable_retries: int = 2):
        self.url = url.rstrip("/")
        self.token = token
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.retry_seconds, self.retry_budget = retry_seconds, retry_budget
        self.unreachable_retries = unreachable_retries
        self.on_write = on_write
        self.writes = 0
        self.writes_unknown = 0
        self.lost = 0.0  # seconds spent in failed attempts and waits between retries
        self.write_log: list[str] = []
        self.remote = ckanapi.RemoteCKAN(self.url, apikey=token, user_agent="opendata-publish")
        self._schema_fields: set[str] | None = None

    def __repr__(self) -> str:  # never show the token
        return f"Portal({self.url!r})"

    @property
    def writes_confirmed(self) -> int:
        """Write calls CKAN answered with success."""
        return self.writes - self.writes_unknown

    def close(self) -> None:
        self.remote.close()

    def _wait(self, seconds: float) -> None:
        self.lost += seconds
        time.sleep(seconds)

    def call(self, action: str, files: dict | None = None, **data):
        """CKAN's answer to `action` (ckanapi's call_action). Raises AuthError, PortalDown,
        TransientError, PublishError (another failure) and ckanapi's NotFound,
        ValidationError and SearchError unchanged."""
        write = is_write(action)
        attempt = 0
        first_failure = None
        while True:
            started = time.monotonic()
            try:
                for handle in (files or {}).values():
                    handle[1].seek(0)
                result = self.remote.call_action(action, data, files=files,
                                                 requests_kwargs={"timeout": self.timeout})
                break
            except ckanapi.NotAuthorized as exc:
                if re.search(r"User (None)? ?not authorized", str(exc)) or not self.token:
                    raise AuthError(
                        f"CKAN ({self.url}) refused `{action}`: the API token was not accepted (CKAN "
                        "treated the request as anonymous). Check CKAN_API_TOKEN or the token in the "
                        "config file.") from None
                raise AuthError(
                    f"CKAN ({self.url}) refused `{action}`: not authorized. Check the API token "
                    f"(CKAN_API_TOKEN or the config file) and that its user may publish to the "
                    f"organization. CKAN said: {_short(exc, secret=self.token)}") from None
            except (ckanapi.NotFound, ckanapi.ValidationError, ckanapi.SearchError):
                raise
            except (requests.exceptions.RequestException, ckanapi.CKANAPIError) as exc:
                self.lost += time.monotonic() - started
                if not _transient(exc):
                    raise PublishError(f"CKAN ({self.url}) `{action}` failed: {_short(exc, secret=self.token)}") from None
                if _unreachable(exc):
                    if attempt >= min(self.unreachable_retries, self.retries):
                        raise PortalDown(f"CKAN ({self.url}) cannot be reached: {_unreachable(exc)}") from None
                    self._wait(min(0.5, self.backoff) * (2 ** attempt))
                    attempt += 1
                    continue
                # a write that may have reached the server is not repeated here: the
                # caller plans again from what the portal holds (no duplicates)
                if write and not _never_sent(exc):
                    self._count_write(action, data, confirmed=False)
                    raise TransientError(f"CKAN ({self.url}) `{action}` (its outcome is unknown): "
                                         f"{_short(exc, secret=self.token)}") from None
                now = time.monotonic()
                first_failure = first_failure or started
                delay = self.backoff * (2 ** attempt)
                if self.lost + delay > self.retry_budget:
                    raise PortalDown(f"CKAN ({self.url}) keeps failing (retries stopped after {self.lost:.0f} s "
                                     f"lost to failures): `{action}`: {_short(exc, secret=self.token)}") from None
                if attempt >= self.retries or now - first_failure + delay > self.retry_seconds:
                    raise TransientError(f"CKAN ({self.url}) `{action}`: {_short(exc, secret=self.token)}") from None
                self._wait(delay)
                attempt += 1
        if write:
            self._count_write(action, data, confirmed=True)
        return result

    def _count_write(self, action: str, data: dict, confirmed: bool) -> None:
        self.writes += 1
        if confirmed:
            self.write_log.append(action)
            if self.on_write:
                self.on_write(action, data)
        else:
            self.writes_unknown += 1
            self.write_log.append(action + "?")

    def schema_fields(self) -> set[str]:
        """Dataset fields of the portal's ckanext-scheming schema (empty without scheming)."""
        if self._schema_fields is None:
            try:
                schema = self.call("scheming_dataset_schema_show", type="dataset")
                self._schema_fields = {f["field_name"] for f in schema.get("dataset_fields", [])}
            except (ckanapi.NotFound, ckanapi.ValidationError, PublishError, ckanapi.CKANAPIError):
                self._schema_fields = set()
        return self._schema_fields

    def same_origin(self, url: str) -> bool:
        """True when `url` has the portal's own scheme, host and port (the only place the
        token is sent and pull downloads from)."""
        mine = origin(self.url)
        return mine is not None and origin(url) == mine

    def download(self, url: str) -> bytes:
        """The bytes at `url`, retried like `call`. Only the portal's own origin (scheme, host,
        port of its URL) is asked, with the token; redirects are followed within it (at most
        MAX_REDIRECTS). A URL or redirect elsewhere raises PublishError before any request is
        made there. Raises AuthError on 401/403, TransientError when the retries are used up."""
        attempt = 0
        while True:
            try:
                return self._get_same_origin(url)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout, TransientError) as exc:
                if attempt >= self.retries:
                    raise TransientError(redact(f"download {url}: {_short(exc, secret=self.token)}",
                                                self.token)) from None
                time.sleep(self.backoff * (2 ** attempt))
                attempt += 1
            except requests.exceptions.RequestException as exc:  # a broken answer: not retried
                raise PublishError(f"download {url}: {_short(exc, secret=self.token)}") from None

    def _get_same_origin(self, url: str) -> bytes:
        headers = {"Authorization": self.token} if self.token else {}
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if not self.same_origin(current):
                via = "" if current == url else f" (redirected to from {url})"
                raise PublishError(redact(
                    f"refused to download {current}{via}: it is not on the portal's own address "
                    f"{self.url} (scheme, host and port must match); a package pulled from a portal "
                    "is downloaded from that portal only", self.token))
            response = requests.get(current, headers=headers, timeout=self.timeout, allow_redirects=False)
            if response.is_redirect:
                current = urljoin(current, response.headers.get("Location", ""))
                continue
            if response.status_code in TRANSIENT_STATUS:
                raise TransientError(f"HTTP {response.status_code}")
            if response.status_code in (401, 403):
                raise AuthError(redact(f"{current}: HTTP {response.status_code}, not authorized", self.token))
            if response.status_code >= 400:
                raise PublishError(redact(f"download {current}: HTTP {response.status_code}", self.token))
            return response.content
        raise PublishError(redact(f"download {url}: more than {MAX_REDIRECTS} redirects", self.token))


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL, the port filled in from the scheme; None
    for anything else (another scheme, no host, a bad port)."""
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        return None
    if scheme not in ("http", "https") or not host:
        return None
    return scheme, host, port


def redact(text: str, secret: str | None) -> str:
    """`text` with every occurrence of `secret` (the API token) replaced by `***`."""
    return text.replace(secret, "***") if secret else text


def _short(exc: Exception, width: int = 300, secret: str | None = None) -> str:
    text = redact(str(exc) or type(exc).__name__, secret)
    return text if len(text) <= width else text[:width] + "…"


def _status(exc: Exception) -> int | None:
    if isinstance(exc, ckanapi.CKANAPIError) and exc.args:
        first = exc.args[0]
        if isinstance(first, str) and first.startswith("["):
            try:
                import ast
                return int(ast.literal_eval(first)[1])
            except (ValueError, SyntaxError, IndexError, TypeError):
                return None
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _transient(exc: Exception) -> bool:
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return True
    return _status(exc) in TRANSIENT_STATUS


def _unreachable(exc: Exception) -> str:
    """Why nobody answers at the portal's address ("" when something did answer): the
    connection was refused, the host name is unknown, or there is no route to it."""
    if not isinstance(exc, requests.exceptions.ConnectionError) or isinstance(exc, requests.exceptions.ReadTimeout):
        return ""
    text = str(exc)
    for needle, why in (("Connection refused", "connection refused"),
                        ("NameResolutionError", "unknown host name"),
                        ("Name or service not known", "unknown host name"),
                        ("nodename nor servname", "unknown host name"),
                        ("Temporary failure in name resolution", "host name cannot be resolved"),
                        ("No route to host", "no route to host"),
                        ("Network is unreachable", "network is unreachable")):
        if needle in text:
            return why
    return ""


def _never_sent(exc: Exception) -> bool:
    """True when the request cannot have reached CKAN (connection refused) or CKAN's
    proxy said it is unavailable."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        return "NewConnectionError" in text or "Connection refused" in text
    return _status(exc) in (502, 503)


# -- what a package needs on the portal -------------------------------------------

def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(package_dir: str | Path) -> str:
    """sha256 over the package's files (paths and bytes), releases/ excluded."""
    package_dir = Path(package_dir)
    digest = hashlib.sha256()
    for rel in package_files(package_dir):
        digest.update(rel.encode("utf-8") + b"\0")
        digest.update(sha256_bytes((package_dir / rel).read_bytes()).encode("ascii") + b"\n")
    return digest.hexdigest()


@dataclass
class ResourceSpec:
    """One resource a package needs: its stable key (name), bytes and metadata."""
    name: str
    filename: str
    data: bytes
    format: str
    description: str
    table_id: str | None = None  # set for the table resources loaded into the DataStore
    mimetype: str = ""
    fields: list[dict] | None = None    # DataStore fields and rows (tables), read before any write
    records: list[dict] | None = None

    @property
    def hash(self) -> str:
        return sha256_bytes(self.data)


@dataclass
class DatasetSpec:
    name: str
    title: str
    notes: str
    org_name: str
    org_title: str
    tags: list[str]
    extras: dict[str, str]
    resources: list[ResourceSpec]
    package_dir: Path
    license_id: str | None = None


def _unit_key(descriptor: dict) -> str:
    unit = descriptor.get("unit") or {}
    code = unit.get("code")
    if code:
        return str(code).lower()
    return "u" + hashlib.sha1(str(unit.get("name", "")).encode("utf-8")).hexdigest()[:8]


def default_org(descriptor: dict) -> str:
    """The publisher's organization name: division code and unit code (ASCII)."""
    division = (descriptor.get("division") or {}).get("code") or "000000"
    return f"{division}-{_unit_key(descriptor)}".lower()


def _notes(descriptor: dict, tables: list[tuple[str, str]]) -> str:
    unit = descriptor["unit"]
    stage = load_standard().codelists["stages"].name_for(descriptor["stage"]) or descriptor["stage"]
    division = "".join((descriptor.get("division") or {}).get("names") or [])
    lines = [f"{unit['name']}{descriptor['fiscalYear']}年{stage}公开数据（{division}，金额单位：{descriptor.get('moneyUnit', '元')}）。",
             "",
             f"共 {len(tables)} 张表，每张表一个 CSV 文件（UTF-8），并已载入 DataStore，可用 datastore_search 和 SQL 查询：",
             ""]
    lines += [f"- {title}（{table_id}）" for table_id, title in tables]
    source = descriptor.get("source") or {}
    lines += ["", f"数据包版本 {descriptor.get('version')}，标准版本 {descriptor.get('standardVersion')}。"
              f"原始公开文件：{source.get('title') or source.get('filename')}"
              + (f"（{source['url']}）" if source.get("url") else "") + "。",
              "", "Tables of the departmental budget disclosure, converted to a Frictionless data package by opendata."]
    return "\n".join(lines)


def validation_report(package_dir: Path, name: str) -> tuple[dict, bytes]:
    from .validate import validate_package

    report = validate_package(package_dir)
    data = report.to_dict()
    data["path"] = name  # the local folder is not the portal's business; keeps the bytes stable
    return data, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dataset_spec(package_dir: str | Path, org: str | None = None, excel_csv: bool = False,
                 report_bytes: bytes | None = None) -> DatasetSpec:
    """Everything the portal should hold for a package, computed locally."""
    package_dir = Path(package_dir)
    descriptor = load_descriptor(package_dir)
    standard = load_standard()
    name = str(descriptor["name"])
    if not (2 <= len(name) <= 100) or any(c not in "abcdefghijklmnopqrstuvwxyz0123456789-_" for c in name):
        raise PublishError(f"{package_dir}: package name {name!r} is not a valid CKAN dataset name "
                           "(lowercase ASCII letters, digits, - and _)")
    if report_bytes is None:
        report_bytes = validation_report(package_dir, name)[1]
    resources: list[ResourceSpec] = []
    tables = []
    for resource in descriptor.get("resources") or []:
        table_id = resource.get("tableId") or resource["name"]
        spec = standard.tables.get(table_id)
        title = spec.title_zh if spec else resource.get("title") or table_id
        tables.append((table_id, title))
        data = safe_resource_path(package_dir, resource["path"]).read_bytes()
        ds_fields, records = datastore_records(package_dir, table_id)
        printed = resource.get("printedTitle")
        description = title + (f"（原表标题：{printed}）" if printed and printed != title else "")
        resources.append(ResourceSpec(name=table_id, filename=f"{table_id}.csv", data=data, format="CSV",
                                      description=description, table_id=table_id, mimetype="text/csv",
                                      fields=ds_fields, records=records))
        if excel_csv:
            from .formulas import excel_csv as excel_bytes  # text that Excel would run as a formula gets a '

            resources.append(ResourceSpec(
                name=f"{table_id}-excel", filename=f"{table_id}-excel.csv", data=excel_bytes(data, resource.get("schema")),
                format="CSV", description=f"{title}（带 BOM 的 UTF-8，便于 Excel 打开 UTF-8 with BOM for Excel）",
                mimetype="text/csv"))
    resources.append(ResourceSpec(name=DESCRIPTOR, filename=DESCRIPTOR,
                                  data=(package_dir / DESCRIPTOR).read_bytes(), format="JSON",
                                  description="数据包描述文件（Frictionless Data Package） The data package descriptor",
                                  mimetype="application/json"))
    resources.append(ResourceSpec(name="validation-report.json", filename="validation-report.json",
                                  data=report_bytes, format="JSON",
                                  description="校验报告（opendata validate） The validation report",
                                  mimetype="application/json"))
    source = descriptor.get("source") or {}
    if source.get("path"):
        path = safe_resource_path(package_dir, source["path"])
        if path.exists():
            resources.append(ResourceSpec(
                name=f"source/{source['filename']}", filename=source["filename"], data=path.read_bytes(),
                format=(source.get("format") or path.suffix.lstrip(".")).upper(),
                description="原始公开文件 The source document" + (f"：{source['title']}" if source.get("title") else "")))
    unit = descriptor["unit"]
    stage_title = standard.codelists["stages"].name_for(descriptor["stage"]) or descriptor["stage"]
    division_names = [n for n in (descriptor.get("division") or {}).get("names") or [] if len(n) >= 2]
    tags = sorted({stage_title, f"{descriptor['fiscalYear']}年", "预算公开", *division_names})
    extras = {
        "fiscal_year": str(descriptor["fiscalYear"]),
        "stage": descriptor["stage"],
        "unit_code": str(unit.get("code") or ""),
        "division_code": str((descriptor.get("division") or {}).get("code") or ""),
        "standard_version": str(descriptor.get("standardVersion") or ""),
        "package_version": str(descriptor.get("version") or ""),
        "content_hash": content_hash(package_dir),
    }
    licenses = descriptor.get("licenses") or []
    license_id = {"CC-BY-4.0": "cc-by", "CC0-1.0": "cc-zero", "ODC-BY-1.0": "odc-by"}.get(
        (licenses[0] or {}).get("name") if licenses else None)
    return DatasetSpec(name=name, title=descriptor["title"], notes=_notes(descriptor, tables),
                       org_name=org or default_org(descriptor), org_title=unit["name"] if not org else org,
                       tags=tags, extras=extras, resources=resources, package_dir=package_dir,
                       license_id=license_id)


def datastore_fields(package_dir: Path, table_id: str) -> tuple[list[dict], list[str], str]:
    """DataStore fields (type, info label/notes from the standard) for a table resource,
    the column names and the CSV path, from the package descriptor."""
    descriptor = load_descriptor(package_dir)
    for resource in descriptor.get("resources") or []:
        if (resource.get("tableId") or resource["name"]) != table_id:
            continue
        standard = load_standard()
        fields = []
        names = []
        for f in resource["schema"]["fields"]:
            if table_id in standard.tables:
                try:
                    f = {**f, **standard.field_descriptor(table_id, f["name"])}
                except KeyError:
                    pass
            notes = f.get("description") or ""
            if f.get("unit"):
                notes = f"{notes} 单位 unit: {f['unit']}".strip()
            fields.append({"id": f["name"], "type": DATASTORE_TYPES.get(f.get("type", "string"), "text"),
                           "info": {"label": f.get("title") or f["name"], "notes": notes}})
            names.append(f["name"])
        return fields, names, resource["path"]
    raise PackageError(f"{package_dir}: no table {table_id}")


def datastore_records(package_dir: Path, table_id: str) -> tuple[list[dict], list[dict]]:
    """The DataStore fields and rows of a table: one dict per CSV row, column name -> text
    (None for an empty cell). A UTF-8 BOM is allowed. Raises UnreadableTable (file and
    line in the message) for what the DataStore would refuse or the CSV reader cannot
    read: bytes that are not UTF-8, a NUL character, a value that is not a number in a
    number/integer column, a row_id missing or seen twice."""
    fields, names, rel = datastore_fields(package_dir, table_id)
    path = safe_resource_path(package_dir, rel)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableTable(f"{path}: cannot be read: {exc.strerror or exc}") from None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # a BOM is not part of the header
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        data = body
        line = data[:exc.start].count(b"\n") + 1
        raise UnreadableTable(f"{path}, line {line}: the file is not UTF-8 (byte 0x{data[exc.start]:02x} "
                              f"at offset {exc.start}); save it as UTF-8") from None
    if "\0" in text:
        line = text[:text.index("\0")].count("\n") + 1
        raise UnreadableTable(f"{path}, line {line}: a NUL character (\\0), which the DataStore cannot hold")
    types = {f["id"]: f["type"] for f in fields}
    records, seen = [], {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            line = reader.line_num
            record = {name: (row.get(name) or None) for name in names}
            for name, value in record.items():
                if value is None or types.get(name) not in ("numeric", "int"):
                    continue
                try:
                    number = decimal.Decimal(value)
                    if not number.is_finite() or (types[name] == "int" and number != number.to_integral_value()):
                        raise decimal.InvalidOperation
                except decimal.InvalidOperation:
                    raise UnreadableTable(f"{path}, line {line}: column {name!r} holds {value!r}, "
                                          f"not {'an integer' if types[name] == 'int' else 'a number'}") from None
            if "row_id" in types:
                key = record.get("row_id")
                if key is None:
                    raise UnreadableTable(f"{path}, line {line}: row_id is empty (the DataStore's primary key)")
                if key in seen:
                    raise UnreadableTable(f"{path}, line {line}: row_id {key!r} again (first on line "
                                          f"{seen[key]}); the DataStore's primary key must be unique")
                seen[key] = line
            records.append(record)
    except csv.Error as exc:
        raise UnreadableTable(f"{path}, line {reader.line_num}: not a readable CSV: {exc}") from None
    return fields, records


# -- planning: what the portal lacks ----------------------------------------------

@dataclass
class Step:
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


def _current_extras(pkg: dict) -> dict[str, str]:
    extras = {e["key"]: e["value"] for e in pkg.get("extras") or []}
    for key in EXTRA_KEYS:
        if key in pkg and key not in extras and pkg[key] is not None:
            extras[key] = str(pkg[key])
    return extras


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
        extras = _current_extras(pkg)
        changed += [f"{k}={spec.extras[k][:16]}" for k in EXTRA_KEYS if extras.get(k) != spec.extras[k]]
        if spec.license_id and pkg.get("license_id") != spec.license_id:
            changed.append("license_id")
        if changed or any(s.kind != "patch-dataset" for s in steps):
            steps.append(Step("patch-dataset", spec.name, ", ".join(changed) or "after resource changes"))
    return steps


# -- verifying: what changed on the portal behind the recorded hashes ---------------

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
            why = f"it cannot be downloaded ({_short(exc, 120, secret=portal.token)})"
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


# -- executing --------------------------------------------------------------

@dataclass
class PublishResult:
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


def _dataset_fields(portal: Portal, spec: DatasetSpec, org_id: str, existing: dict | None) -> dict:
    data = {"name": spec.name, "title": spec.title, "notes": spec.notes, "owner_org": org_id,
            "tags": [{"name": t} for t in spec.tags]}
    if spec.license_id:
        data["license_id"] = spec.license_id
    top_level = portal.schema_fields() & set(EXTRA_KEYS)
    for key in top_level:
        data[key] = spec.extras[key]
    other = {k: v for k, v in _current_extras(existing or {}).items() if k not in EXTRA_KEYS}
    if not top_level:
        other.update(spec.extras)
    else:
        other.update({k: v for k, v in spec.extras.items() if k not in top_level})
    data["extras"] = [{"key": k, "value": v} for k, v in sorted(other.items())]
    return data


def _upload(res: ResourceSpec) -> dict:
    return {"upload": (res.filename, io.BytesIO(res.data), res.mimetype or "application/octet-stream")}


def _load_datastore(portal: Portal, spec: DatasetSpec, res: ResourceSpec, resource_id: str,
                    new: bool = False) -> None:
    fields, records = res.fields, res.records
    if records is None:
        fields, records = datastore_records(spec.package_dir, res.table_id)
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
        fields = _dataset_fields(portal, spec, org["id"], None)
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
            portal.call("package_patch", id=fresh["id"], **_dataset_fields(portal, spec, org["id"], fresh))
    return pkg


def publish_package(portal: Portal, package_dir: str | Path, *, org: str | None = None, dry_run: bool = False,
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
    package_dir = Path(package_dir)
    descriptor = load_descriptor(package_dir)
    result = PublishResult(name=str(descriptor.get("name")), path=str(package_dir))
    report, report_bytes = validation_report(package_dir, str(descriptor.get("name")))
    if not report["valid"] and not allow_invalid:
        rules = sorted({f["rule"] for f in report["findings"] if f["severity"] == "error"})
        raise InvalidPackage(f"{package_dir}: {report['errors']} validation error(s) ({', '.join(rules)}); "
                             "fix them or publish with --allow-invalid")
    spec = dataset_spec(package_dir, org=org, excel_csv=excel_csv, report_bytes=report_bytes)
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
            portal._wait(portal.backoff * (2 ** (attempt + 1)))
    result.writes = portal.writes - writes_before
    result.writes_unknown = portal.writes_unknown - unknown_before
    result.seconds = time.time() - t0
    result.url = f"{portal.url}/dataset/{spec.name}"
    return result


def check_unique_names(paths: list[Path]) -> None:
    """Raise PublishError when two packages in `paths` have the same name (one dataset
    cannot hold both: each publish would undo the other), naming both folders. Packages
    whose descriptor cannot be read are left to fail on their own."""
    seen: dict[str, Path] = {}
    clashes = []
    for path in paths:
        try:
            name = str(load_descriptor(path).get("name"))
        except PackageError:
            continue
        if name in seen:
            clashes.append(f"{name!r} in {seen[name]} and {path}")
        else:
            seen[name] = Path(path)
    if clashes:
        raise PublishError("packages with the same name cannot be published in one run (they would be the "
                           "same dataset): " + "; ".join(clashes)
                           + ". Give each its own name in datapackage.json. Nothing was published.")


def publish(portal: Portal, paths: list[Path], *, progress: Callable[[PublishResult], None] | None = None,
            **options) -> list[PublishResult]:
    """Publish every package (options as publish_package) and return one PublishResult each.

    Duplicate package names are refused before any write (PublishError). A package that
    fails or is refused is recorded (its `writes` count what was sent before it failed)
    and the next one is tried. An authorization failure stops the run (AuthError), and so
    does a portal that cannot be reached (PortalDown, whose `results` hold the results so
    far, the packages not tried marked "not attempted")."""
    paths = [Path(p) for p in paths]
    check_unique_names(paths)
    results = []
    org_cache: dict = {}
    for index, path in enumerate(paths):
        writes, unknown = portal.writes, portal.writes_unknown
        try:
            result = publish_package(portal, path, org_cache=org_cache, **options)
        except AuthError:
            raise
        except (PublishError, PackageError, ckanapi.CKANAPIError) as exc:
            result = PublishResult(name=_package_name(path), path=str(path), error=_short(exc, secret=portal.token),
                                   status="refused" if isinstance(exc, PackageRefused) else "failed",
                                   writes=portal.writes - writes, writes_unknown=portal.writes_unknown - unknown)
            if isinstance(exc, PortalDown):
                results.append(result)
                if progress:
                    progress(result)
                results += [PublishResult(name=_package_name(p), path=str(p), status="not attempted")
                            for p in paths[index + 1:]]
                exc.results = results
                raise
        results.append(result)
        if progress:
            progress(result)
    return results


def _package_name(path: Path) -> str:
    try:
        return str(load_descriptor(path).get("name") or path.name)
    except PackageError:
        return path.name


# -- reading back --------------------------------------------------------------

def pull_package(portal: Portal, dataset: str, out_dir: str | Path) -> Path:
    """Rebuild a package from the portal: datapackage.json, every table's CSV and the
    source document, each checked against the sha256 the portal recorded. Returns the
    package folder, out_dir/<name>.

    What the portal serves is untrusted: the package name in its datapackage.json must
    match the standard's name pattern and equal the dataset's name on the portal; every
    resource path must stay inside the package (package.safe_resource_path); downloads
    come only from the portal's own origin (Portal.download). The files are written to a
    staging folder in out_dir and renamed into place. An existing out_dir/<name> is only
    replaced when it holds nothing but files of the same package that a pull writes, never
    version history (releases/, CHANGELOG.md) or other files. Raises PublishError (nothing
    written, nothing replaced) or AuthError."""
    try:
        pkg = portal.call("package_show", id=dataset)
    except ckanapi.NotFound:
        raise PublishError(f"{portal.url}: no dataset {dataset!r}") from None
    except ckanapi.CKANAPIError as exc:  # ValidationError, SearchError: the portal's words
        raise PublishError(f"{portal.url}: package_show {dataset!r} failed: {_short(exc, secret=portal.token)}") from None
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
    target = Path(out_dir) / name
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
        raise PublishError(f"{exc}; pull writes <out>/<name>: choose another --out") from None
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


def _pull_files(descriptor: dict, staging: Path, by_name: dict, where: str) -> list[tuple[str, Path]]:
    """(portal resource name, file in staging) of every file the descriptor lists, each path
    checked with safe_resource_path, no two the same, none the descriptor itself."""
    wanted: list[tuple[str, object]] = []
    resources = descriptor.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise PublishError(f"{where}: its {DESCRIPTOR} has `resources` that are not a list of objects")
    for resource in resources:
        key = resource.get("tableId") or resource.get("name")
        if not isinstance(key, str):
            raise PublishError(f"{where}: a resource in its {DESCRIPTOR} has no name")
        wanted.append((key, resource.get("path")))
    source = descriptor.get("source") or {}
    if isinstance(source, dict) and source.get("path") and isinstance(source.get("filename"), str) \
            and f"source/{source['filename']}" in by_name:
        wanted.append((f"source/{source['filename']}", source["path"]))
    files: list[tuple[str, Path]] = []
    seen = {(staging / DESCRIPTOR).resolve()}
    for key, relative in wanted:
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
    advice = "choose another --out (pull writes <out>/<name>), or move the folder away first"
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


# -- ckanext-scheming -----------------------------------------------------------

def scheming_schema() -> dict:
    """A ckanext-scheming dataset schema generated from the standard: CKAN's core
    fields with Chinese labels, and the package's extras as proper fields."""
    standard = load_standard()
    stages = [{"value": row["code"], "label": {"zh_Hans_CN": row["title_zh"], "en": row["title_en"]}}
              for row in standard.codelists["stages"].rows]

    def label(zh: str, en: str) -> dict:
        return {"zh_Hans_CN": zh, "en": en}

    def extra(name: str, zh: str, en: str, help_zh: str, **more) -> dict:
        return {"field_name": name, "label": label(zh, en), "help_text": label(help_zh, ""),
                "validators": "ignore_missing unicode_safe", **more}

    return {
        "scheming_version": 2,
        "dataset_type": "dataset",
        "about": f"部门预算/决算公开数据包 (opendata standard {standard.version})",
        "about_url": standard.meta.get("base_uri", ""),
        "generated_by": "opendata ckan-schema (src/opendata/ckan.py); do not edit",
        "dataset_fields": [
            {"field_name": "title", "label": label("标题", "Title"), "preset": "title",
             "form_placeholder": "北京市东城区某单位2024年部门预算"},
            {"field_name": "name", "label": label("网址名", "URL"), "preset": "dataset_slug",
             "form_placeholder": "110101-01075003-2024-budget"},
            {"field_name": "notes", "label": label("说明", "Description"), "form_snippet": "markdown.html"},
            {"field_name": "tag_string", "label": label("标签", "Tags"), "preset": "tag_string_autocomplete"},
            {"field_name": "owner_org", "label": label("发布单位", "Organization"), "preset": "dataset_organization"},
            {"field_name": "license_id", "label": label("许可协议", "License"), "form_snippet": "license.html"},
            extra("fiscal_year", "预算年度", "Fiscal year", "公开数据所属的预算年度，如 2024。",
                  validators="ignore_missing int_validator"),
            extra("stage", "公开类型", "Stage", "部门预算（budget）或部门决算（final_accounts）。",
                  preset="select", choices=stages, validators="ignore_missing scheming_choices"),
            extra("unit_code", "单位代码", "Unit code", standard.fields["unit_code"].title_zh + "，按公开文件所印。"),
            extra("division_code", "行政区划代码", "Division code", "六位行政区划代码（GB/T 2260）。"),
            extra("standard_version", "标准版本", "Standard version", "数据包遵循的 opendata 标准版本。"),
            extra("package_version", "数据包版本", "Package version", "数据包的版本号（语义化版本）。"),
            extra("content_hash", "内容摘要", "Content hash",
                  "数据包全部文件的 SHA-256 摘要（不含 releases/）；由发布工具写入。"),
        ],
        "resource_fields": [
            {"field_name": "url", "label": label("文件", "URL"), "preset": "resource_url_upload"},
            {"field_name": "name", "label": label("名称", "Name"),
             "form_placeholder": "expenditure_summary"},
            {"field_name": "description", "label": label("说明", "Description"), "form_snippet": "markdown.html"},
            {"field_name": "format", "label": label("格式", "Format"), "preset": "resource_format_autocomplete"},
            {"field_name": "hash", "label": label("SHA-256", "SHA-256"), "validators": "ignore_missing unicode_safe"},
            {"field_name": "datastore_hash", "label": label("DataStore 载入的 SHA-256", "SHA-256 loaded in the DataStore"),
             "validators": "ignore_missing unicode_safe"},
        ],
    }


def scheming_schema_text() -> str:
    return json.dumps(scheming_schema(), ensure_ascii=False, indent=2) + "\n"
