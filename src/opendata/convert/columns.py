"""From a table's header rows to the meaning of each column (measure, dimension, side)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from ..money import is_amount
from ..standard import TableSpec, load_standard, split_list
from .layout import CellRow
from .recognise import row_type_for, squash, header_key, is_column_number, is_header_word, is_row_content, match_dimension, match_measure, measure_patterns, segment_matches

CODE_FIELDS = load_standard().code_fields  # function, government economic, department economic codes (fields.csv)
CODE_PARTS = {"类": 0, "款": 1, "项": 2}


@dataclass
class Column:
    """What one column of a table holds, worked out from its header: `index` (0-based cell
    position), `path` (its header cells, top to bottom), `kind` (measure, dimension, code_part,
    ignore or unknown), `name` (measure id of codelists/measures.csv or field of fields.csv),
    `side` (income / expenditure, two-sided tables only) and `part` (0/1/2 for 类/款/项)."""
    index: int
    path: list[str]
    kind: str = "unknown"      # measure | dimension | code_part | ignore | unknown
    name: str | None = None    # measure id or field name
    side: str | None = None    # income / expenditure in two-sided tables
    part: int | None = None    # 0/1/2 for 类/款/项 code parts


def is_header_row(row: CellRow) -> bool:
    """True when the row has filled cells and every one could be a header word
    (`recognise.is_header_word`), or when none is row content (an amount, a code, a numbered
    label: `recognise.is_row_content`) and at least half are header words or 其中 sub-headings
    (a header printing words the vocabulary does not know beside words it knows)."""
    filled = row.filled
    if not filled:
        return False
    known = sum(1 for cell in filled if is_header_word(cell) or squash(cell).startswith("其中"))
    if known == len(filled):
        return all(is_header_word(cell) for cell in filled) or not any(is_row_content(cell) for cell in filled)
    return known * 2 >= len(filled) and not any(is_row_content(cell) for cell in filled)


def split_header(rows: list[CellRow]) -> tuple[list[CellRow], list[CellRow]]:
    """Leading header rows and the rest. A row holding nothing but 合计 / 总计 under a
    header is the (empty) total row of the table, not another header row."""
    count = 0
    while count < len(rows) and is_header_row(rows[count]):
        if count and len(rows[count].filled) == 1 and row_type_for(rows[count].filled[0]) != "item":
            break
        count += 1
    return rows[:count], rows[count:]


def width_of(rows: list[CellRow]) -> int:
    """The number of cells of the widest row; 0 for no rows."""
    return max((len(r.cells) for r in rows), default=0)


def _is_group(row: list[str], index: int, width: int, lower_rows: list[list[str]]) -> bool:
    """Does the header cell at `index` head several columns (empty cells follow it in its
    row, and lower header rows have cells under them)?"""
    nxt = index + 1
    if nxt >= width or (nxt < len(row) and row[nxt].strip()):
        return False
    return any(nxt < len(lower) and lower[nxt].strip() for lower in lower_rows)


def spread_sides(header: list[list[str]], width: int) -> list[list[str]]:
    """A top row printing only 收入 and 支出 (merged cells exported without their empty
    cells) heads the columns from the first label and from where the label repeats."""
    rows = [list(row) for row in header]
    for r, row in enumerate(rows[:-1]):
        filled = [c for c in row if c.strip()]
        keys = [header_key(c) for c in filled]
        below = rows[r + 1]
        if keys == ["收入", "支出"] and len(row) < width and below and below[0].strip():
            repeat = next((j for j in range(1, len(below)) if header_key(below[j]) == header_key(below[0])), None)
            if repeat:
                rows[r] = [filled[0]] + [""] * (repeat - 1) + [filled[1]] + [""] * (width - repeat - 1)
    return rows


def _specificity(path: list[str]) -> int:
    """How many header levels the best measure alias for `path` uses (0: none)."""
    keys = [header_key(part) for part in path if header_key(part)]
    return max((len(pattern) for pattern, _ in measure_patterns()
                if len(pattern) <= len(keys) and all(segment_matches(p, k) for p, k in zip(pattern, keys[-len(pattern):]))),
               default=0)


def _kind(path: list[str]) -> str | None:
    if match_measure(path[-1:]) is not None:
        return "measure"
    return "dimension" if match_dimension(path[-1:]) else None


def _splits(n: int, parts: int):
    """Every way to cut n columns into `parts` contiguous non-empty runs."""
    for cuts in combinations(range(1, n), parts - 1):
        bounds = (0, *cuts, n)
        yield [(bounds[i], bounds[i + 1]) for i in range(parts)]


def spread_groups(header: list[list[str]], width: int) -> list[list[str]]:
    """One-cell-per-line exports drop the empty cells of merged headers, so an upper header
    row is shorter than the table. Its cells over columns with nothing printed below keep
    their place; the rest are group headings spread over the remaining columns, cut where
    the headings best explain the columns under them (基本支出 over 小计 / 人员经费 / 公用经费,
    项目支出 over 项目支出总数 …)."""
    rows = [list(row) for row in header]
    for r in range(len(rows) - 2, -1, -1):
        row = rows[r]
        if len(row) >= width:
            continue
        below = [b + [""] * (width - len(b)) for b in rows[r + 1:]]
        lead = 0
        while lead < len(row) and not any(b[lead].strip() for b in below):
            lead += 1
        groups = [cell for cell in row[lead:] if cell.strip()]
        columns = width - lead
        if not groups or len(groups) > columns:
            continue
        paths = header_paths(below, width)[lead:]

        def score(split) -> int:
            total = 0
            for group, (start, end) in zip(groups, split):
                for path in paths[start:end]:
                    if not path:
                        continue
                    total += _specificity([group, *path]) > _specificity(path)
                    total += _kind([group]) is not None and _kind([group]) == _kind(path)
            return total

        best = max(_splits(columns, len(groups)), key=score)
        spread = row[:lead] + [""] * columns
        for group, (start, _) in zip(groups, best):
            spread[lead + start] = group
        rows[r] = spread
    return rows


def realign(header: list[list[str]], width: int) -> list[list[str]]:
    """Lower header rows sometimes lose their leading empty cells (类 款 项 小计 财政拨款 …
    printed under 单位代码 …). Move such a run right, under the first group heading."""
    header = spread_groups(spread_sides(header, width), width)
    fixed = [row + [""] * (width - len(row)) for row in header]
    for r in range(1, len(fixed)):
        upper_rows, row = fixed[:r], fixed[r]
        for i, cell in enumerate(row):
            if not cell.strip():
                continue
            above = [u[i] for u in upper_rows if u[i].strip()]
            leaf_above = above and not any(_is_group(u, i, width, fixed[k + 1:]) for k, u in enumerate(upper_rows) if u[i].strip())
            if not leaf_above or i == 0:
                continue
            groups = [j for j in range(i + 1, width) for k, u in enumerate(upper_rows)
                      if u[j].strip() and _is_group(u, j, width, fixed[k + 1:])]
            if groups:
                shift = groups[0] - i
                run = row[i:]
                fixed[r] = row[:i] + [""] * shift + run
                fixed[r] = fixed[r][:width] + [""] * (width - len(fixed[r][:width]))
            break
    return fixed


def header_paths(header: list[list[str]], width: int) -> list[list[str]]:
    """Each column's header path, top to bottom. A header cell heads the columns to its
    right until the next cell printed in its row or in any row above it (merged cells)."""
    header = [row for row in header if not all(is_column_number(c) for c in row if c.strip())]
    rows = [row + [""] * (width - len(row)) for row in header]
    paths = [[] for _ in range(width)]
    for r, row in enumerate(rows):
        current = None
        for i in range(width):
            cell = row[i].strip()
            starts_above = any(rows[u][i].strip() for u in range(r))
            if cell:
                current = cell
                paths[i].append(cell)
            elif current and not starts_above and any(rows[l][i].strip() for l in range(r + 1, len(rows))):
                paths[i].append(current)
            elif starts_above:
                current = None
    return paths


def side_of(path: list[str]) -> str | None:
    """The side a header path heads: income for 收入 (or 本年收入 / 财政拨款收入 at the top),
    expenditure for 支出 (or 本年支出 / 财政拨款支出 at the top), else None."""
    for index, part in enumerate(path):
        key = header_key(part)
        if key == "收入" or (index == 0 and key in ("本年收入", "财政拨款收入")):
            return "income"
        if key == "支出" or (index == 0 and key in ("本年支出", "财政拨款支出")):
            return "expenditure"
    return None


@lru_cache(maxsize=None)
def _list_sides() -> list[tuple[str, str]]:
    """(alias header key, side code) of the further expenditure lists of codelists/sides.csv, longest alias first."""
    pairs = [(header_key(alias), row["code"]) for row in load_standard().codelists["sides"].rows
             if row["code"] not in ("income", "expenditure") for alias in split_list(row["aliases"], "|")]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def list_side(path: list[str]) -> str | None:
    """The side code (codelists/sides.csv: expenditure_economic …) of a further expenditure list whose label column
    is headed `path`: the code one of whose aliases starts one of its headers (the deepest first); None when none does."""
    for part in reversed(path):
        key = header_key(part)
        code = next((code for alias, code in _list_sides() if alias and key.startswith(alias)), None)
        if code:
            return code
    return None


def resolve_code_field(name: str, path: list[str], spec: TableSpec) -> str:
    """Which code field a code column holds: gov_economic_code or economic_code when the header
    says 经济 (政府 for the government one), else `name` when the table has that dimension, else
    the first classification code field the table has (fields.csv order), else `name`."""
    words = "".join(path)
    if "经济" in words:
        return "gov_economic_code" if "政府" in words else "economic_code"
    if name in spec.dimensions:
        return name
    for candidate in CODE_FIELDS:
        if candidate in spec.dimensions:
            return candidate
    return name


def classify(paths: list[list[str]], spec: TableSpec) -> list[Column]:
    """list[header path] -> list[Column], one per path, using the header aliases of
    codelists/measures.csv and fields.csv: 类/款/项 columns become code parts, column numbers
    (1, 2, 栏次 …) are ignored, a measure the table (`spec`, codelists/tables.csv) does not carry
    is `unknown`, a header naming both a dimension and a measure is a dimension when its last
    header is that dimension's alias."""
    allowed = set(spec.measures)
    columns = []
    for index, path in enumerate(paths):
        column = Column(index, path, side=side_of(path) if spec.two_sided else None)
        keys = [header_key(p) for p in path if header_key(p)]
        if not keys:
            columns.append(column)
            continue
        if keys[-1] in CODE_PARTS:
            # 类 / 款 / 项 columns: of the function code, or of the economic code where the
            # heading above says 经济 or the table carries only economic codes
            column.kind, column.part = "code_part", CODE_PARTS[keys[-1]]
            column.name = resolve_code_field("function_code", path, spec)
        elif all(k.strip("*").isdigit() or k.strip("*") == "" or k.startswith("(") for k in keys):
            column.kind = "ignore"
        else:
            dimension = match_dimension(path[-1:])
            measure = match_measure(path)
            if measure is None or measure not in allowed or measure == match_measure(path[-1:]):
                # 总计 / 一般公共预算 (the fund alone, not an alias of the whole path): the heading's measure by fund
                measure = own_fund_measure(path, spec) or measure
            if measure is not None and measure not in allowed:
                column.kind, column.name = "unknown", measure
                columns.append(column)
                continue
            if dimension and (measure is None or header_key(path[-1]) in _dimension_keys(dimension)):
                column.kind, column.name = "dimension", dimension
                if dimension in CODE_FIELDS:
                    column.name = resolve_code_field(dimension, path, spec)
                if dimension in ("side",):
                    column.kind = "ignore"
            elif measure:
                column.kind, column.name = "measure", measure
        columns.append(column)
    stand_in_for_parent(columns, spec)
    codes_named_beside(columns, spec)
    bare_code_by_key(columns, spec)
    one_code_per_field(columns)
    name_as_label(columns)
    return columns


