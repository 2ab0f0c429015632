"""Publishing to CKAN and reading back (opendata.ckan, `opendata publish / pull / ckan-schema`),
against the real test CKAN of scripts/ckan-dev-server (tests/ckan_fixtures.py).

The server keeps its data between sessions, so every package is published under a name
of its own (the seed's name plus a random suffix) into an organization of its own.
Skipped with OPENDATA_SKIP_CKAN=1 (except the schema drift test).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import ckanapi
import pytest
import requests
from click.testing import CliRunner

from opendata.ckan import (EXTRA_KEYS, AuthError, Portal, PortalDown, content_hash, publish, publish_package,
                           pull_package, scheming_schema_text)
from opendata.cli import main
from opendata.formulas import excel_csv, looks_like_formula, unescape_formula
from opendata.standard import load_standard
from opendata.validate import validate_package
from opendata.versions import diff

pytest_plugins = ["tests.ckan_fixtures"]

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (REPO / "datapackages").iterdir() if (p / "datapackage.json").exists())
SUFFIX = uuid.uuid4().hex[:6]
ORG = "odtest-pub-" + SUFFIX


def copy_seeds(dest: Path, suffix: str) -> list[Path]:
    """The seed packages under names of their own (name + suffix), as a folder."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in SEEDS:
        target = dest / f"{seed.name}-{suffix}"
        shutil.copytree(seed, target, ignore=shutil.ignore_patterns("releases", "CHANGELOG.md"))
        path = target / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor["name"] = f"{descriptor['name']}-{suffix}"
        path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(target)
    return out


def descriptor(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))


def tables(package: Path) -> list[dict]:
    return descriptor(package)["resources"]


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def same_value(ds_value, csv_value: str) -> bool:
    if csv_value == "":
        return ds_value is None
    if isinstance(ds_value, (int, float)) and not isinstance(ds_value, bool):
        return Decimal(str(ds_value)) == Decimal(csv_value)
    return str(ds_value) == csv_value


def by_name(pkg: dict) -> dict[str, dict]:
    return {r["name"]: r for r in pkg["resources"]}


def check_published(ckan, package: Path, excel: bool = False, download: bool = False) -> dict:
    """The portal holds exactly what the package needs: one resource per key, right
    bytes recorded, the DataStore loaded, the extras complete."""
    d = descriptor(package)
    pkg = ckan.action.package_show(id=d["name"])
    names = [r["name"] for r in pkg["resources"]]
    assert len(names) == len(set(names)), f"duplicate resources: {names}"
    expected = [t["name"] for t in d["resources"]]
    if excel:
        expected += [t["name"] + "-excel" for t in d["resources"]]
    expected += ["datapackage.json", "validation-report.json", "source/" + d["source"]["filename"]]
    assert sorted(names) == sorted(expected)
    resources = by_name(pkg)
    for table in d["resources"]:
        res = resources[table["name"]]
        data = (package / table["path"]).read_bytes()
        assert res["url_type"] == "upload" and res["format"] == "CSV"
        assert res["datastore_active"] is True
        assert res["datastore_hash"] == res["hash"]
        info = ckan.action.datastore_info(id=res["id"])
        assert info["meta"]["count"] == len(csv_rows(package / table["path"]))
        import hashlib
        assert res["hash"] == hashlib.sha256(data).hexdigest()
        if download:
            assert requests.get(res["url"], timeout=30).content == data, table["name"]
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert set(EXTRA_KEYS) <= set(extras)
    assert extras["content_hash"] == content_hash(package)
    assert extras["package_version"] == d["version"]
    assert extras["fiscal_year"] == str(d["fiscalYear"]) and extras["stage"] == d["stage"]
    assert extras["division_code"] == d["division"]["code"]
    return pkg


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def portal(ckan_server):
    p = Portal(ckan_server.url, ckan_server.token, retries=4, backoff=0.5)
    yield p
    p.close()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return copy_seeds(tmp_path_factory.mktemp("publish") / "packages", SUFFIX)


@pytest.fixture(scope="module")
def published(ckan_server, portal, seeds):
    if not ckan_server.is_up():
        ckan_server.start_ckan()
    results = publish(portal, seeds, org=ORG, allow_invalid=True, excel_csv=True)
    return results


@pytest.fixture
def admin(ckan):
    return ckan


# ------------------------------------------------------------------ publish

