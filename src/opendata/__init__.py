"""opendata: an open-data standard and toolkit for Chinese departmental budget disclosures."""
from .version import __version__
from .package import read_package, write_package
from .facts import facts
from .validate import validate

__all__ = ["read_package", "write_package", "facts", "validate", "__version__"]