def own_fund_measure(path: list[str], spec: TableSpec) -> str | None:
    """A column split by source of funds under a heading naming a measure the table carries
    (因公出国(境)费 / 一般公共预算): the fund the table's own title names (一般公共预算 in the
    一般公共预算“三公”经费支出表) is the heading's measure itself, another fund F the measure
    `<heading>_<F>` (overseas_travel_government_fund) when the table carries it; None otherwise."""
    keys = [header_key(p) for p in path if header_key(p)]
    if len(keys) < 2:
        return None
    heading = match_measure(keys[:-1])
    if heading not in spec.measures:
        return None
    if keys[-1] in header_key(spec.title_zh):
        return heading
    fund = match_measure(keys[-1:])
    return f"{heading}_{fund}" if fund and f"{heading}_{fund}" in spec.measures else None


NAME_OF_CODE = {"economic_code": "economic_name", "gov_economic_code": "gov_economic_name"}


def codes_named_beside(columns: list[Column], spec: TableSpec) -> None:
    """类 / 款 columns under a bare 科目编码 followed by a column headed by the classification
    (科目编码 类 款 | 部门预算支出经济分类科目, twice side by side) or by its names (… |
    部门预算支出经济分类科目名称): the code parts are that classification's code and the column
    under its heading holds the codes' names. Changes `columns` in place."""
    code_of_name = {name: code for code, name in NAME_OF_CODE.items()}
    for k, column in enumerate(columns):
        if column.kind != "dimension":
            continue
        if column.name in code_of_name and code_of_name[column.name] in spec.dimensions:
            code_field, name_field = code_of_name[column.name], column.name
        elif column.name in NAME_OF_CODE and NAME_OF_CODE[column.name] in spec.dimensions:
            code_field, name_field = column.name, NAME_OF_CODE[column.name]
        else:
            continue
        run = []
        for before in reversed(columns[:k]):
            if before.kind != "code_part":
                break
            run.append(before)
        if run and not any("经济" in "".join(c.path) for c in run):
            for part in run:
                part.name = code_field
            column.name = name_field


