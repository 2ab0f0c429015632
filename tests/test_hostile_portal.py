"""A hostile portal cannot harm or rob a user of `opendata pull` / `publish` (issue #17).

Someone with edit rights on the portal tampers with a dataset the way an attacker could:
a datapackage.json whose package name is a path, a resource whose URL points at another
host (or at a portal URL that redirects there). `pull` must refuse without touching anything
outside --out and without ever sending the API token elsewhere. A local HTTP server on
127.0.0.1 stands in for the foreign host and records what it received; another one plays a
portal that echoes the request's headers back in its error messages. Also: a config file
that configparser cannot parse, and pull over a folder holding version history.

Runs against the real test CKAN (tests/ckan_fixtures.py); every dataset gets a name of its own.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import ckanapi
import pytest

from opendata.ckan import ConfigError, Portal, PublishError, publish_package, pull_package, read_config
from tests.test_publish import copy_seeds

pytest_plugins = ["tests.ckan_fixtures"]

SUFFIX = uuid.uuid4().hex[:6]
ORG = "odtest-hostile-" + SUFFIX
OPENDATA = Path(sys.executable).parent / "opendata"


# ------------------------------------------------------------------ local HTTP servers

class Recorder:
    """An HTTP server on 127.0.0.1 in a thread: serves `files` (path -> bytes) and records
    the path and headers of every request. With `echo`, it answers every request with a CKAN
    API error quoting the request's headers (a portal that repeats what it was sent)."""

    def __init__(self, echo: bool = False):
        self.files: dict[str, bytes] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                recorder.requests.append((self.path, dict(self.headers.items())))
                if echo:
                    body = json.dumps({"success": False, "error": {
                        "__type": "Validation Error",
                        "message": f"Bad request: Authorization: {self.headers.get('Authorization')}; "
                                   f"headers {dict(self.headers.items())}",
                        "name": [f"you sent {self.headers.get('Authorization')}"]}}).encode()
                    self.send_response(409)
                elif self.path in recorder.files:
                    body = recorder.files[self.path]
                    self.send_response(200)
                else:
                    body = b"not here"
                    self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def saw(self, secret: str) -> bool:
        return any(secret in value for _, headers in self.requests for value in headers.values())


@pytest.fixture
def foreign():
    with Recorder() as server:
        yield server


# ------------------------------------------------------------------ a published package, tampered

@pytest.fixture
def published(ckan_server, tmp_path):
    """A seed package published under a name of its own: (package folder, portal dataset)."""
    if not ckan_server.is_up():
        ckan_server.start_ckan()
    package = copy_seeds(tmp_path / "local", SUFFIX + uuid.uuid4().hex[:4])[0]
    portal = Portal(ckan_server.url, ckan_server.token, backoff=0.5)
    assert publish_package(portal, package, org=ORG, allow_invalid=True).status == "created"
    portal.close()
    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.token) as admin:
        pkg = admin.action.package_show(id=json.loads((package / "datapackage.json").read_text())["name"])
    return package, pkg


def resource(pkg: dict, name: str) -> dict:
    return next(r for r in pkg["resources"] if r["name"] == name)


def upload(ckan_server, res: dict, data: bytes) -> None:
    """What an attacker with edit rights can do: new bytes for a resource, with their sha256."""
    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.token) as admin:
        admin.action.resource_patch(id=res["id"], upload=(res["name"], io.BytesIO(data)),
                                    hash=hashlib.sha256(data).hexdigest())


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry below `folder`: files with their bytes, folders as None."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def pull_as_user(ckan_server, pkg: dict, out_dir: Path) -> Path:
    """A user with a token pulls the dataset into out_dir/<name>."""
    portal = Portal(ckan_server.url, ckan_server.token, retries=1, backoff=0.1)
    try:
        return pull_package(portal, pkg["name"], out_dir=out_dir)
    finally:
        portal.close()


# ------------------------------------------------------------------ pull

