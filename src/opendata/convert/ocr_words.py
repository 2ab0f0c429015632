"""OCR words and ruling lines -> a page the PDF table reading understands.

- Ruling lines are found in the page image: runs of dark pixels at least `RULE_INCHES` long, rows (columns)
  side by side joined into one rule, short breaks in a scanned line bridged. They are whitened before the
  words are read (a cell border read as "|" or "一" is noise), and become the page's line objects, so ruled
  tables are cut into cells by their borders as in a text PDF; a page without rules is read by word gaps.
- Tesseract's words of one printed line set closer than half a character are one word (it cuts 37,151.47
  into "37," "151." "47"); each word becomes characters spread evenly over its box, in PDF points, all
  with the line's top and bottom, so that pdfplumber groups them into words and lines as it would the
  characters of a text PDF.
"""
from __future__ import annotations

import functools
import re

from .ocr import DISAGREE_CONFIDENCE as DOUBT_CONFIDENCE, NUMBER_WORD, OcrPage, OcrWord

NUMBER_PART = re.compile(r"[-(]?[\d.,]+[)%]?")

JOIN_SHARE = 0.45       # words of a line closer than this share of the line height are one word
NUMBER_JOIN_SHARE = 1.0  # ... and parts of a number (37, 151. 47) closer than this share
SNAP_LENGTH = 4         # a cell this long or longer, one character off a word of the standard, is that word
SNAP_LENGTH_PER_CHARACTER = 5   # ... and one more character off for every this many characters (国有资本经营巴算氢款)
QUOTES = "”“\"'‘’`"   # read from the remains of a cell border at a word's start
STRAY = "，。、"        # ... and beside a number
NOISE = set("|_—-~`'\"‘’“”丨")   # a lone word of these, read with low confidence, is the remains of a rule
GARBLE_CONFIDENCE = 30  # a word of Latin letters, no Chinese character or digit, read below this is no word (=zG= for - 16 -)


def confusions() -> list[tuple[str, str]]:
    """(read, meant) pairs of codelists/ocr_confusions.csv, longest reading first."""
    from ..standard import load_standard

    rows = load_standard().codelists["ocr_confusions"].rows
    return sorted(((r["read"], r["meant"]) for r in rows), key=lambda p: -len(p[0]))


MANY_POINTS = re.compile(r"^(\d{1,3})((?:\.\d{3})+)(\.\d{1,2})$")   # 2.946.25: thousands points read for commas
ALL_POINTS = re.compile(r"^\d{1,3}(?:\.\d{3}){2,}$")                    # 21.802.560: every thousands comma read as a point
COMMA_POINT = re.compile(r"(?<=\d)(?:,\.|\.,)(?=\d{3}(?:\D|$))")        # 93,654,.340: a stray point beside a thousands comma
LONE_POINT_GROUP = re.compile(r"^\d{1,3}\.\d{3}$")                       # 801.000: a decimal point, or a thousands comma misread?


def corrected(text: str) -> str:
    """An OCR'd word with the stray marks beside a number dropped and thousands separators read as points put back
    as commas (2.946.25 -> 2,946.25, 21.802.560 -> 21,802,560, 93,654,.340 -> 93,654,340; the digits are not
    changed)."""
    if NUMBER_PART.fullmatch(text.strip(QUOTES + STRAY)):
        text = text.strip(QUOTES + STRAY)
    text = COMMA_POINT.sub(",", text)
    match = MANY_POINTS.match(text)
    if match:
        return match.group(1) + match.group(2).replace(".", ",") + match.group(3)
    if ALL_POINTS.match(text):
        return text.replace(".", ",")
    return text


def whole_amounts(texts: list[str]) -> bool:
    """True when the amounts of a page are printed whole, with thousands commas (195,774,300): at least three
    such and none with decimals, but for those of one point before three digits (801.000), which are then
    commas read as points."""
    numbers = [t for t in texts if NUMBER_PART.fullmatch(t) and any(c.isdigit() for c in t)]
    with_commas = [t for t in numbers if "," in t and "." not in t]
    decimals = [t for t in numbers if "." in t and not LONE_POINT_GROUP.match(t)]
    return len(with_commas) >= 3 and not decimals


