"""Publishing under faults (issue #17): a portal that does not answer stops the run within
seconds, write calls are counted honestly (failed packages and lost answers included),
duplicate package names and unreadable CSVs are refused before any write, and
`publish --verify` finds and repairs what was changed on the portal directly.

Real parts only: the test CKAN of scripts/ckan-dev-server (tests/ckan_fixtures.py), a free
port on 127.0.0.1 where nothing listens, and a small HTTP proxy on 127.0.0.1 in front of the
real CKAN that drops the answer of one write call.
"""
from __future__ import annotations

import http.client
import io
import json
import re
import shutil
import socket
import threading
import time
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import ckanapi
import pytest
import requests
from click.testing import CliRunner

from opendata.ckan import Portal, PortalDown, is_write, publish, publish_package, sha256_bytes
from opendata.cli import main
from tests.test_publish import by_name, check_published, copy_seeds, csv_rows, descriptor, same_value, tables

pytest_plugins = ["tests.ckan_fixtures"]

SUFFIX = uuid.uuid4().hex[:6]
ORG = "odtest-faults-" + SUFFIX


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def up(ckan_server):
    if not ckan_server.is_up():
        ckan_server.start_ckan()
    return ckan_server


# ------------------------------------------------------------------ 1. fail fast

def test_unreachable_portal_stops_the_run_within_seconds(tmp_path):
    packages = copy_seeds(tmp_path / "down", SUFFIX + "d")[:3]
    folder = tmp_path / "three"
    folder.mkdir()
    for package in packages:
        package.rename(folder / package.name)
    url = f"http://127.0.0.1:{free_port()}"
    t0 = time.monotonic()
    res = CliRunner().invoke(main, ["publish", str(folder), "--ckan", url, "--allow-invalid", "--org", ORG],
                             env={"CKAN_API_TOKEN": "secret-" + SUFFIX})
    elapsed = time.monotonic() - t0
    assert res.exit_code == 1, res.output
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert isinstance(res.exception, SystemExit)  # no traceback
    assert "Traceback" not in res.output and "secret-" not in res.output
    assert res.output.count("cannot be reached") == 1, res.output
    assert "connection refused" in res.output and "3 not attempted" not in res.output
    assert "of 3 package(s), 0 done, 1 failed, 2 not attempted" in res.output and "2 not attempted" in res.output


def test_ckan_stopped_mid_run_stops_the_run_and_counts_the_writes(up, tmp_path):
    packages = copy_seeds(tmp_path / "stop", SUFFIX + "s")[:3]
    confirmed = []
    stopped_at = []

    def stop_after_the_25th_write(action, data):
        confirmed.append(action)
        if len(confirmed) == 25:
            up.stop_ckan(kill=True)
            stopped_at.append(time.monotonic())

    portal = Portal(up.url, up.token, on_write=stop_after_the_25th_write)  # default retries and backoff
    try:
        with pytest.raises(PortalDown) as caught:
            publish(portal, packages, org=ORG, allow_invalid=True)
        elapsed = time.monotonic() - stopped_at[0]
    finally:
        up.start_ckan()
    assert elapsed < 10, f"went on for {elapsed:.1f} s after CKAN stopped"
    results = caught.value.results
    assert [r.status for r in results] == ["failed", "not attempted", "not attempted"]
    assert "cannot be reached" in results[0].error
    # the failed package reports the writes that landed (before the fix: 0)
    assert results[0].writes == 25 == portal.writes and results[0].writes_unknown == 0
    with ckanapi.RemoteCKAN(up.url, apikey=up.token) as admin:
        pkg = admin.action.package_show(id=descriptor(packages[0])["name"])
        assert len(pkg["resources"]) == confirmed.count("resource_create")
        with pytest.raises(ckanapi.NotFound):
            admin.action.package_show(id=descriptor(packages[1])["name"])
        portal = Portal(up.url, up.token)
        again = publish(portal, packages, org=ORG, allow_invalid=True)
        assert [r.status for r in again] == ["updated", "created", "created"]
        for package in packages:
            check_published(admin, package)
    portal.close()