BARE_CODE = ("科目编码", "科目代码")


def bare_code_by_key(columns: list[Column], spec: TableSpec) -> None:
    """A code column headed only 科目编码 (or 科目代码), which names no classification, in a table
    keyed by economic code (tables.csv keyed_by: 一般公共预算基本支出表 …) holds the department
    economic code, not the function code. Changes `columns` in place."""
    if not spec.keyed_by.startswith("department economic code") or "economic_code" not in spec.dimensions:
        return
    for column in columns:
        if column.kind == "dimension" and column.name == "function_code" and [header_key(p) for p in column.path] in (
                [word] for word in BARE_CODE):
            column.name = "economic_code"


def stand_in_for_parent(columns: list[Column], spec: TableSpec) -> None:
    """A column of the year's subtotal (its header says 本年支出 …: the `current` words of
    codelists/row_words.csv) naming a measure the table does not carry, whose parent in a
    measure tree (codelists/measure_tree.csv) the table carries while it carries none of the
    parent's other parts, is that parent when no other column reads it: 本年支出合计 in a
    table without carry-over columns is its total. Changes `columns` in place."""
    standard = load_standard()
    trees = [standard.measure_tree(tree) for tree in ("funding", "expenditure")]
    current = standard.row_words("current")
    read = {c.name for c in columns if c.kind == "measure"}
    for column in columns:
        if column.kind != "unknown" or not column.name or not any(w in "".join(column.path) for w in current):
            continue
        for tree in trees:
            parent = next((p for p, parts in tree.items() if column.name in parts and p in spec.measures
                           and not any(q in spec.measures for q in parts if q != column.name)), None)
            if parent and parent not in read and sum(1 for c in columns if c.kind == "unknown" and c.name in tree[parent]) == 1:
                column.kind, column.name = "measure", parent
                read.add(parent)
                break