def doubtful(read: str, text: str) -> bool:
    """True when the number `text` (as `corrected` made it of `read`) is not sure to be what was printed: its
    separators were repaired, or it prints one point before three digits and no comma (801.000: 801 with three
    decimals, or 801,000 with its comma read as a point)."""
    repaired = read.strip(QUOTES + STRAY) != text and NUMBER_PART.fullmatch(text) is not None
    return repaired or LONE_POINT_GROUP.match(text) is not None


NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）])?(.*)$")


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[int, frozenset[str]]:
    """The words of the standard a table cell prints (column headers of measures.csv and fields.csv, side headers
    of sides.csv, the names of the classifications), by length: what an OCR'd cell one character off is snapped to."""
    from ..standard import load_standard

    standard = load_standard()
    words: set[str] = set()
    for measure in standard.measures.values():
        words.update(part for alias in measure.aliases for part in alias.split("/"))
    for spec in standard.fields.values():
        words.update(part for alias in spec.header_aliases for part in alias.split("/"))
    for list_id, column in (("sides", "aliases"), ("function_classification", "name"),
                            ("economic_classification_department", "name"), ("economic_classification_government", "name")):
        codelist = standard.codelists.get(list_id)
        for row in codelist.rows if codelist else []:
            words.update(row.get(column, "").split("|"))
    by_length: dict[int, set[str]] = {}
    for word in words:
        if len(word) >= SNAP_LENGTH and "*" not in word and not any(c.isdigit() for c in word):
            by_length.setdefault(len(word), set()).add(word)
    return {n: frozenset(w) for n, w in by_length.items()}