def test_transient_failures_are_retried_within_a_bounded_time(up, tmp_path):
    first, second, third = copy_seeds(tmp_path / "busy", SUFFIX + "b")[:3]
    # a portal answering 503 for a moment: retried, the package is published
    proxy = DroppingProxy(up.url, unavailable=3)
    try:
        portal = Portal(proxy.url, up.token, backoff=0.1)
        assert publish_package(portal, first, org=ORG, allow_invalid=True).status == "created"
        assert proxy.refused == 3 and portal.lost > 0
    finally:
        proxy.close()
    # a portal answering 503 for good: the run stops once its retry budget is spent
    proxy = DroppingProxy(up.url, unavailable=-1)
    try:
        portal = Portal(proxy.url, up.token, backoff=0.2, retry_budget=3)
        t0 = time.monotonic()
        with pytest.raises(PortalDown) as caught:
            publish(portal, [second, third], org=ORG, allow_invalid=True)
        assert time.monotonic() - t0 < 10
        assert "keeps failing" in str(caught.value) and "503" in str(caught.value)
        assert [r.status for r in caught.value.results] == ["failed", "not attempted"]
        assert portal.writes == 0
    finally:
        proxy.close()


def test_a_gateway_answering_5xx_for_a_dead_portal_stops_the_run_within_seconds(up, tmp_path):
    """Found by a new user: a proxy answering 502/503 for a portal that is down made publish
    run for two minutes, and the summary left some packages out of its counts."""
    packages = copy_seeds(tmp_path / "gateway", SUFFIX + "g")[:3]
    proxy = DroppingProxy(up.url, unavailable=-1)
    try:
        t0 = time.monotonic()
        result = CliRunner().invoke(main, ["publish", str(packages[0].parent), "--ckan", proxy.url,
                                           "--allow-invalid", "--org", ORG], env={"CKAN_API_TOKEN": up.token})
        took = time.monotonic() - t0
    finally:
        proxy.close()
    assert result.exit_code == 1, result.output
    assert took < 40, took
    assert "has not answered one call with success" in result.output
    counts = re.search(r"of (\d+) package\(s\), (\d+) done, (\d+) failed, (\d+) not attempted", result.output)
    assert counts, result.output
    total, done, failed, not_attempted = map(int, counts.groups())
    assert total == done + failed + not_attempted >= 3 and done == 0
    assert "Traceback" not in result.output and up.token not in result.output


# ------------------------------------------------------------------ 2. honest write counts

class DroppingProxy:
    """An HTTP proxy on 127.0.0.1 in front of CKAN that forwards every request and drops
    CKAN's answer to the `drop`-th write call (the write lands, the client hears nothing).
    `landed` lists the write actions CKAN answered with success, the dropped one included.
    The first `unavailable` requests (all of them with -1) get 503 without reaching CKAN."""

    def __init__(self, target: str, drop: int = 0, unavailable: int = 0):
        self.target = urlsplit(target)
        self.drop, self.seen, self.landed, self.dropped = drop, 0, [], []
        self.unavailable, self.refused = unavailable, 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with proxy.lock:
                    unavailable = proxy.unavailable < 0 or proxy.refused < proxy.unavailable
                    proxy.refused += unavailable
                if unavailable:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn = http.client.HTTPConnection(proxy.target.hostname, proxy.target.port, timeout=120)
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                conn.close()
                found = re.search(r"/api/(?:3/)?action/(\w+)", self.path)
                action = found.group(1) if found else ""
                drop = False
                if action and is_write(action):
                    with proxy.lock:
                        proxy.seen += 1
                        if answer.status == 200:
                            proxy.landed.append(action)
                        drop = proxy.seen == proxy.drop
                        if drop:
                            proxy.dropped.append(action)
                if drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_lost_answer_is_counted_and_a_failed_package_reports_its_writes(up, tmp_path):
    first, second = copy_seeds(tmp_path / "lost", SUFFIX + "l")[:2]
    # organization_create, package_create, then resource_create and datastore_create for each
    # table: the 5th write is the second resource_create; its answer is dropped
    proxy = DroppingProxy(up.url, drop=5)
    try:
        portal = Portal(proxy.url, up.token, retries=1, backoff=0.1)
        failed = publish(portal, [first], org=ORG + "l", allow_invalid=True, attempts=1)[0]
        assert failed.status == "failed" and "outcome is unknown" in failed.error
        assert proxy.dropped == ["resource_create"]
        assert failed.writes == len(proxy.landed) == 5 and failed.writes_unknown == 1
        assert portal.writes_confirmed == 4
        with ckanapi.RemoteCKAN(up.url, apikey=up.token) as admin:
            pkg = admin.action.package_show(id=descriptor(first)["name"])
            # what the portal holds: the resource_create whose answer was lost landed
            assert len(pkg["resources"]) == proxy.landed.count("resource_create") == 2

        # the same fault with attempts left: the package is finished by planning again, and
        # the count still includes the write whose answer was lost
        proxy.seen, proxy.landed, proxy.dropped = 0, [], []
        portal = Portal(proxy.url, up.token, retries=1, backoff=0.1)
        done = publish_package(portal, second, org=ORG + "l", allow_invalid=True)
        assert done.status == "created"
        assert done.writes == len(proxy.landed) and done.writes_unknown == 1
        with ckanapi.RemoteCKAN(up.url, apikey=up.token) as admin:
            check_published(admin, second)
            # run again without the fault: the first package is completed, nothing duplicated
            direct = Portal(up.url, up.token)
            assert publish_package(direct, first, org=ORG + "l", allow_invalid=True).status == "updated"
            check_published(admin, first)
            direct.close()
    finally:
        proxy.close()


