"""opendata: an open-data standard and toolkit for Chinese departmental budget disclosures.

The Python API, one function per command of the CLI (`opendata COMMAND` calls it; see
site/docs/guide/cli.md for the table):

    opendata.convert(source, out)       `opendata convert SOURCE --out DIR`: `opendata.convert` is the
                                        subpackage, callable as `convert_to_package`; also
                                        `opendata.convert_to_package`, `opendata.convert_batch` (--out-dir)
                                        and `opendata.convert_file` (the model, nothing written)
    opendata.validate(paths)            `opendata validate PATH...` -> Report
    opendata.facts(path)                `opendata facts PATH` -> iterator of dicts
    opendata.release / diff / checkout  `opendata release / diff / checkout` (opendata.versions)
    opendata.upgrade(path, to)          `opendata upgrade PATH`
    opendata.publish(portal, paths)     `opendata publish PATH` (opendata.ckan)
    opendata.pull(portal, dataset, out) `opendata pull DATASET --out DIR` (opendata.ckan.pull_package)
    opendata.corpus.build(packages, db)  `opendata corpus build PACKAGES... --out DB` -> BuildSummary; also
                                        opendata.corpus.connect(db), opendata.corpus.query(db, sql)
    opendata.read_package(path), opendata.write_package(disclosure, out), opendata.Package

The modules of the package never import this file: it only gathers their public names.
Names that would pull in heavy dependencies (conversion, CKAN, versions) are imported on
first use.
"""
import importlib

from .version import __version__
from .package import Package, read_package, write_package
from .facts import facts
from .validate import validate
from .upgrade import upgrade

__all__ = ["Package", "read_package", "write_package", "facts", "validate", "upgrade", "convert", "convert_file",
           "convert_to_package", "convert_batch", "release", "diff", "checkout", "publish", "pull", "corpus", "__version__"]

_LAZY = {  # name -> (module, attribute; None for the module itself)
    "convert": ("opendata.convert", None),
    "convert_file": ("opendata.convert", "convert_file"),
    "convert_to_package": ("opendata.convert", "convert_to_package"),
    "convert_batch": ("opendata.convert.batch", "convert_batch"),
    "release": ("opendata.versions", "release"),
    "diff": ("opendata.versions", "diff"),
    "checkout": ("opendata.versions", "checkout"),
    "publish": ("opendata.ckan", "publish"),
    "pull": ("opendata.ckan", "pull_package"),
    "corpus": ("opendata.corpus", None),
}


def __getattr__(name: str):
    """The names of `_LAZY`, imported on first use (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'opendata' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