def test_publish_the_five_seeds(published, seeds, admin):
    assert len(SEEDS) == 5
    assert [r.status for r in published] == ["created"] * 5, [(r.name, r.error) for r in published]
    org = admin.action.organization_show(id=ORG)
    for package, result in zip(seeds, published):
        pkg = check_published(admin, package, excel=True)
        d = descriptor(package)
        assert pkg["name"] == d["name"] == result.name
        assert pkg["title"] == d["title"]
        assert d["unit"]["name"] in pkg["notes"]
        assert pkg["owner_org"] == org["id"]
        tags = {t["name"] for t in pkg["tags"]}
        assert {f"{d['fiscalYear']}年", load_standard().codelists["stages"].name_for(d["stage"])} <= tags


def test_csv_downloads_are_the_package_files(published, seeds):
    with ckanapi.RemoteCKAN(published[0].url.split("/dataset/")[0]) as anon:  # as a reader
        for package in seeds:
            pkg = anon.action.package_show(id=descriptor(package)["name"])
            resources = by_name(pkg)
            for table in tables(package):
                data = (package / table["path"]).read_bytes()
                got = requests.get(resources[table["name"]]["url"], timeout=30)
                assert got.status_code == 200 and got.content == data, table["name"]
                excel = requests.get(resources[table["name"] + "-excel"]["url"], timeout=30).content
                # UTF-8 with BOM; text that Excel would run as a formula (- 一、…) behind a '
                assert excel == excel_csv(data, table["schema"]) and excel.startswith(b"\xef\xbb\xbf")
                served = list(csv.reader(io.StringIO(excel[3:].decode("utf-8"))))
                assert [[unescape_formula(c) for c in row] for row in served] == list(csv.reader(io.StringIO(data.decode("utf-8"))))
                text_columns = [i for i, f in enumerate(table["schema"]["fields"]) if f.get("type", "string") == "string"]
                assert not [row[i] for row in served[1:] for i in text_columns if looks_like_formula(row[i])]
            for name, path in (("datapackage.json", package / "datapackage.json"),
                               ("source/" + descriptor(package)["source"]["filename"],
                                package / descriptor(package)["source"]["path"])):
                assert requests.get(resources[name]["url"], timeout=30).content == path.read_bytes()
            report = requests.get(resources["validation-report.json"]["url"], timeout=30).json()
            assert report["valid"] == validate_package(package).valid


def test_datastore_filters_and_sql_give_the_csv_rows(published, seeds, ckan_server):
    standard = load_standard()
    checked = 0
    with ckanapi.RemoteCKAN(ckan_server.url) as anon:
        for package in seeds:
            resources = by_name(anon.action.package_show(id=descriptor(package)["name"]))
            for table in tables(package):
                rows = csv_rows(package / table["path"])
                rid = resources[table["name"]]["id"]
                sql = anon.action.datastore_search_sql(sql=f'SELECT * FROM "{rid}" ORDER BY _id')["records"]
                assert len(sql) == len(rows)
                for got, want in zip(sql, rows):
                    assert all(same_value(got[k], v) for k, v in want.items()), (table["name"], want, got)
                for want in rows[:3]:  # filters by the primary key give the same row
                    found = anon.action.datastore_search(resource_id=rid, filters={"row_id": want["row_id"]})
                    assert found["total"] == 1
                    assert all(same_value(found["records"][0][k], v) for k, v in want.items())
                    checked += 1
                info = {f["id"]: f for f in anon.action.datastore_info(id=rid)["fields"]}
                assert info["row_id"]["info"]["label"] == standard.fields["row_id"].title_zh
                for field in table["schema"]["fields"]:
                    if field["name"] in standard.tables[table["tableId"]].measures:
                        assert info[field["name"]]["type"] == "numeric"
                        assert info[field["name"]]["info"]["label"] == standard.measures[field["name"]].title_zh
                        assert "元" in info[field["name"]]["info"]["notes"]
                search = anon.action.datastore_search(resource_id=rid, limit=0)
                assert search["total"] == len(rows)
    assert checked > 20


def test_republish_unchanged_makes_no_write_call(published, seeds, ckan_server):
    portal = Portal(ckan_server.url, ckan_server.token)
    results = publish(portal, seeds, org=ORG, allow_invalid=True, excel_csv=True)
    assert [r.status for r in results] == ["unchanged"] * 5
    assert portal.writes == 0 and portal.write_log == []
    dry = publish(portal, seeds, org=ORG, allow_invalid=True, excel_csv=True, dry_run=True)
    assert all(r.steps == [] for r in dry)
    portal.close()