def one_code_per_field(columns: list[Column]) -> None:
    """A second run of 类 / 款 / 项 columns under another heading (科目编码 类 款 项 … 部门预算支出 类 款 … 政府预算支出
    类 款) that resolves to a code field an earlier run already fills is not that code: its columns become `unknown`
    (their cells are reported, not read into the other code)."""
    seen: dict[str, tuple] = {}
    for column in columns:
        if column.kind != "code_part":
            continue
        heading = tuple(header_key(p) for p in column.path[:-1])
        if seen.setdefault(column.name, heading) != heading:
            column.kind, column.name = "unknown", None


def name_as_label(columns: list[Column]) -> None:
    """A table whose only names are those printed beside economic codes (部门预算支出经济分类科目名称
    …) has no other label column: the first such name column is the rows' label (item)."""
    if any(c.kind == "dimension" and c.name == "item" for c in columns):
        return
    first = next((c for c in columns if c.kind == "dimension" and c.name in ("economic_name", "gov_economic_name")), None)
    if first is not None:
        first.name = "item"


def _dimension_keys(name: str) -> set[str]:
    return {header_key(a) for a in load_standard().fields[name].header_aliases}


def best_shift(columns: list[Column], data: list[CellRow]) -> int:
    """How many cells the data rows stand to the right of their header (0, 1 or 2): a
    merged label cell printed once in the header shifts every data column after it."""
    def score(shift: int) -> int:
        total = 0
        for row in data[:40]:
            for column in columns:
                i = column.index + shift
                cell = row.cells[i].strip() if i < len(row.cells) else ""
                if not cell:
                    continue
                if column.kind == "measure":
                    total += 1 if is_amount(cell) else -1
                elif column.kind == "dimension" and column.name == "item":
                    total += -1 if is_amount(cell) else 1
        return total
    scores = {shift: score(shift) for shift in (0, 1, 2)}
    best = max(scores, key=lambda s: (scores[s], -s))
    return best if scores[best] > scores[0] else 0


