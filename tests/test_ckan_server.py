"""The CKAN test server (scripts/ckan-dev-server) does what a publisher needs.

Runs against a real CKAN 2.11 (PostgreSQL, Redis, DataStore, activity, file storage);
only the search server is a stand-in (scripts/solr_standin.py).  Skipped with
OPENDATA_SKIP_CKAN=1.
"""
from __future__ import annotations

import importlib.util
import json
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import ckanapi
import pytest
import requests

pytest_plugins = ["tests.ckan_fixtures"]

SUFFIX = uuid.uuid4().hex[:8]  # the server keeps its data between sessions
CSV_BYTES = ("科目编码,科目名称,金额（万元）\n"
             "201,一般公共服务支出,1234.50\n"
             "205,教育支出,88.00\n"
             "208,社会保障和就业支出,456.25\n").encode("utf-8")
FIELDS = [
    {"id": "code", "type": "text",
     "info": {"label": "科目编码", "notes": "功能分类科目编码（类）"}},
    {"id": "name", "type": "text", "info": {"label": "科目名称", "notes": ""}},
    {"id": "amount", "type": "numeric",
     "info": {"label": "金额（万元）", "notes": "单位：万元，保留两位小数"}},
]
RECORDS = [
    {"code": "201", "name": "一般公共服务支出", "amount": 1234.50},
    {"code": "205", "name": "教育支出", "amount": 88.00},
    {"code": "208", "name": "社会保障和就业支出", "amount": 456.25},
]


@pytest.fixture(scope="module")
def admin(ckan_server):
    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.token) as remote:
        yield remote


@pytest.fixture(scope="module")
def anon(ckan_server):
    with ckanapi.RemoteCKAN(ckan_server.url) as remote:
        yield remote


@pytest.fixture(scope="module")
def org(admin):
    return admin.action.organization_create(
        name="odtest-org-" + SUFFIX, title="测试财政局 " + SUFFIX,
        description="单元测试用的组织")


@pytest.fixture(scope="module")
def dataset(admin, org):
    return admin.action.package_create(
        name="odtest-budget-" + SUFFIX,
        title="测试财政局2024年部门预算 " + SUFFIX,
        notes="部门预算公开表格，测试用。",
        owner_org=org["id"],
        license_id="cc-by",
        extras=[{"key": "budget_year", "value": "2024"},
                {"key": "disclosure_type", "value": "部门预算"},
                {"key": "单位编码", "value": "101001"}],
        tags=[{"name": "预算"}, {"name": "budget-2024"}, {"name": "财政"}],
    )


@pytest.fixture(scope="module")
def resource(admin, dataset, tmp_path_factory):
    path = tmp_path_factory.mktemp("upload") / "budget-2024.csv"
    path.write_bytes(CSV_BYTES)
    with open(path, "rb") as f:  # ckanapi sends this as multipart/form-data
        return admin.action.resource_create(
            package_id=dataset["id"], name="收支总表", format="CSV",
            description="一般公共预算支出", upload=f)


def test_server_is_ckan_211_with_plugins(ckan_server, anon):
    status = anon.action.status_show()
    assert status["ckan_version"].startswith("2.11")
    assert status["site_url"] == ckan_server.url
    assert {"activity", "datastore"} <= set(status["extensions"])


def test_organization(anon, org):
    shown = anon.action.organization_show(id=org["name"])
    assert shown["title"] == "测试财政局 " + SUFFIX
    assert shown["is_organization"] is True


def test_dataset_with_chinese_title_extras_and_tags(anon, dataset, org):
    shown = anon.action.package_show(id=dataset["name"])
    assert shown["title"] == "测试财政局2024年部门预算 " + SUFFIX
    assert shown["owner_org"] == org["id"]
    extras = {e["key"]: e["value"] for e in shown["extras"]}
    assert extras == {"budget_year": "2024", "disclosure_type": "部门预算",
                      "单位编码": "101001"}
    assert {t["name"] for t in shown["tags"]} == {"预算", "budget-2024", "财政"}


def test_csv_upload_and_download_bytes(ckan_server, anon, resource):
    assert resource["url_type"] == "upload"
    assert resource["url"].startswith(ckan_server.url + "/dataset/")
    assert resource["url"].endswith("/budget-2024.csv")
    shown = anon.action.resource_show(id=resource["id"])
    assert shown["size"] == len(CSV_BYTES)
    r = requests.get(resource["url"], timeout=30)  # anonymous, as a reader would
    assert r.status_code == 200
    assert r.content == CSV_BYTES