# ------------------------------------------------------------------ 3. duplicate names

def test_duplicate_package_names_are_refused_before_any_write(up, tmp_path):
    package = copy_seeds(tmp_path / "dup" / "a", SUFFIX + "u")[0]
    twin = tmp_path / "dup" / "b" / package.name
    shutil.copytree(package, twin)
    res = CliRunner().invoke(main, ["publish", str(tmp_path / "dup"), "--ckan", up.url, "--allow-invalid",
                                    "--org", ORG], env={"CKAN_API_TOKEN": up.token})
    assert res.exit_code == 1, res.output
    assert isinstance(res.exception, SystemExit) and "Traceback" not in res.output
    assert str(package) in res.output and str(twin) in res.output
    assert "same name" in res.output
    with ckanapi.RemoteCKAN(up.url) as anon, pytest.raises(ckanapi.NotFound):
        anon.action.package_show(id=descriptor(package)["name"])


# ------------------------------------------------------------------ 4. local failures before any write

def test_bom_kept_non_utf8_and_nul_refused_before_any_write(up, tmp_path):
    bom, gbk, nul, fine = copy_seeds(tmp_path / "enc", SUFFIX + "e")[:4]

    def table_with_chinese(package):
        return next(t for t in tables(package) if len(csv_rows(package / t["path"])) > 1
                    and any(ord(c) > 127 for c in (package / t["path"]).read_text(encoding="utf-8")))

    bom_table = table_with_chinese(bom)
    (bom / bom_table["path"]).write_bytes(b"\xef\xbb\xbf" + (bom / bom_table["path"]).read_bytes())
    gbk_table = table_with_chinese(gbk)
    gbk_path = gbk / gbk_table["path"]
    gbk_lines = gbk_path.read_text(encoding="utf-8").split("\n")
    first_chinese = next(i for i, line in enumerate(gbk_lines) if any(ord(c) > 127 for c in line)) + 1
    gbk_path.write_bytes(gbk_path.read_text(encoding="utf-8").encode("gbk"))
    nul_table = next(t for t in tables(nul) if any(
        ord(c) > 127 for c in ((nul / t["path"]).read_text(encoding="utf-8").split("\n") + ["", "", ""])[2]))
    nul_path = nul / nul_table["path"]
    nul_lines = nul_path.read_text(encoding="utf-8").split("\n")
    cells = nul_lines[2].split(",")
    at = next(i for i, cell in enumerate(cells) if any(ord(c) > 127 for c in cell))
    cells[at] += "\0"  # inside a text cell of the 3rd line
    nul_lines[2] = ",".join(cells)
    nul_path.write_text("\n".join(nul_lines), encoding="utf-8")

    folder = tmp_path / "enc"
    res = CliRunner().invoke(main, ["publish", str(folder), "--ckan", up.url, "--allow-invalid", "--org", ORG,
                                    "--json"], env={"CKAN_API_TOKEN": up.token})
    assert res.exit_code == 1, res.output
    assert isinstance(res.exception, SystemExit), res.exception
    results = {r["name"]: r for r in json.loads(res.stdout)}
    assert results[descriptor(bom)["name"]]["status"] == "created"
    assert results[descriptor(fine)["name"]]["status"] == "created"
    refused_gbk = results[descriptor(gbk)["name"]]
    assert refused_gbk["status"] == "refused" and refused_gbk["writes"] == 0
    assert f"{gbk_path}, line {first_chinese}" in refused_gbk["error"] and "not UTF-8" in refused_gbk["error"]
    refused_nul = results[descriptor(nul)["name"]]
    assert refused_nul["status"] == "refused" and refused_nul["writes"] == 0
    assert f"{nul_path}, line 3" in refused_nul["error"] and "NUL" in refused_nul["error"]
    with ckanapi.RemoteCKAN(up.url, apikey=up.token) as admin:
        for package in (gbk, nul):  # nothing half-created
            with pytest.raises(ckanapi.NotFound):
                admin.action.package_show(id=descriptor(package)["name"])
        check_published(admin, fine)
        # the BOM file keeps row_id in every DataStore row
        res_id = by_name(admin.action.package_show(id=descriptor(bom)["name"]))[bom_table["name"]]["id"]
        rows = admin.action.datastore_search(resource_id=res_id, limit=1000, sort="_id")["records"]
        want = csv_rows(bom / bom_table["path"])  # read as utf-8: the first key carries the BOM
        want = [{k.lstrip("\ufeff"): v for k, v in r.items()} for r in want]
        assert len(rows) == len(want)
        assert [r["row_id"] for r in rows] == [w["row_id"] for w in want] and all(r["row_id"] for r in rows)


