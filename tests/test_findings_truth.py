"""The hand-read truth of tests/corpus/findings/NNN.md (issue #14): every findings file follows
the format (columns, kinds, categories, unique ids, page numbers), and on a few small corpus
documents the validator finds every listed table / cross-table error and raises no error that
matches no listed line (benchmarks/bench_findings.py prints the same over all files)."""
from __future__ import annotations

import pytest

from opendata.convert.batch import CONVERTED, convert_batch
from opendata.validate import validate_package
from tests.corpus_compare import CORPUS
from tests.findings_truth import CATEGORIES, COLUMNS, FINDINGS, KINDS, amounts_of, match, read_findings

# small documents whose listed table errors the validator must find, with no unmatched error;
# 059's two cross-table errors are one figure printed 0.01 apart in two tables (1,535.86 / 1,535.85):
# exact comparisons (issue #14) find them
CHECKED = ("001", "057", "064", "059")
MISSES: dict[str, str] = {}


def findings_files():
    return sorted(p for p in FINDINGS.glob("[0-9]*.md"))


def test_there_are_findings_files():
    assert len(findings_files()) >= 10


@pytest.mark.parametrize("path", findings_files(), ids=lambda p: p.stem)
def test_every_findings_file_follows_the_format(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {path.stem} findings"), "the title names the file"
    assert "Read by:" in text, "the header says who read the document"
    lines = read_findings(path)  # raises on bad columns, kinds, categories, pages or repeated ids
    for line in lines:
        assert set(COLUMNS) <= set(line) and line["kind"] in KINDS and line["category"] in CATEGORIES
        assert line["pages"] and all(p > 0 for p in line["pages"]), line["id"]
        assert line["where"] and line["printed"] and line["why wrong"], line["id"]
    if "No error" not in text and "no inconsistenc" not in text.lower():
        assert lines, "a file without lines says there are none"


def test_amounts_are_normalised_and_codes_left_out():
    assert amounts_of("收入表 1,535.86; 支出表 1535.850 (2010801), gap 0.01") == {amounts_of("1535.86").pop(),
                                                                                amounts_of("1535.85").pop()}


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    sources = [CORPUS / f"{n}.pdf" for n in CHECKED]
    report = convert_batch(sources, tmp_path_factory.mktemp("findings"), jobs=1,
                           folder_of=lambda source, result: source.stem)
    out = {}
    for number, item in zip(CHECKED, report.items):
        assert item.status == CONVERTED, item.error
        out[number] = (validate_package(item.package).findings, read_findings(FINDINGS / f"{number}.md"))
    return out


@pytest.mark.parametrize("number", [pytest.param(n, marks=pytest.mark.xfail(reason=MISSES[n], strict=True))
                                    if n in MISSES else n for n in CHECKED])
def test_every_listed_table_error_is_found(validated, number):
    findings, truth = validated[number]
    found = match([f for f in findings if f.severity in ("error", "warning")], truth)["found"]
    wanted = [t["id"] for t in truth if t["kind"] in ("table", "cross-table") and t["category"] == "error"]
    assert [i for i in wanted if i not in found] == []


@pytest.mark.parametrize("number", CHECKED)
def test_no_error_finding_is_unmatched(validated, number):
    findings, truth = validated[number]
    unmatched = [f"p.{(f.location or {}).get('page')} {f.rule}: {f.message}"
                 for f, ids in match(findings, truth)["findings"] if f.severity == "error" and not ids]
    assert unmatched == []