def test_datastore_create_with_primary_key_and_field_info(admin, anon, resource):
    # an uploaded resource is "read-only" to the DataStore unless force=True
    with pytest.raises(ckanapi.ValidationError) as err:
        admin.action.datastore_create(resource_id=resource["id"], fields=FIELDS,
                                      primary_key=["code"], records=RECORDS)
    assert "read-only" in str(err.value)
    created = admin.action.datastore_create(
        resource_id=resource["id"], force=True, fields=FIELDS,
        primary_key=["code"], records=RECORDS)
    assert created["primary_key"] == ["code"]

    info = anon.action.datastore_info(id=resource["id"])
    fields = {f["id"]: f for f in info["fields"]}
    assert fields["code"]["info"] == {"label": "科目编码", "notes": "功能分类科目编码（类）"}
    assert fields["amount"]["info"]["label"] == "金额（万元）"
    assert fields["amount"]["type"] == "numeric"

    # the primary key holds: upsert replaces the row instead of adding one
    admin.action.datastore_upsert(resource_id=resource["id"], force=True, method="upsert",
                                  records=[{"code": "205", "name": "教育支出",
                                            "amount": 99.5}])
    with pytest.raises(ckanapi.ValidationError):
        admin.action.datastore_upsert(resource_id=resource["id"], force=True,
                                      method="insert", records=[RECORDS[0]])
    assert anon.action.datastore_search(resource_id=resource["id"])["total"] == 3


def test_datastore_search_with_filters_anonymous(anon, resource):
    found = anon.action.datastore_search(resource_id=resource["id"],
                                         filters={"code": "205"})
    assert found["total"] == 1
    assert found["records"][0]["name"] == "教育支出"
    assert float(found["records"][0]["amount"]) == 99.5
    # PostgreSQL full-text search does not split Chinese into words: a whole
    # value matches, a part of it ("社会保障") does not
    by_text = anon.action.datastore_search(resource_id=resource["id"],
                                           q="社会保障和就业支出")
    assert [r["code"] for r in by_text["records"]] == ["208"]


def test_datastore_search_sql(anon, resource):
    sql = ('SELECT code, amount FROM "%s" WHERE amount > 100 ORDER BY code'
           % resource["id"])
    rows = anon.action.datastore_search_sql(sql=sql)["records"]
    assert [(r["code"], float(r["amount"])) for r in rows] == [("201", 1234.5),
                                                              ("208", 456.25)]


def test_package_search_finds_the_dataset(anon, dataset, org, resource):
    name = dataset["name"]
    for params in ({"q": "部门预算 " + SUFFIX}, {"q": SUFFIX},
                   {"fq": 'name:"%s"' % name},
                   {"q": "budget_year:2024", "fq": "organization:%s" % org["name"]},
                   {"fq": "tags:预算 AND res_format:CSV AND name:%s" % name}):
        result = anon.action.package_search(**params)
        assert name in [p["name"] for p in result["results"]], params
    assert anon.action.package_search(q="no-such-words-" + SUFFIX)["count"] == 0
    faceted = anon.action.package_search(fq="organization:%s" % org["name"],
                                         **{"facet.field": '["tags", "res_format"]'})
    assert faceted["count"] == 1
    tags = {i["name"]: i["count"] for i in faceted["search_facets"]["tags"]["items"]}
    assert tags.get("预算") == 1
    # the result is the full dataset, resources included
    found = faceted["results"][0]
    assert found["id"] == dataset["id"]
    assert [r["id"] for r in found["resources"]] == [resource["id"]]


def test_package_activity_list(anon, admin, dataset, resource):
    admin.action.package_patch(id=dataset["id"], notes="更新了说明。")
    activities = anon.action.package_activity_list(id=dataset["id"])
    types = [a["activity_type"] for a in activities]
    assert "new package" in types
    assert "changed package" in types
    assert all(a["object_id"] == dataset["id"] for a in activities)


def test_wrong_token_is_refused(ckan_server, org, anon):
    with ckanapi.RemoteCKAN(ckan_server.url, apikey="not-a-valid-token") as bad:
        with pytest.raises(ckanapi.NotAuthorized):
            bad.action.package_create(name="odtest-denied-" + SUFFIX,
                                      owner_org=org["id"])
    with pytest.raises(ckanapi.NotAuthorized):
        anon.action.package_create(name="odtest-denied-" + SUFFIX, owner_org=org["id"])
    with pytest.raises(ckanapi.NotFound):
        anon.action.package_show(id="odtest-denied-" + SUFFIX)


def test_restart_ckan_keeps_data(ckan_server, dataset):
    ckan_server.restart(kill=True)
    assert ckan_server.is_up()
    with ckanapi.RemoteCKAN(ckan_server.url) as anon:
        assert anon.action.package_show(id=dataset["name"])["id"] == dataset["id"]
        found = anon.action.package_search(fq='name:"%s"' % dataset["name"])
        assert found["count"] == 1


def test_stop_and_start_ckan(ckan_server, ckan):
    ckan_server.stop_ckan()
    assert not ckan_server.is_up()
    with pytest.raises(requests.exceptions.ConnectionError):
        ckan.action.status_show()
    ckan_server.start_ckan()
    assert ckan.action.status_show()["ckan_version"].startswith("2.11")


# ---------------------------------------------------------------- the Solr stand-in
# These run without the CKAN server (and with OPENDATA_SKIP_CKAN=1): they check the
# query subset CKAN sends, straight against scripts/solr_standin.py.

