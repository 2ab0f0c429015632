"""Where the portal and its token come from: an INI file's [ckan] section and CKAN_API_TOKEN;
`redact` keeps the token out of every message."""
from __future__ import annotations

import configparser
import os
from pathlib import Path

from .errors import ConfigError

DEFAULT_CONFIG = Path("~/.config/opendata/ckan.ini")


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


def redact(text: str, secret: str | None) -> str:
    """`text` with every occurrence of `secret` (the API token) replaced by `***`."""
    return text.replace(secret, "***") if secret else text
