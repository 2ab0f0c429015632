"""The errors of publishing to and pulling from a CKAN portal. None of their messages holds
the API token."""
from __future__ import annotations


class PublishError(Exception):
    """Publishing could not be done; the message says why (never holds the token)."""


class AuthError(PublishError):
    """The portal refused the API token (or there was none)."""


class PackageRefused(PublishError):
    """The package cannot be published as it is (the portal was not written to)."""


class InvalidPackage(PackageRefused):
    """The package has validation errors and --allow-invalid was not given."""


class UnreadableTable(PackageRefused):
    """A table's CSV cannot be read or loaded into the DataStore (file and line in the
    message); found before any write for the package."""


class TransientError(PublishError):
    """The portal could not be reached or failed (timeout, connection, 5xx)."""


class PortalDown(TransientError):
    """The portal does not answer (connection refused, unknown host, no route), or its
    failures outlasted the retry budget: the run stops. `results` holds the results of
    the packages handled so far (set by `publish`)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.results: list = []


class ConfigError(PublishError):
    """The config file cannot be read or parsed; the message names the file and line, not its content."""