def test_changed_cell_updates_the_same_dataset(published, seeds, admin, ckan_server):
    package = seeds[0]
    name = descriptor(package)["name"]
    before = admin.action.package_show(id=name)
    activities_before = admin.action.package_activity_list(id=before["id"], limit=100)
    table = next(t for t in tables(package) if len(csv_rows(package / t["path"])) > 2
                 and any(f["type"] == "number" for f in t["schema"]["fields"]))
    number = next(f["name"] for f in table["schema"]["fields"] if f["type"] == "number")
    path = package / table["path"]
    rows = csv_rows(path)
    row = next(r for r in rows if r[number])
    old_bytes = path.read_bytes()
    row[number] = str(Decimal(row[number]) + Decimal("1.00"))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    portal = Portal(ckan_server.url, ckan_server.token)
    result = publish_package(portal, package, org=ORG, allow_invalid=True, excel_csv=True)
    assert result.status == "updated"
    assert 0 < result.writes <= 12, portal.write_log  # only the changed table, the report and the dataset
    after = check_published(admin, package, excel=True)
    assert after["id"] == before["id"]
    old_res, new_res = by_name(before)[table["name"]], by_name(after)[table["name"]]
    assert new_res["id"] == old_res["id"] and new_res["hash"] != old_res["hash"]
    assert requests.get(new_res["url"], timeout=30).content == path.read_bytes() != old_bytes
    found = admin.action.datastore_search(resource_id=new_res["id"], filters={"row_id": row["row_id"]})
    assert same_value(found["records"][0][number], row[number])
    activities = admin.action.package_activity_list(id=after["id"], limit=100)
    assert len(activities) > len(activities_before)
    assert activities[0]["activity_type"] == "changed package"
    # the version before the change is still in the activity stream
    old = admin.action.activity_show(id=activities_before[0]["id"], include_data=True)
    old_hashes = {r["name"]: r["hash"] for r in old["data"]["package"]["resources"]}
    assert old_hashes[table["name"]] == old_res["hash"]
    assert publish_package(portal, package, org=ORG, allow_invalid=True, excel_csv=True).writes == 0
    portal.close()


def test_duplicate_and_stale_resources_are_cleaned_up(published, seeds, admin, ckan_server):
    package = seeds[1]
    pkg = admin.action.package_show(id=descriptor(package)["name"])
    table = tables(package)[0]
    # what a lost answer to resource_create leaves behind, and a table the package dropped
    admin.action.resource_create(package_id=pkg["id"], name=table["name"], url="http://example.invalid/x.csv")
    admin.action.resource_create(package_id=pkg["id"], name="narrative-excel", url="http://example.invalid/y.csv")
    portal = Portal(ckan_server.url, ckan_server.token)
    # without --excel-csv the Excel copies are no longer wanted: removed, not left behind
    result = publish_package(portal, package, org=ORG, allow_invalid=True)
    assert result.status == "updated"
    check_published(admin, package, excel=False)
    assert publish_package(portal, package, org=ORG, allow_invalid=True).writes == 0
    portal.close()


def test_ckan_stopped_in_the_middle_then_publish_again(ckan_server, tmp_path):
    packages = copy_seeds(tmp_path / "crash", SUFFIX + "x")
    writes = []

    def stop_after_the_60th_write(action, data):
        writes.append(action)
        if len(writes) == 60:
            ckan_server.stop_ckan(kill=True)

    if not ckan_server.is_up():
        ckan_server.start_ckan()
    portal = Portal(ckan_server.url, ckan_server.token, retries=1, backoff=0.1, on_write=stop_after_the_60th_write)
    try:  # a portal that does not answer stops the run (tests/test_publish_faults.py)
        with pytest.raises(PortalDown) as stopped:
            publish(portal, packages, org=ORG, allow_invalid=True, attempts=1)
    finally:
        ckan_server.start_ckan()
    first = stopped.value.results
    assert len(writes) == 60
    assert first[0].status == "created"
    assert first[1].status == "failed" and "cannot be reached" in first[1].error
    assert all(r.status == "not attempted" for r in first[2:]), [(r.name, r.status) for r in first]
    assert sum(r.writes for r in first) == 60
    portal = Portal(ckan_server.url, ckan_server.token)
    again = publish(portal, packages, org=ORG, allow_invalid=True)
    # the first was complete, the second half-done; the others were not started (or, when
    # another session started CKAN again meanwhile, started: the statuses allow for it)
    assert [r.status for r in again[:2]] == ["unchanged", "updated"]
    assert all(r.status in ("created", "updated") for r in again[2:])
    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.token) as admin:
        for package in packages:
            check_published(admin, package, download=True)
    assert all(r.writes == 0 for r in publish(portal, packages, org=ORG, allow_invalid=True))
    portal.close()


