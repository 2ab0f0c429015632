"""Converting many documents at once, each on its own: `convert_batch` converts every source
(in parallel worker processes with `jobs` > 1), writes a package for each one that converts
and records, for each one that does not, why. One refused document does not stop the others;
each package is still written all or nothing (`opendata.package.output_folder`).

This is `opendata convert SOURCES --out-dir DIR` (with `--jobs`, `--report`): what a
publishing agency runs over a year's disclosures, and what measures the converter on the
corpus (benchmarks/bench_corpus.py, tests/test_corpus.py)."""
from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

from ..package import PackageError
from . import ConversionError, ConversionResult, Limits, convert_file, write_result

CONVERTED, REFUSED, STRICT_REFUSED, NOT_WRITTEN = "converted", "refused", "refused_strict", "not_written"


@dataclass
class BatchItem:
    """What became of one source: `status` is converted (its package was written to
    `package`), refused (the document could not be converted: `error` says why),
    refused_strict (it converted with warnings under `strict`: not written) or not_written
    (it converted but its package could not be written: `error`). For a converted
    source: `tables` (table ids), `rows`, `amounts` (cells holding a Decimal amount), and
    `warnings` (how many; the texts are in `warning_texts`). `seconds` is the conversion's
    wall time."""
    source: str
    status: str
    package: str | None = None
    error: str | None = None
    tables: list[str] = field(default_factory=list)
    rows: int = 0
    amounts: int = 0
    warnings: int = 0
    warning_texts: list[str] = field(default_factory=list, repr=False)
    seconds: float = 0.0

    def as_json(self) -> dict:
        """The item as JSON-ready data (the report's `items`), warning texts included."""
        return asdict(self)


@dataclass
class BatchReport:
    """The outcome of `convert_batch`: one `BatchItem` per source, in the order given, and
    the batch's wall time in `seconds`."""
    items: list[BatchItem]
    seconds: float = 0.0

    @property
    def converted(self) -> list[BatchItem]:
        """The items whose package was written."""
        return [item for item in self.items if item.status == CONVERTED]

    @property
    def failed(self) -> list[BatchItem]:
        """The items refused or not written."""
        return [item for item in self.items if item.status != CONVERTED]

    def summary(self) -> dict:
        """Counts over the batch: sources, converted, refused, refused_strict, not_written;
        tables, rows, amounts of the packages written; warnings of every document that
        converted (written or not: refused_strict and not_written items have theirs too);
        seconds."""
        return {"sources": len(self.items), "converted": len(self.converted),
                "refused": sum(item.status == REFUSED for item in self.items),
                "refused_strict": sum(item.status == STRICT_REFUSED for item in self.items),
                "not_written": sum(item.status == NOT_WRITTEN for item in self.items),
                "tables": sum(len(item.tables) for item in self.converted),
                "rows": sum(item.rows for item in self.converted),
                "amounts": sum(item.amounts for item in self.converted),
                "warnings": sum(item.warnings for item in self.items),
                "seconds": round(self.seconds, 1)}

    def as_json(self) -> dict:
        """The report as JSON-ready data: {"summary": …, "items": [...]}."""
        return {"summary": self.summary(), "items": [item.as_json() for item in self.items]}


def convert_one(source: Path, limits: Limits, given: dict) -> tuple[ConversionResult | None, str | None, float]:
    """Convert one source (in a worker process): (result, None, seconds) or (None, the error, seconds)
    for a document that cannot be converted. A defect of the converter itself (any other
    exception) refuses that document with the error's first line, so that the batch goes on."""
    started = time.monotonic()
    try:
        return convert_file(source, limits, **given), None, time.monotonic() - started
    except (ConversionError, ValueError) as error:
        return None, str(error), time.monotonic() - started
    except Exception as error:  # noqa: BLE001 - one document's failure never stops the others
        first = (str(error).splitlines() or [type(error).__name__])[0]
        return None, f"{first} (a defect of opendata, not of the document: please report it)", time.monotonic() - started