def test_pull_with_token_then_again_replaces_the_same_package(ckan_server, published, tmp_path):
    package, pkg = published
    out = tmp_path / "out"
    pulled = pull_as_user(ckan_server, pkg, out)
    assert pulled == out / pkg["name"]
    assert tree(pulled) == tree(package)
    next((pulled / "data").glob("*.csv")).write_text("stale")
    again = pull_as_user(ckan_server, pkg, out)  # the same package, no history: replaced
    assert tree(again) == tree(package)
    assert sorted(p.name for p in out.iterdir()) == [pkg["name"]]  # no staging folder left
    # --out: into the folder itself, like convert --out and checkout --out
    portal = Portal(ckan_server.url, ckan_server.token, retries=1, backoff=0.1)
    try:
        into = pull_package(portal, pkg["name"], tmp_path / "into")
        assert into == tmp_path / "into" and tree(into) == tree(package)
        with pytest.raises(PublishError, match="exactly one"):
            pull_package(portal, pkg["name"], tmp_path / "a", out_dir=tmp_path / "b")
        with pytest.raises(PublishError, match="exactly one"):
            pull_package(portal, pkg["name"])
    finally:
        portal.close()
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


@pytest.mark.parametrize("hostile", ["ABSOLUTE", "../../victim", "a/b", "other-package", "..", "x\n"])
def test_package_name_from_the_portal_is_untrusted(ckan_server, published, tmp_path, hostile):
    package, pkg = published
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    name = str(victim) if hostile == "ABSOLUTE" else hostile
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["name"] = name
    upload(ckan_server, resource(pkg, "datapackage.json"), json.dumps(descriptor, ensure_ascii=False).encode())
    out = tmp_path / "deep" / "out"
    if hostile == "other-package":  # a valid name, but not this dataset's: a local package of that name
        (out / name / "releases").mkdir(parents=True)
        (out / name / "CHANGELOG.md").write_text("history")
    before = tree(tmp_path)
    with pytest.raises(PublishError, match="pull refuses"):
        pull_as_user(ckan_server, pkg, out)
    assert tree(tmp_path) == before, "pull changed files although it refused"


@pytest.mark.parametrize("path", ["../../escaped.csv", "releases/index.json", "CHANGELOG.md", "releases/1.0.0-x.tar.gz",
                                  "data\\..\\..\\escaped.csv", "C:/escaped.csv", "data/.lock", "data/sub/x.csv"])
def test_resource_path_leaving_data_is_refused(ckan_server, published, tmp_path, path):
    """A portal editor must not be able to write outside the package, nor plant a version
    history (releases/, CHANGELOG.md) that verify-releases would then call ok (found by a new
    user); Windows-style paths are refused too."""
    package, pkg = published
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = path
    upload(ckan_server, resource(pkg, "datapackage.json"), json.dumps(descriptor, ensure_ascii=False).encode())
    out = tmp_path / "deep" / "out"
    with pytest.raises(PublishError, match="pull refuses it"):
        pull_as_user(ckan_server, pkg, out)
    assert not (tmp_path / "escaped.csv").exists()
    assert not out.exists() or list(out.iterdir()) == []  # the staging folder is gone


def test_resource_on_another_host_gets_no_token(ckan_server, published, tmp_path, foreign):
    package, pkg = published
    table = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]
    foreign.files["/t.csv"] = (package / table["path"]).read_bytes()  # the right bytes: sha256 matches
    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.token) as admin:
        admin.action.resource_patch(id=resource(pkg, table["tableId"])["id"], url=foreign.url + "/t.csv",
                                    url_type="")
    out = tmp_path / "out"
    with pytest.raises(PublishError, match="not on the portal's own address") as refused:
        pull_as_user(ckan_server, pkg, out)
    assert foreign.url + "/t.csv" in str(refused.value)
    assert not foreign.saw(ckan_server.token), "the foreign host received the API token"
    assert foreign.requests == []  # a package pulled from the portal comes from the portal
    assert list(out.iterdir()) == []


