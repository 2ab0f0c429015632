"""The hand-read truth of tests/corpus/findings/NNN.md (issue #14) and how a validator finding
is matched to it: used by tests/test_findings_truth.py and benchmarks/bench_findings.py.

A findings file has one Markdown table whose rows are
`| id | kind | category | page | where | printed | why wrong |`: kind table, cross-table,
narrative or text; category error, rounding or warning; page one PDF page number or several
("9, 11"). A validator finding matches a truth line when its page (if it has one) is among the
line's pages and it names an amount the line prints (1,535.86 and 1535.86 alike; amounts in
元 are also read in 万元 and 千元)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

FINDINGS = Path(__file__).resolve().parent / "corpus" / "findings"
COLUMNS = ("id", "kind", "category", "page", "where", "printed", "why wrong")
KINDS = ("table", "cross-table", "narrative", "text")
CATEGORIES = ("error", "rounding", "warning")
_NUMBER = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])-?\d+(?:\.\d+)?")


class FindingsFormatError(ValueError):
    """A findings file that does not follow the format."""


def read_findings(path: Path) -> list[dict]:
    """The truth lines of one findings file: dicts with the COLUMNS as keys, `pages` (set of
    ints) and `amounts` (set of Decimal). Raises FindingsFormatError on a malformed line."""
    lines = []
    header = None
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.startswith("|"):
            if header and lines:
                break  # the first table ends; later tables (e.g. VERIFY-like) are not truth
            continue
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if header is None:
            header = tuple(c.lower() for c in cells)
            if header != COLUMNS:
                raise FindingsFormatError(f"{path.name}:{number}: columns {header} are not {COLUMNS}")
            continue
        if set("".join(cells)) <= set("-: "):
            continue  # the separator line
        if len(cells) != len(COLUMNS):
            raise FindingsFormatError(f"{path.name}:{number}: {len(cells)} cells, {len(COLUMNS)} wanted")
        line = dict(zip(COLUMNS, cells))
        if not re.fullmatch(re.escape(path.stem) + r"-\d+", line["id"]):
            raise FindingsFormatError(f"{path.name}:{number}: id {line['id']!r} is not {path.stem}-N")
        if line["kind"] not in KINDS:
            raise FindingsFormatError(f"{path.name}:{number}: kind {line['kind']!r} not in {KINDS}")
        if line["category"] not in CATEGORIES:
            raise FindingsFormatError(f"{path.name}:{number}: category {line['category']!r} not in {CATEGORIES}")
        try:
            line["pages"] = pages_of(line["page"])
        except ValueError:
            raise FindingsFormatError(f"{path.name}:{number}: page {line['page']!r} is not page numbers") from None
        line["amounts"] = amounts_of(line["printed"] + " " + line["why wrong"])
        lines.append(line)
    ids = [line["id"] for line in lines]
    if len(ids) != len(set(ids)):
        raise FindingsFormatError(f"{path.name}: ids repeated: {sorted({i for i in ids if ids.count(i) > 1})}")
    return lines


def pages_of(text: str) -> set[int]:
    """The pages of a truth line's page cell: "9, 11" → {9, 11}, "3-7" → {3, …, 7}."""
    pages: set[int] = set()
    for part in re.split(r"[,，\s]+", text):
        if not part:
            continue
        ends = re.split(r"[–-]", part)
        if len(ends) == 2:
            pages.update(range(int(ends[0]), int(ends[1]) + 1))
        elif len(ends) == 1:
            pages.add(int(part))
        else:
            raise ValueError(part)
    return pages


def amounts_of(text: str | None) -> set[Decimal]:
    """The amounts written in `text` (thousands separators dropped, normalised), leaving out
    those that cannot tell lines apart: zero, gaps under 0.1 and codes of five digits or more
    without decimals (class codes such as 2080101)."""
    found = set()
    for token in _NUMBER.findall(text or ""):
        try:
            value = Decimal(token.replace(",", ""))
        except InvalidOperation:
            continue
        if abs(value) < Decimal("0.1") or ("." not in token and "," not in token and len(token.lstrip("-")) >= 5):
            continue
        found.add(abs(value).normalize())
    return found


def amounts_in(finding, keys=("message", "expected", "found", "difference")) -> set[Decimal]:
    """The amounts a validator finding names in `keys` (message, expected, found, difference),
    each also read in 万元 and 千元 (the fields are in 元). Bare integers of the message (row
    numbers, counts, codes) count only when a unit or % follows them."""
    plain = set()
    for key in keys:
        text = str(getattr(finding, key, None) or "")
        if key == "message":
            text = re.sub(r"(?<![\d.,])\d+(?!\d|[.,]\d|\s*(?:万元|千元|元|%|％))", " ", text)
            plain |= amounts_of(text)
            continue
        try:
            value = abs(Decimal(text.replace(",", "").rstrip("%")))
        except InvalidOperation:
            plain |= amounts_of(text)
            continue
        if value >= Decimal("0.1"):
            plain.add(value.normalize())
    scaled = set()
    for value in plain:
        for divisor in (10000, 1000):
            scaled.add((value / divisor).normalize())
    return plain | scaled


def page_of(finding):
    """The PDF page a validator finding points at, or None."""
    page = (finding.location or {}).get("page")
    try:
        return int(page) if page is not None else None
    except (TypeError, ValueError):
        return None


def names_in(finding) -> set[str]:
    """The names a finding quotes in 「」 (a table's title), without a trailing 表
    (国有资本经营预算支出表 is named in …支出明细表 too)."""
    return {name.rstrip("表") for name in re.findall(r"「([^」]{4,})」", finding.message or "")}


def plain_title(text: str) -> str:
    """A table title without the words titles vary in (预算, 财政拨款): 财政拨款政府性基金支出预算表
    and 政府性基金预算支出表 alike."""
    return re.sub("预算|财政拨款", "", text)


def _squeeze(text: str) -> str:
    """`text` without white space (pdftotext spaces printed words apart: "教育支出 (类)")."""
    return re.sub(r"\s+", "", text)


def matches(finding, line: dict) -> bool:
    """Whether a validator finding is about the truth line: an amount in common and the page
    within one of the line's pages (the page of a narrative section is where it starts),
    or two amounts in common on any page (a cross-table finding points at one of its
    tables); a finding comparing two amounts (expected, found) only a line that names both;
    a finding without amounts (as `amounts_in` reads them) matches a text line whose place or
    printed text holds what it quotes in 「」, white space aside, on a page near the line's."""
    page = page_of(finding)
    amounts = amounts_in(finding)
    ends = [amounts_in(finding, (key,)) for key in ("expected", "found")]
    if any(ends) and not all(end & line["amounts"] for end in ends if end):
        return False  # a comparison matches a line that prints both its sides
    near = page is None or any(abs(page - p) <= 1 for p in line["pages"])
    common = amounts & line["amounts"]
    if common:
        return near or len(common) >= 2
    if not amounts and near and line["kind"] in ("text", "narrative"):
        where = _squeeze(plain_title(line["where"] + " " + line["printed"] + " " + line["why wrong"]))
        return any(_squeeze(plain_title(name)) in where for name in names_in(finding))
    return False


def match(findings, truth: list[dict]) -> dict:
    """Each finding with the ids of the truth lines it matches (`matches`; {"findings":
    [(finding, ids)], "found": set of truth ids matched by any finding})."""
    paired = []
    found = set()
    for finding in findings:
        ids = [line["id"] for line in truth if matches(finding, line)]
        paired.append((finding, ids))
        found.update(ids)
    return {"findings": paired, "found": found}
