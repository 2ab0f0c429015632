"""pytest plugin: a real CKAN test server, run by ``scripts/ckan-dev-server``.

Load it from the top-level conftest with::

    pytest_plugins = ["tests.ckan_fixtures"]

Fixtures:

``ckan_server`` (session)
    Runs ``scripts/ckan-dev-server install`` (skipped when
    ``OPENDATA_CKAN_SKIP_INSTALL=1``) and ``start``, and yields a :class:`CKANServer`
    with ``.url``, ``.token``, ``.admin``, ``.restart()``, ``.stop_ckan()`` and
    ``.start_ckan()``.  With ``OPENDATA_SKIP_CKAN=1`` every test that uses it is
    skipped; otherwise a server that cannot be installed or started is a test ERROR,
    never a skip.  If the server was not running before, it is stopped at the end of
    the session (``OPENDATA_CKAN_KEEP=1`` keeps it running).

``ckan`` (function)
    A ``ckanapi.RemoteCKAN(url, apikey=token)`` for the sysadmin ``opendata_admin``.
    It starts the CKAN web process again first if an earlier test left it stopped.

The server's state (databases, uploaded files, search documents) lives outside the
repository and persists between sessions: tests must use names of their own (for
example with a random suffix), not assume an empty portal.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "ckan-dev-server"
SKIP_REASON = ("OPENDATA_SKIP_CKAN=1: tests that need a real CKAN server "
               "(scripts/ckan-dev-server) are skipped")


class CKANServerError(RuntimeError):
    pass


def _script(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(SCRIPT), *args]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise CKANServerError("`%s` did not finish within %.0f s:\n%s%s" % (
            " ".join(cmd[1:]), timeout, e.stdout or "", e.stderr or "")) from None
    return res


def _script_ok(*args: str, timeout: float = 600) -> str:
    res = _script(*args, timeout=timeout)
    if res.returncode != 0:
        raise CKANServerError("`scripts/ckan-dev-server %s` failed (exit %d):\n%s%s" % (
            " ".join(args), res.returncode, res.stdout[-4000:], res.stderr[-8000:]))
    return res.stdout


class CKANServer:
    """The running CKAN: its address, the sysadmin's API token, and controls."""

    def __init__(self, url: str, token: str, admin: str, home: Path):
        self.url, self.token, self.admin, self.home = url, token, admin, home

    def __repr__(self) -> str:  # never show the token
        return "CKANServer(url=%r, admin=%r)" % (self.url, self.admin)

    def is_up(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/api/3/action/status_show",
                                        timeout=5) as r:
                return bool(json.loads(r.read().decode("utf-8")).get("success"))
        except (OSError, ValueError):
            return False

    def restart(self, kill: bool = False) -> None:
        """Stop and start only the CKAN web process (``kill``: with SIGKILL)."""
        _script_ok("restart-ckan", *(["--kill"] if kill else []))

    def stop_ckan(self, kill: bool = False) -> None:
        """Stop only the CKAN web process, e.g. to break a publish half-way."""
        _script_ok("stop-ckan", *(["--kill"] if kill else []))

    def start_ckan(self) -> None:
        """Start the CKAN web process again and wait until it answers."""
        _script_ok("start-ckan")

    def status(self) -> str:
        return _script("status").stdout


def _home() -> Path:
    return Path(os.environ.get("OPENDATA_CKAN_HOME")
                or Path.home() / ".cache" / "opendata-ckan").expanduser()


@pytest.fixture(scope="session")
def ckan_server():
    if os.environ.get("OPENDATA_SKIP_CKAN") == "1":
        pytest.skip(SKIP_REASON)
    was_running = _script("status").returncode == 0
    if os.environ.get("OPENDATA_CKAN_SKIP_INSTALL") != "1":
        _script_ok("install", timeout=1800)
    try:
        url = _script_ok("start", timeout=900).strip().splitlines()[-1]
    except CKANServerError:
        if not was_running:
            _script("stop")  # leave nothing half-started behind
        raise
    env = json.loads((_home() / "env.json").read_text())
    server = CKANServer(env["url"], env["token"], env["admin"], _home())
    assert server.url == url, (server.url, url)
    yield server
    if not was_running and os.environ.get("OPENDATA_CKAN_KEEP") != "1":
        _script("stop")


@pytest.fixture
def ckan(ckan_server):
    import ckanapi  # a project dependency: missing is an error, not a skip
    if not ckan_server.is_up():  # an earlier test stopped it
        ckan_server.start_ckan()
    remote = ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.token,
                                user_agent="opendata-tests")
    yield remote
    remote.close()