def _stage_word(code: str) -> str:
    """The shortest word naming a stage (预算, 决算: codelists/stages.csv aliases)."""
    row = next(r for r in load_standard().codelists["stages"].rows if r["code"] == code)
    return min(row["aliases"].split("|"), key=len)


def budget_beside_actual(a: Column, b: Column, spec: TableSpec) -> tuple[Column, str] | None:
    """Two columns read as one measure, one under a 预算 heading and the other under a 决算
    one (预算数 | 决算数 groups of a final-accounts 三公 table): (the 预算 column, the measure
    it stands for: `<measure>_budget`, or budget_initial for total, when the table `spec`
    carries it); None otherwise (the 决算 column keeps the measure)."""
    budget, final = _stage_word("budget"), _stage_word("final_accounts")
    words = ["".join(c.path) for c in (a, b)]
    says = [(final in w, budget in w and final not in w) for w in words]
    if says[0] == says[1] or not (says[0][0] or says[1][0]) or not (says[0][1] or says[1][1]):
        return None
    planned = a if says[0][1] else b
    for name in (f"{a.name}_budget", "budget_initial" if a.name == "total" else ""):
        if name in spec.measures:
            return planned, name
    return None


def label_continuations(columns: list[Column], data: list[CellRow]) -> None:
    """A column without any header, right of the row-label column (item or project_name; a merged 项目名称 cell over two
    label columns: 一般公共预算资金 | 小计, then | 公共财政拨款(补助)资金 under it), whose cells print
    text and never an amount, is a further label column: it becomes `item` too (its text joins the
    row's label). Columns without a header and without any filled cell are skipped over. In place."""
    label = False
    for column in sorted(columns, key=lambda c: c.index):
        if column.kind == "dimension" and column.name in ("item", "project_name"):
            label = True
            continue
        if column.path or column.kind != "unknown":
            label = False
            continue
        cells = [row.cells[column.index].strip() for row in data if column.index < len(row.cells) and row.cells[column.index].strip()]
        if not cells:
            continue
        if label and not any(is_amount(cell) for cell in cells):
            column.kind, column.name = "dimension", "item"
        else:
            label = False


def header_overflow(header: list[list[str]], data: list[CellRow]) -> list[CellRow]:
    """A header word cut at its cell's lower border, its last characters printed in the first data
    row (采购组织形 | 式): where the header cell alone names no column and with the short text under it
    (at most two characters, no amount) names a dimension or measure, the text is moved up into the
    header (`header`, rows of cells, is changed in place). Returns the data rows, the first one
    without the moved texts."""
    if not header or not data:
        return data
    first = list(data[0].cells)
    moved = False
    for index, cell in enumerate(first):
        tail = cell.strip()
        if not tail or len(tail) > 2 or is_amount(tail):
            continue
        row = next((r for r in reversed(header) if index < len(r) and r[index].strip()), None)
        if row is None:
            continue
        head = row[index].strip()
        if match_dimension([head]) or match_measure([head]) or not (match_dimension([head + tail]) or match_measure([head + tail])):
            continue
        row[index] = head + tail
        first[index] = ""
        moved = True
    if not moved:
        return data
    return [CellRow(first, data[0].line, data[0].last_line, data[0].page, data[0].extra_lines)] + data[1:]
