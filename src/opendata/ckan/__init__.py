"""Publish packages to a CKAN portal and read them back, with ckanapi.

    portal = Portal("http://127.0.0.1:5055", token)
    result = publish_package(portal, "datapackages/110101-01075003-2021-budget")
    pull_package(portal, "110101-01075003-2021-budget", "out/110101-01075003-2021-budget")
    pull_package(portal, "110101-01075003-2021-budget", out_dir="out/")   # the same folder

One CKAN dataset per package, named by the package name. Its resources are found by a
stable key, the resource name: the table id for every table's CSV, `<table>-excel` for
the Excel-friendly copy (UTF-8 with BOM), `datapackage.json`, `validation-report.json`
and `source/<file>` for the source document. Every resource carries the sha256 of its
bytes in `hash`; a table's DataStore copy is marked as loaded by `datastore_hash`.
Publishing compares what the portal holds with what the package needs and sends only
the difference, so an unchanged package costs no write call, and a run that died
half-way is finished by running it again (duplicates left by a lost answer are removed).
The dataset's `content_hash` extra is written last: it says the last publish completed.

One module per job, like ckanapi's own layout: `errors` (the exceptions), `config` (the
config file and the token), `client` (Portal: transport only), `mapping` (package ->
DatasetSpec, pure), `datastore` (DataStore fields and records), `sync` (plan, execute,
publish), `verify` (drift behind the recorded hashes), `pull` (reading a package back) and
`scheming` (the ckanext-scheming schema). Everything public is importable from here.
"""
from __future__ import annotations

from .client import MAX_REDIRECTS, READ_SUFFIXES, TRANSIENT_STATUS, EmptyPortal, Portal, error_text, is_write, origin
from .config import DEFAULT_CONFIG, portal_url, read_config, redact, resolve_token
from .datastore import DATASTORE_CHUNK, DATASTORE_TYPES, datastore_fields, datastore_records
from .errors import (AuthError, ConfigError, InvalidPackage, PackageRefused, PortalDown, PublishError, TransientError,
                     UnreadableTable)
from .mapping import (EXTRA_KEYS, DatasetSpec, ResourceSpec, as_package, content_hash, current_extras, dataset_fields,
                      dataset_notes, dataset_spec, default_org, sha256_bytes, validation_report)
from .pull import pull_package, untrusted_package_name
from .scheming import scheming_field, scheming_schema, scheming_schema_text
from .sync import OUR_SUFFIXES, PublishResult, Step, check_unique_names, execute, plan, publish, publish_package
from .verify import datastore_rows, verify_dataset

__all__ = [
    "AuthError", "ConfigError", "DATASTORE_CHUNK", "DATASTORE_TYPES", "DEFAULT_CONFIG", "DatasetSpec", "EmptyPortal", "EXTRA_KEYS",
    "InvalidPackage", "MAX_REDIRECTS", "OUR_SUFFIXES", "PackageRefused", "Portal", "PortalDown", "PublishError",
    "PublishResult", "READ_SUFFIXES", "ResourceSpec", "Step", "TRANSIENT_STATUS", "TransientError", "UnreadableTable",
    "as_package", "check_unique_names", "content_hash", "current_extras", "datastore_fields", "datastore_records",
    "datastore_rows", "dataset_fields", "dataset_notes", "dataset_spec", "default_org", "error_text", "execute",
    "is_write", "origin", "plan", "publish", "publish_package", "portal_url", "pull_package", "read_config", "redact",
    "resolve_token", "scheming_field", "scheming_schema", "scheming_schema_text", "sha256_bytes",
    "untrusted_package_name", "validation_report", "verify_dataset",
]