def _standin():
    path = Path(__file__).resolve().parent.parent / "scripts" / "solr_standin.py"
    spec = importlib.util.spec_from_file_location("solr_standin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STANDIN_DOCS = [
    {"index_id": "1", "id": "a", "name": "budget-2024", "title": "2024年部门预算 Budgets",
     "tags": ["预算", "finance"], "state": "active", "capacity": "public",
     "site_id": "default", "entity_type": "package", "organization": "org1",
     "metadata_modified": "2024-05-01T10:00:00.123Z", "extras_year": "2024",
     "permission_labels": ["public"], "res_format": ["CSV"]},
    {"index_id": "2", "id": "b", "name": "other", "title": "Other data",
     "tags": ["misc"], "state": "draft", "capacity": "private", "site_id": "default",
     "entity_type": "package", "organization": "org2",
     "metadata_modified": "2023-05-01T10:00:00Z", "permission_labels": ["member-x"]},
]
DISMAX = {"defType": "dismax", "qf": "name^4 title^4 tags^2 groups^2 text",
          "mm": "2<-1 5<80%"}


@pytest.mark.parametrize("params, expected", [
    ({"q": "*:*"}, ["a", "b"]),
    ({"q": "*:*", "fq": ['+site_id:"default" +state:(active OR draft)',
                         "+capacity:public"]}, ["a"]),
    ({"q": 'name:"budget-2024" OR id:"budget-2024"',
      "fq": '+site_id:"default" +entity_type:package'}, ["a"]),
    ({"q": "预算", **DISMAX}, ["a"]),
    ({"q": "budget", **DISMAX}, ["a"]),
    ({"q": "other data", **DISMAX}, ["b"]),
    ({"q": "other -misc", **DISMAX}, []),
    ({"q": "tags:finance"}, ["a"]),
    ({"q": "metadata_modified:[2024-01-01T00:00:00Z TO NOW]"}, ["a"]),
    ({"q": "metadata_modified:{* TO 2024-01-01T00:00:00Z}"}, ["b"]),
    ({"q": "-state:active"}, ["b"]),
    ({"q": "*:*", "fq": '+permission_labels:("public" OR "creator-1")'}, ["a"]),
    ({"q": "name:budget*"}, ["a"]),
    ({"q": "extras_year:2024 AND res_format:CSV"}, ["a"]),
    ({"q": 'title:"部门预算"'}, ["a"]),
    ({"q": "state:active AND organization:org2"}, []),
    ({"q": "state:active OR organization:org2"}, ["a", "b"]),
    ({"q": "state:active organization:org2", "q.op": "AND"}, []),
])
def test_standin_query_subset(params, expected):
    standin = _standin()
    core = standin.Core("ckan")
    for doc in STANDIN_DOCS:
        core.add(dict(doc))
    params = {k: v if isinstance(v, list) else [v] for k, v in {**params, "fl": "id"}.items()}
    found = core.select(params)["response"]["docs"]
    assert sorted(d["id"] for d in found) == expected


def test_standin_sort_page_facets_delete_and_schema():
    standin = _standin()
    server = standin.Server(("127.0.0.1", 0), "ckan-2.11", None, False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/solr/ckan" % server.server_address[1]

    def get(path, data=None, ctype="application/json"):
        req = urllib.request.Request(base + path, data=data, headers={"Content-Type": ctype})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode("utf-8")

    try:
        get("/update?commit=true", json.dumps(STANDIN_DOCS).encode())
        schema = get("/schema?wt=schema.xml")
        assert '<schema name="ckan-2.11"' in schema
        assert json.loads(get("/admin/ping"))["status"] == "OK"
        res = json.loads(get("/select?q=*:*&sort=metadata_modified+asc&fl=id&wt=json"))
        assert [d["id"] for d in res["response"]["docs"]] == ["b", "a"]
        res = json.loads(get("/select?q=*:*&sort=name+asc&rows=1&start=1&fl=id"))
        assert res["response"]["numFound"] == 2
        assert [d["id"] for d in res["response"]["docs"]] == ["b"]
        res = json.loads(get("/select?q=*:*&rows=0&facet=true&facet.field=tags"
                             "&facet.field=organization&facet.mincount=1"))
        assert res["facet_counts"]["facet_fields"]["organization"] == ["org1", 1, "org2", 1]
        # what pysolr sends for CKAN's delete_package and commit: XML
        get("/update?commit=true",
            b'<delete><query>+entity_type:package AND +(id:"a" OR name:"a") AND '
            b'+site_id:"default"</query></delete>', "text/xml")
        get("/update", b"<commit />", "text/xml")
        res = json.loads(get("/select?q=*:*&fl=id"))
        assert [d["id"] for d in res["response"]["docs"]] == ["b"]
        with pytest.raises(urllib.error.HTTPError) as err:
            get("/select?q=*:*&sort=name")
        assert "Sort Order" in err.value.read().decode()
    finally:
        server.shutdown()
        server.server_close()