def convert_results(sources: list[Path], limits: Limits, given: dict, jobs: int) -> Iterable[tuple]:
    """(source, result, error, seconds) for every source, in order; `jobs` > 1 converts in that
    many worker processes (forkserver: each starts clean, whatever threads this process has)."""
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield (source, *convert_one(source, limits, given))
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(jobs, len(sources)), mp_context=context) as pool:
        futures = [pool.submit(convert_one, source, limits, given) for source in sources]
        for source, future in zip(sources, futures):
            yield (source, *future.result())


def count_amounts(result: ConversionResult) -> tuple[int, int]:
    """(rows, cells holding a Decimal amount) of a converted document."""
    tables = result.disclosure.tables.values()
    return (sum(len(table.rows) for table in tables),
            sum(isinstance(value, Decimal) for table in tables for row in table.rows for value in row.values.values()))


def write_one(source: Path, result: ConversionResult, target: Path, strict: bool,
              written_by: dict[Path, Path]) -> tuple[str, str | None]:
    """Write one converted source unless `strict` refuses its warnings or an earlier source of
    the batch (`written_by`: folder -> source) wrote that folder: (status, error)."""
    if strict and result.warnings:
        return STRICT_REFUSED, f"{source}: {len(result.warnings)} warning(s) with --strict; not written"
    if target in written_by:
        return NOT_WRITTEN, f"{target}: not written ({written_by[target]} already gives the package {target.name!r})"
    try:
        write_result(result, target)
    except PackageError as exc:
        return NOT_WRITTEN, str(exc)
    written_by[target] = source
    return CONVERTED, None


def check_writable(folder: Path, what: str) -> None:
    """Raise PackageError unless files can be created in `folder` (or, when it does not exist
    yet, in the nearest folder above it that does): checked before any document is converted,
    so that an unwritable --out-dir or --report is said at once. Leaves nothing behind."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise PackageError(f"{existing}: is a file, not a folder ({what})")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise PackageError(f"{folder}: cannot write there ({what}): {exc.strerror or exc}") from None


def convert_batch(sources: Iterable[str | Path], out_dir: str | Path, *, jobs: int = 0, strict: bool = False,
                  limits: Limits | None = None, unit_name: str | None = None, year: int | None = None,
                  stage: str | None = None, done: Callable[[BatchItem, ConversionResult | None], None] | None = None,
                  folder_of: Callable[[Path, ConversionResult], str] | None = None) -> BatchReport:
    """Convert every source into a package under `out_dir` (named by its package name, or by
    `folder_of(source, result)`), each on its own: a document that cannot be converted is
    recorded as refused and the others go on; with `strict` one with warnings is
    refused_strict. `jobs` worker processes convert in parallel (0: one per CPU); packages are
    written by this process, in the order of `sources`, each all or nothing
    (`opendata.convert.write_result`). A package folder given by two sources is written for
    the first; the second is not_written. `done(item, result)` is called after each source
    (result None when refused), e.g. to print its warnings. `unit_name`, `year`, `stage` are
    given to every `convert_file`.

    Returns a BatchReport. Errors, before any document is converted: ValueError for a `jobs`
    below 0, PackageError for an `out_dir` that is a file or where nothing can be written
    (`check_writable`); nothing is raised for a document (each outcome is in the report)."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (one per CPU) or more, not {jobs}")
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise PackageError(f"{out_dir}: is a file, not a folder (--out-dir takes the folder to write the packages into)")
    check_writable(Path(out_dir), "the folder to write the packages into")
    jobs = jobs or os.cpu_count() or 1
    sources = [Path(source) for source in sources]
    limits = limits or Limits.from_env()
    given = {"unit_name": unit_name, "year": year, "stage": stage}
    started, items, written_by = time.monotonic(), [], {}
    for source, result, error, seconds in convert_results(sources, limits, given, jobs):
        item = BatchItem(str(source), REFUSED, error=error, seconds=round(seconds, 2))
        if result is not None:
            target = Path(out_dir) / (folder_of(source, result) if folder_of else result.disclosure.name)
            item.warnings, item.warning_texts = len(result.warnings), list(result.warnings)
            item.status, item.error = write_one(source, result, target, strict, written_by)
            if item.status == CONVERTED:
                item.package = str(result.path)
                item.tables = list(result.disclosure.tables)
                item.rows, item.amounts = count_amounts(result)
        items.append(item)
        if done:
            done(item, result)
    return BatchReport(items, time.monotonic() - started)