def test_invalid_package_is_refused_unless_allowed(ckan_server, tmp_path):
    package = copy_seeds(tmp_path / "invalid", SUFFIX + "i")[0]
    d = descriptor(package)
    d["stage"] = "no-such-stage"
    (package / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    env = {"CKAN_API_TOKEN": ckan_server.token}
    res = runner.invoke(main, ["publish", str(package), "--ckan", ckan_server.url, "--org", ORG], env=env)
    assert res.exit_code == 1
    assert "--allow-invalid" in res.output and "refused" in res.output
    with ckanapi.RemoteCKAN(ckan_server.url) as anon, pytest.raises(ckanapi.NotFound):
        anon.action.package_show(id=d["name"])


def test_cli_dry_run_then_publish_then_pull(ckan_server, tmp_path):
    package = copy_seeds(tmp_path / "cli", SUFFIX + "c")[2]
    name = descriptor(package)["name"]
    runner = CliRunner()
    env = {"CKAN_API_TOKEN": ckan_server.token, "CKAN_URL": ckan_server.url}
    dry = runner.invoke(main, ["publish", str(package), "--org", ORG, "--allow-invalid", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "would create-dataset" in dry.output and "would upload" in dry.output
    with ckanapi.RemoteCKAN(ckan_server.url) as anon, pytest.raises(ckanapi.NotFound):
        anon.action.package_show(id=name)
    res = runner.invoke(main, ["publish", str(package), "--org", ORG, "--allow-invalid"], env=env)
    assert res.exit_code == 0, res.output
    assert "created: 1" in res.output and ckan_server.token not in res.output
    res = runner.invoke(main, ["publish", str(package), "--org", ORG, "--allow-invalid"], env=env)
    assert "unchanged: 1" in res.output and "write calls: 0" in res.output
    # pull as a reader: no token
    res = runner.invoke(main, ["pull", name, "--ckan", ckan_server.url, "--out", str(tmp_path / "pulled")],
                        env={"CKAN_API_TOKEN": ""})
    assert res.exit_code == 0, res.output
    pulled = tmp_path / "pulled"  # --out: the package folder itself, like convert --out
    assert not diff(package, pulled)
    res = runner.invoke(main, ["diff", str(package), str(pulled), "--exit-code"])
    assert res.exit_code == 0 and "no changes" in res.output
    original, again = validate_package(package), validate_package(pulled)
    assert [f.rule for f in again.findings] == [f.rule for f in original.findings]
    assert (pulled / "datapackage.json").read_bytes() == (package / "datapackage.json").read_bytes()
    # --out-dir: DIR/<package name>, like convert --out-dir
    res = runner.invoke(main, ["pull", name, "--ckan", ckan_server.url, "--out-dir", str(tmp_path / "many")],
                        env={"CKAN_API_TOKEN": ""})
    assert res.exit_code == 0, res.output
    assert [p.name for p in (tmp_path / "many").iterdir()] == [name]
    assert not diff(package, tmp_path / "many" / name)


@pytest.mark.parametrize("where", [[], ["--out", "a", "--out-dir", "b"]], ids=["neither", "both"])
def test_pull_needs_exactly_one_of_out_and_out_dir(tmp_path, where):
    where = [str(tmp_path / w) if w in ("a", "b") else w for w in where]
    res = CliRunner().invoke(main, ["pull", "some-dataset", "--ckan", "http://127.0.0.1:9", *where])
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output
    assert "--out PACKAGE_DIR" in res.output and "--out-dir DIR" in res.output
    assert list(tmp_path.iterdir()) == []


def test_pull_every_seed_validates_and_has_no_diff(published, seeds, ckan_server, tmp_path):
    portal = Portal(ckan_server.url)  # anonymous
    for package in seeds:
        pulled = pull_package(portal, descriptor(package)["name"], out_dir=tmp_path)
        assert not diff(package, pulled), package.name
        report = validate_package(pulled)
        assert report.valid == validate_package(package).valid
        assert sorted(p.relative_to(pulled).as_posix() for p in pulled.rglob("*") if p.is_file()) == \
            sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
    portal.close()


def test_wrong_token_is_a_clear_error_exit_1(ckan_server, tmp_path):
    package = copy_seeds(tmp_path / "token", SUFFIX + "t")[3]
    res = CliRunner().invoke(main, ["publish", str(package), "--ckan", ckan_server.url, "--allow-invalid",
                                    "--org", ORG], env={"CKAN_API_TOKEN": "wrong-token-" + SUFFIX})
    assert res.exit_code == 1
    assert "API token was not accepted" in res.output
    assert "wrong-token-" not in res.output
    with pytest.raises(AuthError):
        publish_package(Portal(ckan_server.url, "wrong"), package, org=ORG, allow_invalid=True)


def test_token_from_config_file(ckan_server, tmp_path):
    package = copy_seeds(tmp_path / "config", SUFFIX + "f")[4]
    config = tmp_path / "ckan.ini"
    config.write_text(f"[ckan]\nurl = {ckan_server.url}\ntoken = {ckan_server.token}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["publish", str(package), "--config", str(config), "--allow-invalid",
                                    "--org", ORG, "--dry-run"], env={"CKAN_API_TOKEN": "", "CKAN_URL": ""})
    assert res.exit_code == 0, res.output
    assert ckan_server.token not in res.output


def test_dry_run_without_a_portal_lists_a_first_publication(tmp_path):
    """`publish --dry-run` with no address previews offline what a first publication creates;
    without --dry-run no address is still an error."""
    config = tmp_path / "empty.ini"
    config.write_text("[ckan]\n", encoding="utf-8")
    env = {"CKAN_API_TOKEN": "", "CKAN_URL": ""}
    dry = CliRunner().invoke(main, ["publish", str(SEEDS[0]), "--config", str(config), "--allow-invalid", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "would create-dataset" in dry.output and "would upload" in dry.output
    real = CliRunner().invoke(main, ["publish", str(SEEDS[0]), "--config", str(config), "--allow-invalid"], env=env)
    assert real.exit_code != 0 and "no portal address" in real.output


# ------------------------------------------------------------------ ckanext-scheming

SCHEMA_FILE = REPO / "schema" / "ckan" / "dataset.json"


def test_committed_ckan_schema_is_generated():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == scheming_schema_text(), (
        "schema/ckan/dataset.json is out of date: run `python tools/manage.py build-standard`")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    assert set(EXTRA_KEYS) <= set(fields)
    assert [c["value"] for c in fields["stage"]["choices"]] == load_standard().stage_codes()
    assert fields["fiscal_year"]["label"]["zh_Hans_CN"] == "预算年度"


def test_schema_loads_into_ckan_with_scheming(ckan_server, tmp_path):
    """A second CKAN (own home, databases and ports; CKAN's venv shared) with our schema."""
    home = Path(os.environ.get("OPENDATA_CKAN_SCHEMING_HOME") or Path.home() / ".cache" / "opendata-ckan-scheming")
    marker = json.loads((ckan_server.home / "install.json").read_text())
    if not marker.get("scheming"):
        pytest.fail("ckanext-scheming is not installed in the test CKAN")
    env = dict(os.environ, OPENDATA_CKAN_HOME=str(home), OPENDATA_CKAN_VENV=marker["venv"],
               OPENDATA_CKAN_DB_PREFIX="opendata_ckan_scheming", OPENDATA_CKAN_PORT="5065",
               OPENDATA_CKAN_REDIS_PORT="6399", OPENDATA_CKAN_SOLR_PORT="8994",
               OPENDATA_CKAN_SCHEMING="1", OPENDATA_CKAN_SCHEMING_SCHEMAS=SCHEMA_FILE.as_uri())
    script = [sys.executable, str(REPO / "scripts" / "ckan-dev-server")]
    home.mkdir(parents=True, exist_ok=True)
    (home / "install.json").write_text(json.dumps(marker))
    try:
        res = subprocess.run([*script, "start"], env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stderr[-3000:]
        server = json.loads((home / "env.json").read_text())
        with ckanapi.RemoteCKAN(server["url"], apikey=server["token"]) as remote:
            assert "scheming_datasets" in remote.action.status_show()["extensions"]
            schema = remote.action.scheming_dataset_schema_show(type="dataset")
            fields = {f["field_name"]: f for f in schema["dataset_fields"]}
            assert fields["stage"]["label"]["zh_Hans_CN"] == "公开类型"
            # the publisher writes the extras as the schema's fields there
            package = copy_seeds(tmp_path / "scheming", SUFFIX + "s")[0]
            portal = Portal(server["url"], server["token"])
            assert publish_package(portal, package, allow_invalid=True).status == "created"
            pkg = remote.action.package_show(id=descriptor(package)["name"])
            assert pkg["stage"] == descriptor(package)["stage"]
            assert str(pkg["fiscal_year"]) == str(descriptor(package)["fiscalYear"])
            assert pkg["content_hash"] == content_hash(package)
            assert publish_package(portal, package, allow_invalid=True).writes == 0
            with pytest.raises(ckanapi.ValidationError):
                remote.action.package_patch(id=pkg["id"], stage="no-such-stage")
            portal.close()
    finally:
        subprocess.run([*script, "stop"], env=env, capture_output=True, text=True, timeout=300)
