"""Where the portal and its token come from: an INI file's [ckan] section and CKAN_API_TOKEN;
`redact` keeps the token out of every message."""
from __future__ import annotations

import configparser
import os
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError

DEFAULT_CONFIG = Path("~/.config/opendata/ckan.ini")


def read_config(path: str | Path | None = None) -> dict[str, str]:
    """`url` and `token` from an INI file's [ckan] section (default
    ~/.config/opendata/ckan.ini); an empty dict when the default file does not exist
    (ConfigError when a file given by name does not).

    Raises ConfigError when the file cannot be read or parsed (no [ckan]-style section
    header, a line that is not `key = value`, a duplicate key, not UTF-8): the message
    names the file and the line, never the line's content (it may hold the token)."""
    given = path is not None
    path = Path(path or DEFAULT_CONFIG).expanduser()
    if not path.exists():
        if given:  # a file named on purpose that is not there is an error, not "no settings"
            raise ConfigError(f"{path}: no such config file")
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


def redact(text: str, secret: str | None) -> str:
    """`text` with every occurrence of `secret` (the API token) replaced by `***`."""
    return text.replace(secret, "***") if secret else text


def portal_url(url: str) -> str:
    """The portal's base address, checked: http or https, a host, and no user name, password,
    query or fragment (credentials go in CKAN_API_TOKEN or the config file, never in the
    address, which is printed). Returns it without a trailing '/'. Raises ConfigError, whose
    message shows the address with any credentials, query and fragment masked."""
    try:
        parts = urlsplit(str(url).strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ConfigError(f"{_masked(url)}: not a portal address: give http(s)://host[:port][/path]")
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ConfigError(f"{_masked(url)}: a portal address carries no user, password, query or fragment; "
                          "give the API token in CKAN_API_TOKEN or the config file")
    return str(url).strip().rstrip("/")


def _masked(url) -> str:
    text = str(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return "the portal address"
    netloc = parts.netloc.rpartition("@")[2]
    shown = f"{parts.scheme}://" if parts.scheme else ""
    shown += ("***@" if "@" in parts.netloc else "") + netloc + parts.path
    return shown + ("?***" if parts.query else "") + ("#***" if parts.fragment else "")