# ------------------------------------------------------------------ 5. --verify

def test_verify_finds_and_repairs_changes_made_on_the_portal(up, tmp_path):
    package = copy_seeds(tmp_path / "verify", SUFFIX + "v")[0]
    name = descriptor(package)["name"]
    env = {"CKAN_API_TOKEN": up.token}
    res = CliRunner().invoke(main, ["publish", str(package), "--ckan", up.url, "--allow-invalid", "--org", ORG], env=env)
    assert res.exit_code == 0, res.output
    with ckanapi.RemoteCKAN(up.url, apikey=up.token) as admin:
        resources = by_name(admin.action.package_show(id=name))
        numbered = [t for t in tables(package) if len(csv_rows(package / t["path"])) > 1]
        edited, uploaded = numbered[0], numbered[1]
        # a DataStore row edited on the portal
        row = csv_rows(package / edited["path"])[0]
        number = next(f["name"] for f in edited["schema"]["fields"] if f["type"] == "number" and row[f["name"]])
        admin.action.datastore_upsert(resource_id=resources[edited["name"]]["id"], method="update", force=True,
                                      records=[{"row_id": row["row_id"], number: str(Decimal(row[number]) + 7)}])
        # a CSV re-uploaded on the portal (its recorded hash left as it was)
        other = b"row_id,item\nx,changed on the portal\n"
        admin.action.resource_patch(id=resources[uploaded["name"]]["id"],
                                    upload=("x.csv", io.BytesIO(other), "text/csv"))
        assert requests.get(by_name(admin.action.package_show(id=name))[uploaded["name"]]["url"],
                            timeout=30).content == other

    # without --verify the recorded hashes are trusted: unchanged, no write
    res = CliRunner().invoke(main, ["publish", str(package), "--ckan", up.url, "--allow-invalid", "--org", ORG], env=env)
    assert res.exit_code == 0 and "unchanged: 1" in res.output and "write calls: 0" in res.output, res.output

    res = CliRunner().invoke(main, ["publish", str(package), "--ckan", up.url, "--allow-invalid", "--org", ORG,
                                    "--verify"], env=env)
    assert res.exit_code == 0, res.output
    assert "repaired: 1" in res.output and "drift found in 1" in res.output
    assert f"drift: {edited['name']}: the DataStore table differs" in res.output
    assert f"{row['row_id']}" in res.output and "1 row(s) changed" in res.output
    assert f"drift: {uploaded['name']}: the file on the portal differs" in res.output
    with ckanapi.RemoteCKAN(up.url, apikey=up.token) as admin:
        after = by_name(admin.action.package_show(id=name))
        got = requests.get(after[uploaded["name"]]["url"], timeout=30).content
        assert sha256_bytes(got) == sha256_bytes((package / uploaded["path"]).read_bytes())
        found = admin.action.datastore_search(resource_id=after[edited["name"]]["id"],
                                              filters={"row_id": row["row_id"]})["records"][0]
        assert same_value(found[number], row[number])
        check_published(admin, package, download=True)

    res = CliRunner().invoke(main, ["publish", str(package), "--ckan", up.url, "--allow-invalid", "--org", ORG,
                                    "--verify"], env=env)
    assert res.exit_code == 0, res.output
    assert "unchanged: 1" in res.output and "drift found in 0" in res.output and "write calls: 0" in res.output
    assert "drift:" not in res.output
