"""One PDF page as the converter reads it: what real producers do to a page, undone before its words are read.

- Coordinates are snapped to a thousandth of a point. A page stored rotated (its content drawn through a
  rotated matrix, /Rotate set so that it displays upright) comes out of pdfminer upright but with float noise:
  a cell border at y 235.56 on one end and 235.56000000000006 on the other is no longer horizontal, the
  rectangle becomes a "curve" and its edges lose their orientation, so the table's rules are not found.
- Text drawn twice (or more) a fraction of a point apart to fake bold is read once (pdfplumber's
  `dedupe_chars`: characters with the same text, font and size whose positions are within `DEDUPE_TOLERANCE`
  of each other, chained, are one character; a genuinely repeated character, the second "1" of "11", is a
  character width away and stays).
- A page whose content is drawn sideways or upside down (a landscape table printed turned on a portrait page,
  no /Rotate) is turned so that most of its text reads left to right, as a reader turns the sheet.
- A page whose MediaBox is stored with its corners the other way round ([0 595 842 0]; the PDF standard allows
  any two opposite corners) is read with its box normalised: pdfminer would otherwise place every character a
  page height off the page, and the whole page would read as clipped.
- A rectangle filled white and not stroked (a background box laid under a title and its 部门/单位 lines) draws
  nothing on the white page: it is no cell border, so its edges are left out (else the title, 公开表N and
  部门：… lines become one merged cell of the table below them, and a spurious column opens at its left).
- A page whose text cannot be read (a font without a Unicode map: pdfminer gives "(cid:123)", or private-use
  code points) is a ConversionError, never a package of garbage.
"""
from __future__ import annotations

from pathlib import Path

from .errors import ConversionError

DEDUPE_TOLERANCE = 1        # PDF points; a repeated character is at least a character width (≥ 2.5 pt) away
SNAP_DECIMALS = 3           # coordinates rounded to 0.001 pt
UNREADABLE_SHARE = 0.10     # a page is unreadable when more than this share of its printed characters is
UNREADABLE_MIN = 5          # ... and at least this many characters cannot be mapped to Unicode

_COORDINATES = ("x0", "x1", "y0", "y1", "top", "bottom", "doctop", "width", "height")


def readable_page(page, path: Path, number: int):
    """The pdfplumber page `page` (page `number` of `path`) with its objects' coordinates snapped and its
    overprinted characters read once: a pdfplumber (Filtered)Page with the same API (chars, extract_words,
    find_tables, height). Raises ConversionError naming the file and page when the page's text cannot be read."""
    snapped = _snapped(_turned(page))
    if any(invisible_box(obj) for obj in snapped.rects):
        snapped = snapped.filter(lambda obj: not invisible_box(obj))
    deduped = snapped.dedupe_chars(tolerance=DEDUPE_TOLERANCE)
    check_unicode(deduped.chars, path, number)
    return deduped


def normalise_media_box(page) -> None:
    """Store the MediaBox of pdfplumber page `page` as (left, bottom, right, top) on its pdfminer page object, whatever
    opposite corners the file gives, so that text positions are read on the page. Call before the page's objects are
    first read (page.chars, page.images); changes the page object in place, returns nothing."""
    box = getattr(page.page_obj, "mediabox", None)
    if box and len(box) == 4:
        x0, y0, x1, y1 = box
        page.page_obj.mediabox = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