def test_redirect_off_the_portal_is_not_followed(ckan_server, published, tmp_path, foreign):
    """A resource URL on the portal that redirects (CKAN's download of a link resource) to a
    server on the same host, another port."""
    package, pkg = published
    table = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]
    foreign.files["/t.csv"] = (package / table["path"]).read_bytes()
    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.token) as admin:
        link = admin.action.resource_create(package_id=pkg["id"], name="elsewhere", url=foreign.url + "/t.csv")
        via = f"{ckan_server.url}/dataset/{pkg['id']}/resource/{link['id']}/download/t.csv"
        admin.action.resource_patch(id=resource(pkg, table["tableId"])["id"], url=via, url_type="")
    with pytest.raises(PublishError, match="redirected to from"):
        pull_as_user(ckan_server, pkg, tmp_path / "out")
    assert not foreign.saw(ckan_server.token)
    assert foreign.requests == []


def test_pull_never_replaces_version_history(ckan_server, published, tmp_path):
    package, pkg = published
    original = tree(package)
    out = package.parent  # the user's own folder of packages: out/<name> is the local package
    (package / "releases" / "1.0.0").mkdir(parents=True)
    (package / "releases" / "1.0.0" / "datapackage.json").write_text("{}")
    (package / "CHANGELOG.md").write_text("# 1.0.0\n")
    before, beside = tree(package), sorted(out.iterdir())
    for where in (["--out-dir", str(out)], ["--out", str(package)]):
        res = subprocess.run([str(OPENDATA), "pull", pkg["name"], "--ckan", ckan_server.url, *where],
                             capture_output=True, text=True, timeout=300, env=dict(os.environ, CKAN_API_TOKEN=""))
        assert res.returncode == 2, res.stdout + res.stderr
        assert "releases" in res.stderr and "CHANGELOG.md" in res.stderr and "another --out" in res.stderr
        assert "Traceback" not in res.stderr
        assert tree(package) == before
        assert sorted(out.iterdir()) == beside  # no staging folder left

    portal = Portal(ckan_server.url)
    # the same package with a file of the user's: not replaced
    extra = tmp_path / "extra"
    copy = extra / pkg["name"]
    copy.mkdir(parents=True)
    for rel, data in original.items():
        (copy / rel).mkdir() if data is None else (copy / rel).write_bytes(data)
    (copy / "data" / "notes.txt").write_text("mine")
    with pytest.raises(PublishError, match="(did not write \\(|not part of the package: )data/notes.txt"):
        pull_package(portal, pkg["name"], copy)
    assert (copy / "data" / "notes.txt").read_text() == "mine"
    # a folder of that name that is not this package: not replaced
    stray = tmp_path / "stray" / pkg["name"]
    stray.mkdir(parents=True)
    (stray / "notes.txt").write_text("mine")
    with pytest.raises(PublishError, match="not the package|is not a data package"):
        pull_package(portal, pkg["name"], out_dir=stray.parent)
    assert tree(stray) == {"notes.txt": b"mine"}
    # an empty folder of that name is filled
    empty = tmp_path / "empty" / pkg["name"]
    empty.mkdir(parents=True)
    assert tree(pull_package(portal, pkg["name"], out_dir=empty.parent)) == original
    portal.close()


# ------------------------------------------------------------------ the token never shows

