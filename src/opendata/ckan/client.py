"""The portal: transport only. `Portal.call` (ckanapi with retries and a count of the write
calls), `Portal.download` (only from the portal's own origin), and how failures are told apart."""
from __future__ import annotations

import ast
import re
import time
from typing import Callable
from urllib.parse import urljoin, urlsplit

import ckanapi
import requests

from .config import portal_url, redact
from .errors import AuthError, PortalDown, PublishError, TransientError

READ_SUFFIXES = ("_show", "_list", "_search", "_info", "_search_sql", "_autocomplete")
TRANSIENT_STATUS = {500, 502, 503, 504}
MAX_REDIRECTS = 5


def is_write(action: str) -> bool:
    """True for a CKAN action that may change the portal (everything but reads such as *_show)."""
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
      failure is PortalDown too; so is a run of failures past `first_answer_budget`
      seconds before any call was answered with success (a gateway answering 502 for a
      portal that is down stops the run within seconds, not minutes). A write that may have
      reached the server is not repeated (TransientError; the caller plans again).

    `writes` counts every write call that was sent and may have landed: the ones CKAN
    confirmed plus `writes_unknown`, the ones whose answer was lost. `write_log` lists
    their actions (an unknown outcome is marked with a trailing `?`)."""

    def __init__(self, url: str, token: str | None = None, *, retries: int = 4, backoff: float = 1.0,
                 timeout: float = 60.0, on_write: Callable[[str, dict], None] | None = None,
                 retry_seconds: float = 30.0, retry_budget: float = 120.0, unreachable_retries: int = 2,
                 first_answer_budget: float = 15.0):
        self.url = portal_url(url)
        self.token = token
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.retry_seconds, self.retry_budget = retry_seconds, retry_budget
        self.unreachable_retries = unreachable_retries
        self.first_answer_budget = first_answer_budget
        self.answered = False  # has any call been answered with success yet?
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
        """Close the HTTP session."""
        self.remote.close()

    def wait(self, seconds: float) -> None:
        """Sleep `seconds` between attempts, counted as time lost to failures (`lost`)."""
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
                    f"organization. CKAN said: {error_text(exc, secret=self.token)}") from None
            except (ckanapi.NotFound, ckanapi.ValidationError, ckanapi.SearchError):
                raise
            except (requests.exceptions.RequestException, ckanapi.CKANAPIError) as exc:
                self.lost += time.monotonic() - started
                if not _transient(exc):
                    raise PublishError(f"CKAN ({self.url}) `{action}` failed: {error_text(exc, secret=self.token)}") from None
                if _unreachable(exc):
                    if attempt >= min(self.unreachable_retries, self.retries):
                        raise PortalDown(f"CKAN ({self.url}) cannot be reached: {_unreachable(exc)}") from None
                    self.wait(min(0.5, self.backoff) * (2 ** attempt))
                    attempt += 1
                    continue
                # a write that may have reached the server is not repeated here: the
                # caller plans again from what the portal holds (no duplicates)
                if write and not _never_sent(exc):
                    self._count_write(action, data, confirmed=False)
                    raise TransientError(f"CKAN ({self.url}) `{action}` (its outcome is unknown): "
                                         f"{error_text(exc, secret=self.token)}") from None
                now = time.monotonic()
                first_failure = first_failure or started
                delay = self.backoff * (2 ** attempt)
                if not self.answered and self.lost + delay > self.first_answer_budget:
                    raise PortalDown(f"CKAN ({self.url}) has not answered one call with success ({self.lost:.0f} s of "
                                     f"failures; a gateway in front of a portal that is down?): `{action}`: "
                                     f"{error_text(exc, secret=self.token)}") from None
                if self.lost + delay > self.retry_budget:
                    raise PortalDown(f"CKAN ({self.url}) keeps failing (retries stopped after {self.lost:.0f} s "
                                     f"lost to failures): `{action}`: {error_text(exc, secret=self.token)}") from None
                if attempt >= self.retries or now - first_failure + delay > self.retry_seconds:
                    raise TransientError(f"CKAN ({self.url}) `{action}`: {error_text(exc, secret=self.token)}") from None
                self.wait(delay)
                attempt += 1
        self.answered = True
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
                    raise TransientError(redact(f"download {url}: {error_text(exc, secret=self.token)}",
                                                self.token)) from None
                time.sleep(self.backoff * (2 ** attempt))
                attempt += 1
            except requests.exceptions.RequestException as exc:  # a broken answer: not retried
                raise PublishError(f"download {url}: {error_text(exc, secret=self.token)}") from None

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


def error_text(exc: Exception, width: int = 300, secret: str | None = None) -> str:
    """What `exc` says, cut to `width` characters, with `secret` (the token) masked: for messages."""
    text = redact(str(exc) or type(exc).__name__, secret)
    return text if len(text) <= width else text[:width] + "…"


def _status(exc: Exception) -> int | None:
    if isinstance(exc, ckanapi.CKANAPIError) and exc.args:
        first = exc.args[0]
        if isinstance(first, str) and first.startswith("["):
            try:
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


class EmptyPortal:
    """No portal at all, for `publish --dry-run` without an address: every read answers "not
    found" (so the plan is what a first publication would do) and a write raises PublishError.
    Same attributes as Portal for what `publish` reads (url, token, writes, backoff …)."""

    url = "(no portal)"
    token = None
    writes = writes_unknown = 0
    backoff = 0.0

    def call(self, action: str, files: dict | None = None, **data):
        """Raises ckanapi.NotFound for a read (nothing is there) and PublishError for a write."""
        if is_write(action):
            raise PublishError(f"no portal address: {action} cannot be sent (dry run only)")
        raise ckanapi.NotFound(f"{action}: no portal")

    def wait(self, seconds: float) -> None:
        """Nothing to wait for."""

    def close(self) -> None:
        """Nothing to close."""
