"""What the portal should hold for a package, computed locally and without the portal:
package -> DatasetSpec (the dataset's metadata, tags, extras) with one ResourceSpec per file,
the dataset's notes, and the mapping of a spec onto the fields of CKAN's package_create /
package_patch (extras, or proper fields where the portal's ckanext-scheming schema has them).

Every function takes the one Package object (`opendata.package.Package`; a folder path is
opened as one), so a package is read once."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..package import DESCRIPTOR, Package, resource_key, resource_table_id, safe_resource_path
from ..standard import load_standard
from ..versions import package_files
from .datastore import datastore_records
from .errors import PublishError

EXTRA_KEYS = ("fiscal_year", "stage", "unit_code", "division_code", "standard_version",
              "package_version", "content_hash")
LICENSES = {"CC-BY-4.0": "cc-by", "CC0-1.0": "cc-zero", "ODC-BY-1.0": "odc-by"}  # package license -> CKAN license_id


def as_package(package: Package | str | Path) -> Package:
    """`package` itself, or the package in the folder (or of the datapackage.json) `package`,
    read lazily: a missing or unreadable descriptor raises PackageError when first used."""
    if isinstance(package, Package):
        return package
    path = Path(package)
    return Package(folder=path.parent if path.name == DESCRIPTOR and path.is_file() else path)


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of `data`, 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def content_hash(package: Package | str | Path) -> str:
    """sha256 (hex) over the package's files (their paths and sha256s), releases/ and
    CHANGELOG.md excluded (`versions.package_files`): what the `content_hash` extra records."""
    package = as_package(package)
    digest = hashlib.sha256()
    for rel in package_files(package.folder):
        digest.update(rel.encode("utf-8") + b"\0")
        digest.update(sha256_bytes((package.folder / rel).read_bytes()).encode("ascii") + b"\n")
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
        """The sha256 of `data` (what the resource's `hash` records)."""
        return sha256_bytes(self.data)


@dataclass
class DatasetSpec:
    """One CKAN dataset as a package needs it: name, title, notes, organization (name, title),
    tags, extras (EXTRA_KEYS -> text), resources (in upload order), CKAN license id, and the
    Package it was computed from."""
    name: str
    title: str
    notes: str
    org_name: str
    org_title: str
    tags: list[str]
    extras: dict[str, str]
    resources: list[ResourceSpec]
    package: Package
    license_id: str | None = None

    @property
    def package_dir(self) -> Path | None:
        """The package's folder (None for a package read from memory)."""
        return self.package.folder


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


def dataset_notes(descriptor: dict, tables: list[tuple[str, str]]) -> str:
    """The dataset's description (Markdown, Chinese with an English line): unit, year, stage,
    division, money unit, one bullet per (table id, title) of `tables`, versions and source."""
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


def validation_report(package: Package | str | Path, name: str) -> tuple[dict, bytes]:
    """The package's validation report (`opendata.validate.validate_package`) as a dict and as
    the bytes of validation-report.json (UTF-8, indented), its `path` set to `name` (the local
    folder is not the portal's business, and the bytes stay the same wherever it lies)."""
    from ..validate import validate_package

    report = validate_package(as_package(package).folder)
    data = report.to_dict()
    data["path"] = name
    return data, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dataset_spec(package: Package | str | Path, org: str | None = None, excel_csv: bool = False,
                 report_bytes: bytes | None = None) -> DatasetSpec:
    """Everything the portal should hold for a package, computed locally: every table's CSV
    with its DataStore fields and records (read before any write), with `excel_csv` an
    Excel-friendly copy of each (`<table>-excel`), datapackage.json, validation-report.json
    (`report_bytes`, else validated now) and the source document when the package has it.
    `org` names the organization (default `default_org`). Raises PublishError for a package
    name CKAN would refuse, UnreadableTable for a table the DataStore cannot take, PackageError
    for a package that cannot be read."""
    package = as_package(package)
    descriptor = package.descriptor
    standard = load_standard()
    name = str(descriptor["name"])
    if not (2 <= len(name) <= 100) or any(c not in "abcdefghijklmnopqrstuvwxyz0123456789-_" for c in name):
        raise PublishError(f"{package.label}: package name {name!r} is not a valid CKAN dataset name "
                           "(lowercase ASCII letters, digits, - and _)")
    if report_bytes is None:
        report_bytes = validation_report(package, name)[1]
    resources: list[ResourceSpec] = []
    tables = []
    for resource in descriptor.get("resources") or []:
        table_id = resource_key(resource)   # unlisted_table_1, unlisted_table_2 … stay distinct
        spec = standard.tables.get(resource_table_id(resource))
        title = spec.title_zh if spec and spec.code == table_id else resource.get("title") or table_id
        tables.append((table_id, title))
        data = package.read_bytes(resource["path"])
        ds_fields, records = datastore_records(package, table_id)
        printed = resource.get("printedTitle")
        description = title + (f"（原表标题：{printed}）" if printed and printed != title else "")
        resources.append(ResourceSpec(name=table_id, filename=f"{table_id}.csv", data=data, format="CSV",
                                      description=description, table_id=table_id, mimetype="text/csv",
                                      fields=ds_fields, records=records))
        if excel_csv:
            from ..formulas import excel_csv as excel_bytes  # text that Excel would run as a formula gets a '

            resources.append(ResourceSpec(
                name=f"{table_id}-excel", filename=f"{table_id}-excel.csv", data=excel_bytes(data, resource.get("schema")),
                format="CSV", description=f"{title}（带 BOM 的 UTF-8，便于 Excel 打开 UTF-8 with BOM for Excel）",
                mimetype="text/csv"))
    resources.append(ResourceSpec(name=DESCRIPTOR, filename=DESCRIPTOR, data=package.read_bytes(DESCRIPTOR),
                                  format="JSON",
                                  description="数据包描述文件（Frictionless Data Package） The data package descriptor",
                                  mimetype="application/json"))
    resources.append(ResourceSpec(name="validation-report.json", filename="validation-report.json",
                                  data=report_bytes, format="JSON",
                                  description="校验报告（opendata validate） The validation report",
                                  mimetype="application/json"))
    source = descriptor.get("source") or {}
    if source.get("path"):
        # a package may leave its source document out; a path leaving the package is refused
        present = (safe_resource_path(package.folder, source["path"]).exists() if package.folder is not None
                   else source["path"] in (package.files or {}))
        if present:
            source_bytes = package.read_bytes(source["path"])
            resources.append(ResourceSpec(
                name=f"source/{source['filename']}", filename=source["filename"], data=source_bytes,
                format=(source.get("format") or Path(source["path"]).suffix.lstrip(".")).upper(),
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
        "content_hash": content_hash(package),
    }
    licenses = descriptor.get("licenses") or []
    license_id = LICENSES.get((licenses[0] or {}).get("name") if licenses else None)
    return DatasetSpec(name=name, title=descriptor["title"], notes=dataset_notes(descriptor, tables),
                       org_name=org or default_org(descriptor), org_title=unit["name"] if not org else org,
                       tags=tags, extras=extras, resources=resources, package=package,
                       license_id=license_id)


def current_extras(pkg: dict) -> dict[str, str]:
    """The extras of a dataset as CKAN's package_show gives it (`pkg`), key -> value, with the
    EXTRA_KEYS a scheming schema turned into proper fields read from the top level."""
    extras = {e["key"]: e["value"] for e in pkg.get("extras") or []}
    for key in EXTRA_KEYS:
        if key in pkg and key not in extras and pkg[key] is not None:
            extras[key] = str(pkg[key])
    return extras


def dataset_fields(spec: DatasetSpec, org_id: str, existing: dict | None, schema_fields: set[str]) -> dict:
    """The fields of package_create / package_patch for `spec` in organization `org_id`: the
    EXTRA_KEYS that the portal's scheming schema has (`schema_fields`, `Portal.schema_fields()`)
    become proper fields, the rest extras; extras of `existing` (package_show) that are not ours
    are kept."""
    data = {"name": spec.name, "title": spec.title, "notes": spec.notes, "owner_org": org_id,
            "tags": [{"name": t} for t in spec.tags]}
    if spec.license_id:
        data["license_id"] = spec.license_id
    top_level = schema_fields & set(EXTRA_KEYS)
    for key in top_level:
        data[key] = spec.extras[key]
    other = {k: v for k, v in current_extras(existing or {}).items() if k not in EXTRA_KEYS}
    if not top_level:
        other.update(spec.extras)
    else:
        other.update({k: v for k, v in spec.extras.items() if k not in top_level})
    data["extras"] = [{"key": k, "value": v} for k, v in sorted(other.items())]
    return data