CONFIG_CASES = {
    "no section header": "token = {token}\nurl = http://127.0.0.1:9\n",
    "not key = value": "[ckan]\nurl = http://127.0.0.1:9\n{token}\n",
    "key twice": "[ckan]\ntoken = {token}\ntoken = {token}\n",
    "not UTF-8": "[ckan]\ntoken = {token}\n\udcff\n",
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_config_errors_name_the_file_and_line_never_the_token(tmp_path, case):
    token = "tok-" + uuid.uuid4().hex
    config = tmp_path / "ckan.ini"
    config.write_bytes(CONFIG_CASES[case].format(token=token).encode("utf-8", "surrogateescape"))
    package = copy_seeds(tmp_path / "packages", SUFFIX)[0]
    env = {k: v for k, v in os.environ.items() if k not in ("CKAN_API_TOKEN", "CKAN_URL")}
    for command in (["publish", str(package)], ["pull", "some-dataset", "--out", str(tmp_path / "out")]):
        res = subprocess.run([str(OPENDATA), *command, "--config", str(config)], capture_output=True, text=True,
                             timeout=120, env=env)
        output = res.stdout + res.stderr
        assert res.returncode == 2, output
        assert "Traceback" not in output and token not in output and token[4:12] not in output
        assert str(config) in res.stderr and "line" in res.stderr, output
    with pytest.raises(ConfigError) as error:
        read_config(config)
    assert token not in str(error.value) and error.value.__cause__ is None and error.value.__suppress_context__


def test_unreadable_config_is_a_clear_error(tmp_path):
    config = tmp_path / "ckan.ini"
    config.mkdir()  # a folder where the file should be (root reads any file, so no chmod 000)
    with pytest.raises(ConfigError, match="cannot read the config file"):
        read_config(config)


def test_portal_echoing_the_token_back_does_not_print_it(tmp_path):
    """A portal (or a proxy in front of it) that quotes the request's headers in its errors."""
    token = "tok-" + uuid.uuid4().hex
    package = copy_seeds(tmp_path / "packages", SUFFIX)[0]
    env = dict(os.environ, CKAN_API_TOKEN=token)
    with Recorder(echo=True) as portal:
        for command in (["publish", str(package), "--allow-invalid", "--retries", "0"],
                        ["pull", "some-dataset", "--out", str(tmp_path / "out")]):
            res = subprocess.run([str(OPENDATA), *command, "--ckan", portal.url], capture_output=True, text=True,
                                 timeout=300, env=env)
            output = res.stdout + res.stderr
            assert res.returncode in (1, 2), output
            assert "Traceback" not in output and token not in output, output
            assert "***" in output  # the portal's words are shown, the token masked
        assert portal.saw(token)  # it was sent to the portal itself (its own origin)


@pytest.mark.parametrize("url", ["http://admin:PWSECRET@127.0.0.1:9/", "http://127.0.0.1:9/?token=PWSECRET",
                                 "http://127.0.0.1:9/#PWSECRET", "ftp://127.0.0.1/", "127.0.0.1:9"])
def test_portal_address_with_credentials_is_refused_and_masked(tmp_path, url):
    """Found by a new user: credentials in --ckan were echoed in the summary and the API
    address was built with the query string in it."""
    run = run_opendata("publish", str(REPO / "datapackages"), "--ckan", url, "--dry-run",
                       env={"CKAN_API_TOKEN": "tok"})
    assert run.returncode == 2, run.stdout + run.stderr
    assert "PWSECRET" not in run.stdout + run.stderr and "Traceback" not in run.stderr
    assert "portal address" in run.stderr


def test_a_config_file_named_on_purpose_must_exist(tmp_path):
    run = run_opendata("publish", str(REPO / "datapackages"), "--config", str(tmp_path / "missing.ini"),
                       "--ckan", "http://127.0.0.1:9", env={"CKAN_API_TOKEN": "tok"})
    assert run.returncode == 2 and "missing.ini: no such config file" in run.stderr, run.stderr


REPO = Path(__file__).resolve().parent.parent


def run_opendata(*args: str, env: dict) -> subprocess.CompletedProcess:
    """`opendata ARGS` with `env` over an environment without CKAN settings."""
    base = {k: v for k, v in os.environ.items() if k not in ("CKAN_API_TOKEN", "CKAN_URL")}
    return subprocess.run([str(OPENDATA), *args], capture_output=True, text=True, timeout=120, env={**base, **env})