WHITE = {(1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}   # white in gray, RGB and CMYK


def invisible_box(obj: dict) -> bool:
    """True for a pdfplumber rect that draws nothing on a white page: filled white (gray 1, RGB 1 1 1 or CMYK
    0 0 0 0), not stroked, and wider and taller than a rule (a thin white bar may be a rule on a coloured fill)."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return False
    colour = obj.get("non_stroking_color")
    if isinstance(colour, (int, float)):
        colour = (colour,)
    try:
        colour = tuple(float(c) for c in colour)
    except (TypeError, ValueError):
        return False
    return colour in WHITE and obj["x1"] - obj["x0"] > 3 and obj["bottom"] - obj["top"] > 3


def _snapped(page):
    """A copy of `page` whose chars, lines, rects and curves have coordinates (and curve points) rounded to
    SNAP_DECIMALS; other objects as they are."""
    from pdfplumber.page import FilteredPage

    copy = FilteredPage(page, lambda obj: True)
    objects = {}
    for kind, items in page.objects.items():
        if kind in ("char", "line", "rect", "curve"):
            items = [_snap(obj) for obj in items]
        objects[kind] = items
    copy._objects = objects
    return copy


def _snap(obj: dict) -> dict:
    """One pdfplumber object (dict) with its coordinates rounded; a new dict, the original is not changed."""
    snapped = dict(obj)
    for key in _COORDINATES:
        if isinstance(snapped.get(key), float):
            snapped[key] = round(snapped[key], SNAP_DECIMALS)
    if "pts" in snapped:
        snapped["pts"] = [(round(x, SNAP_DECIMALS), round(y, SNAP_DECIMALS)) for x, y in snapped["pts"]]
    return snapped


def text_direction(char: dict) -> str:
    """Which way a character's text runs on the page as displayed: "right" (upright), "up", "down" or "left", from
    its text matrix (a, b, c, d, e, f), whose (a, b) is the direction of the baseline (PDF y up)."""
    a, b = char["matrix"][0], char["matrix"][1]
    if abs(a) >= abs(b):
        return "right" if a > 0 else "left"
    return "up" if b > 0 else "down"


def _turned(page):
    """`page` as it is when most of its printed characters run "right"; else a copy turned (clockwise for text
    running up, counter-clockwise for text running down, half a turn for text upside down) so that they do:
    every object's box and points moved into the turned page, whose width and height are swapped for a quarter turn."""
    printed = [c for c in page.chars if c["text"].strip()]
    directions = [text_direction(c) for c in printed]
    way = max(("up", "down", "left"), key=directions.count)
    if not printed or directions.count(way) * 2 <= len(printed):
        return page
    width, height = page.width, page.height
    x_left, y_top = page.bbox[0], page.bbox[1]

    def point(x: float, top: float) -> tuple[float, float]:
        x, top = x - x_left, top - y_top
        if way == "up":
            return height - top, x
        if way == "down":
            return top, width - x
        return width - x, height - top

    objects = {}
    for kind, items in page.objects.items():
        moved = []
        for obj in items:
            obj = dict(obj)
            if "x0" in obj and "top" in obj:
                corners = [point(obj["x0"], obj["top"]), point(obj["x1"], obj["bottom"])]
                offset = obj.get("doctop", obj["top"]) - obj["top"]
                obj["x0"], obj["x1"] = sorted(c[0] for c in corners)
                obj["top"], obj["bottom"] = sorted(c[1] for c in corners)
                obj["doctop"] = obj["top"] + offset
                obj["width"], obj["height"] = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
                if "pts" in obj:
                    obj["pts"] = [point(x, top) for x, top in obj["pts"]]
                if kind == "char":
                    obj["upright"] = text_direction(obj) == way
            moved.append(obj)
        objects[kind] = moved
    from pdfplumber.page import FilteredPage

    copy = FilteredPage(page, lambda obj: True)
    copy.bbox = (0, 0, height, width) if way in ("up", "down") else (0, 0, width, height)
    copy._objects = objects
    return copy


def unreadable(text: str) -> bool:
    """True for a character pdfminer could not map to Unicode: "(cid:123)", a private-use code point
    (U+E000–U+F8FF), the replacement character U+FFFD or a control character."""
    if text.startswith("(cid:"):
        return True
    return any(0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r") for c in text)


def check_unicode(chars: list[dict], path: Path, number: int) -> None:
    """ConversionError when more than UNREADABLE_SHARE of the page's printed characters (and at least
    UNREADABLE_MIN) cannot be mapped to Unicode; a stray symbol (a bullet in a symbol font) is left alone."""
    printed = [c for c in chars if c["text"].strip()]
    bad = sum(1 for c in printed if unreadable(c["text"]))
    if bad >= UNREADABLE_MIN and bad > len(printed) * UNREADABLE_SHARE:
        raise ConversionError(
            f"{path}: page {number}: the font has no Unicode map; the text cannot be read (OCR would be needed) "
            f"({bad} of {len(printed)} characters unreadable); 字体无Unicode映射，文字无法读取（需要文字识别）")