def snapped(cell: str) -> str:
    """A table cell read by OCR, its numbering (一、, 1., （一）) aside: when it is no word of the standard's
    vocabulary but exactly one word of it differs from it in one character (社会保障和就业文出, 财政拨球收入), or, for a
    cell of 10 characters or more, one in two characters and none in one (国有资本经营巴算氢款), that word."""
    prefix, body = NUMBERING.match(cell).groups()
    if len(body) < SNAP_LENGTH:
        return cell
    words = vocabulary().get(len(body), frozenset())
    if body in words:
        return cell
    for most in range(1, 1 + len(body) // SNAP_LENGTH_PER_CHARACTER if len(body) >= 2 * SNAP_LENGTH_PER_CHARACTER else 2):
        near = [w for w in words if sum(a != b for a, b in zip(w, body)) == most]
        if near:
            return (prefix or "") + near[0] if len(near) == 1 else cell
    return cell


COLON_READINGS = ";；,，.。:：、"   # what OCR reads for the colon of 单位：万元


@functools.lru_cache(maxsize=1)
def unit_label() -> re.Pattern:
    """单位 and a money unit of codelists/money_units.csv with a colon misread between them (单位;万元, 单位，元)."""
    from ..standard import load_standard

    units = sorted((r["title_zh"] for r in load_standard().codelists["money_units"].rows), key=len, reverse=True)
    return re.compile(rf"单位\s*[{COLON_READINGS}]\s*({'|'.join(map(re.escape, units))})")


AMONG = re.compile(rf"(?:(?<=^)|(?<=\t))其中\s*[{COLON_READINGS}]\s*")   # 其中，基本支出: the colon of 其中： misread

TITLE_LINE = 40          # characters: a longer line, or one with sentence punctuation, is no title
SENTENCE = re.compile(r"[，。；;,]")


@functools.lru_cache(maxsize=1)
def title_aliases() -> tuple[str, ...]:
    """The titles of the table catalog (codelists/tables.csv title_zh and aliases) of SNAP_LENGTH + 2 characters
    or more, longest first."""
    from ..standard import load_standard

    rows = load_standard().codelists["tables"].rows
    titles = {t for r in rows for t in [r["title_zh"], *r.get("aliases", "").split("|")] if len(t) >= SNAP_LENGTH + 2}
    return tuple(sorted(titles, key=len, reverse=True))


OPENING, CLOSING = "（(〈<《【[{", "）)〉>》】]}"   # brackets and what OCR reads for them (〈功能科目), 【〈功能科目))
QUALIFIER = re.compile(rf"\s*[{re.escape(OPENING)}]+([^{re.escape(OPENING + CLOSING)}]+)[{re.escape(CLOSING)}]*\s*$")
LONG_TITLE = 2 * SNAP_LENGTH_PER_CHARACTER   # characters: a title this long may be read two characters off


@functools.lru_cache(maxsize=1)
def title_characters() -> frozenset[str]:
    """Every character the titles of the catalog (`title_aliases`) print."""
    return frozenset("".join(title_aliases()))


def near_title(text: str) -> str | None:
    """`text` ended with the title of the catalog its end is one character off (or, for a title of LONG_TITLE
    characters or more, two, none being one off, where each character read instead is one no title prints, so
    that 基本 read for 项目 does not make one table another's), when that title is longer than any title `text`
    ends with as read and it is the only one so near (one ending another is the same title); else None."""
    exact = max((len(t) for t in title_aliases() if text.endswith(t)), default=0)
    for most in (1, 2):
        near = set()
        for title in title_aliases():
            if len(title) <= exact or len(title) > len(text) or most == 2 and len(title) < LONG_TITLE:
                continue
            misread = [b for a, b in zip(title, text[-len(title):]) if a != b]
            if len(misread) == most and (most == 1 or not set(misread) & title_characters()):
                near.add(title)
        near = {t for t in near if not any(o != t and o.endswith(t) for o in near)}   # 收支总体情况表 in 部门收支总体情况表
        if near:
            if len(near) != 1:
                return None
            (title,) = near
            return text[:-len(title)] + title
    return None


def substituted_title(text: str) -> str | None:
    """`text` with the one character no title of the catalog prints (称 in 2026年度一般公共预算拨称支出预算表) put
    back as the character of the titles that makes it a title (`recognise.match_title`: 拨款), when `text` names no
    table as read, holds 表 and one such character (the year's 年度 and digits aside), and exactly one character does so; else None."""
    from .recognise import match_title

    if "表" not in text or match_title(text):
        return None
    unknown = [n for n, c in enumerate(text) if c not in title_characters() and not c.isdigit() and not c.isspace() and c not in "年度"]
    if len(unknown) != 1:
        return None
    at = unknown[0]
    found = {text[:at] + c + text[at + 1:] for c in title_characters() if match_title(text[:at] + c + text[at + 1:])}
    return found.pop() if len(found) == 1 else None


def snapped_title(line: str) -> str:
    """A short line read by OCR that ends near a title of the catalog (`near_title`: 2026年度财政拨黎收支预算总表)
    ended with that title; a line whose title is followed by a bracketed qualifier (财政拨短支出预算表 〈功能科目),
    its brackets misread) with the title snapped before it and the qualifier put in brackets （功能科目）. Else
    the line as read: a misread word must not make it another table's title."""
    text = line.rstrip()
    if len(text) > TITLE_LINE or SENTENCE.search(text):
        return line
    whole = near_title(text) or substituted_title(text)
    if whole:
        return whole
    qualifier = QUALIFIER.search(text)
    head = near_title(text[:qualifier.start()]) if qualifier and qualifier.start() >= SNAP_LENGTH else None
    return f"{head}（{qualifier.group(1).strip()}）" if head else line


def corrected_line(line: str) -> str:
    """A line of an OCR'd page (table cells tab-separated) with the colon of a unit label put back (单位;万元 ->
    单位：万元) and of 其中 at a cell's start (其中，基本支出 -> 其中：基本支出), the confusions of codelists/ocr_confusions.csv undone in every cell that is not a number, and each
    table cell one or two characters off a word of the standard snapped to it (`snapped`)."""
    line = unit_label().sub(lambda m: "单位：" + m.group(1), line)
    line = AMONG.sub("其中：", line)
    cells = line.split("\t")
    for n, cell in enumerate(cells):
        if len(cells) > 1 and NUMBER_PART.fullmatch(cell.strip(QUOTES + STRAY + " ")):
            cells[n] = cell.strip(QUOTES + STRAY + " ")
        elif len(cells) > 1:   # a table cell: quote marks at its start are the remains of its border
            cells[n] = cell.lstrip(QUOTES)
    for n, cell in enumerate(cells):
        if not NUMBER_PART.fullmatch(cell):
            cell = cells[n]
            for read, meant in confusions():
                cell = cell.replace(read, meant)
            cells[n] = snapped(cell) if len(cells) > 1 else snapped_title(cell)
    return "\t".join(cells)


def joined_words(words: list[OcrWord], rules: list[tuple] = ()) -> list[OcrWord]:
    """Tesseract's words with the words of one line set closer than JOIN_SHARE of the line height joined
    (the lowest confidence kept) unless a vertical rule runs between them; lone remains of a rule read with
    low confidence left out, and so are words with no Chinese character and no digit read with a confidence below
    GARBLE_CONFIDENCE (`garbled`); quote marks read from a rule's remains beside a number dropped."""
    words = [w for w in words if not (set(w.text) <= NOISE and w.confidence < 60) and not garbled(w)]
    words = [OcrWord(w.text.strip(QUOTES + STRAY), w.box, w.confidence, w.line) if NUMBER_PART.fullmatch(w.text.strip(QUOTES + STRAY))
             else w for w in words]
    verticals = [(at, a, b) for kind, at, a, b in rules if kind == "v"]

    def after_rule(word: OcrWord) -> bool:
        middle, height = (word.box[1] + word.box[3]) / 2, word.box[3] - word.box[1]
        return any(0 <= word.box[0] - at < height * 1.2 and a <= middle <= b for at, a, b in verticals)

    words = [OcrWord(w.text.lstrip(QUOTES) or w.text, w.box, w.confidence, w.line) if after_rule(w) else w for w in words]

    def ruled_between(left: OcrWord, right: OcrWord) -> bool:
        middle = (left.box[1] + left.box[3]) / 2
        return any(left.box[2] - 2 <= at <= right.box[0] + 2 and a <= middle <= b for at, a, b in verticals)

    words = [part for w in words for part in cut_at_rules(w, verticals)]
    lines: dict[tuple, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    out = []
    for line in lines.values():
        line.sort(key=lambda w: w.box[0])
        current = line[0]
        for word in line[1:]:
            height = max(current.box[3] - current.box[1], word.box[3] - word.box[1], 1)
            numeric = NUMBER_PART.fullmatch(current.text) and NUMBER_PART.fullmatch(word.text)
            if word.box[0] - current.box[2] < height * (NUMBER_JOIN_SHARE if numeric else JOIN_SHARE) and not ruled_between(current, word):
                current = OcrWord(text=current.text + word.text,
                                  box=(current.box[0], min(current.box[1], word.box[1]), word.box[2], max(current.box[3], word.box[3])),
                                  confidence=min(current.confidence, word.confidence), line=current.line)
            else:
                out.append(current)
                current = word
        out.append(current)
    return out


def garbled(word: OcrWord) -> bool:
    """True for a word read with a confidence below GARBLE_CONFIDENCE that holds Latin letters and no Chinese character
    or digit (=zG=, a page number's dashes and digits misread): no word of a disclosure."""
    return (word.confidence < GARBLE_CONFIDENCE and any(c.isascii() and c.isalpha() for c in word.text)
            and not any(c.isdigit() or "\u4e00" <= c <= "\u9fff" for c in word.text))


def cut_at_rules(word: OcrWord, verticals: list[tuple]) -> list[OcrWord]:
    """`word` cut where a vertical rule crosses its box (Tesseract reads across a whitened cell border): the
    characters are shared out by width, each part's box kept on its side of the rule."""
    middle = (word.box[1] + word.box[3]) / 2
    width = max(1, word.box[2] - word.box[0])
    cuts = sorted(at for at, a, b in verticals if word.box[0] < at < word.box[2] and a <= middle <= b)
    height = word.box[3] - word.box[1]
    if len(cuts) == 1 and min(cuts[0] - word.box[0], word.box[2] - cuts[0]) < max(width * 0.25, height * 0.6):
        # the box overruns the border by less than a character: clipped
        at = cuts[0]
        box = (word.box[0], word.box[1], int(at) - 3, word.box[3]) if at > word.box[0] + width / 2 else (int(at) + 3, *word.box[1:])
        return [OcrWord(word.text, box, word.confidence, word.line)]
    if not cuts:
        return [word]
    parts, x0, text = [], word.box[0], word.text
    done = 0
    for at in [*cuts, word.box[2]]:
        n = len(word.text) if at == word.box[2] else round((at - word.box[0]) / width * len(word.text))
        piece = text[done:n]
        if piece.strip():
            parts.append(OcrWord(piece, (int(x0), word.box[1], int(at), word.box[3]), word.confidence, word.line))
        done, x0 = max(done, n), at + 3
    return parts or [word]


def ocr_page_objects(page, read: OcrPage) -> tuple[object, list[dict]]:
    """A pdfplumber page (FilteredPage of `page`, same API) whose characters and lines are those read by OCR
    in `read`, and the page's amounts as read: [{"page", "text", "confidence"}]."""
    from pdfplumber.page import FilteredPage

    scale = 72 / read.dpi
    x_left, y_top = page.bbox[0], page.bbox[1]
    doctop = getattr(page, "initial_doctop", 0)
    height = page.height
    chars, amounts = [], []
    words = joined_words(read.words, read.rules)
    whole = whole_amounts([corrected(w.text) for w in words])
    for word in words:
        text = corrected(word.text)
        if whole and LONE_POINT_GROUP.match(text):
            text = text.replace(".", ",")
        confidence = min(word.confidence, DOUBT_CONFIDENCE) if doubtful(word.text, text) else word.confidence
        word = OcrWord(text, word.box, confidence, word.line)
        x0, top, x1, bottom = (v * scale for v in word.box)
        x0, x1, top, bottom = x0 + x_left, x1 + x_left, top + y_top, bottom + y_top
        size = max(1.0, bottom - top)
        step = (x1 - x0) / len(word.text)
        for n, character in enumerate(word.text):
            a = x0 + n * step
            chars.append({"object_type": "char", "page_number": read.number, "text": character, "fontname": "OCR",
                          "size": size, "adv": step, "upright": True, "x0": a, "x1": a + step, "top": top, "bottom": bottom,
                          "y0": height - bottom, "y1": height - top, "doctop": doctop + top, "width": step, "height": size,
                          "matrix": (1, 0, 0, 1, a, height - bottom), "ocr_confidence": word.confidence,
                          "non_stroking_color": (0,), "stroking_color": (0,)})
        if NUMBER_WORD.fullmatch(word.text) and any(c in word.text for c in ",.") or len(word.text) >= 4 and word.text.isdigit():
            amounts.append({"page": read.number, "text": word.text, "confidence": round(word.confidence, 1)})
    lines = []
    for kind, at, a, b in read.rules:
        at, a, b = at * scale, a * scale, b * scale
        if kind == "h":
            x0, x1, top, bottom = a + x_left, b + x_left, at + y_top, at + y_top
        else:
            x0, x1, top, bottom = at + x_left, at + x_left, a + y_top, b + y_top
        lines.append({"object_type": "line", "page_number": read.number, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                      "y0": height - bottom, "y1": height - top, "doctop": doctop + top, "width": x1 - x0,
                      "height": bottom - top, "linewidth": 1, "stroke": True, "fill": False,
                      "pts": [(x0, top), (x1, bottom)], "stroking_color": (0,), "non_stroking_color": (0,)})
    copy = FilteredPage(page, lambda obj: True)
    copy._objects = {"char": chars, "line": lines, "rect": [], "curve": [], "image": []}
    return copy, amounts
