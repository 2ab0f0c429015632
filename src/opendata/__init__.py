"""opendata: an open-data standard and toolkit for Chinese departmental budget disclosures."""
__version__ = "0.1.0"

from .package import read_package, write_package  # noqa: E402
from .facts import facts  # noqa: E402
from .validate import validate  # noqa: E402

__all__ = ["read_package", "write_package", "facts", "validate", "__version__"]
