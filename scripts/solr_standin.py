#!/usr/bin/env python3
"""A small STAND-IN for Apache Solr, written for this project's CKAN test server.

This is NOT Apache Solr and not a search engine.  Solr cannot be installed on the
machines this project runs on (it is in none of the package registries they reach),
and CKAN 2.11 cannot create a dataset without a search server: indexing is a built-in
step of every dataset write.  So ``scripts/ckan-dev-server`` starts this program in
Solr's place.  It is ours, Python standard library only, and deliberately small.

What it answers, for one or more cores at ``/solr/<core>/...``:

* ``select``        q, fq (repeatable), rows, start, sort, fl, facet, facet.field,
                    facet.limit, facet.mincount, wt=json (the only output format),
                    defType=dismax/edismax with qf and mm, q.op, df.
* ``update``        JSON (a list of documents, or ``{"add": ..., "delete": ...,
                    "commit": {}}`` commands) and XML (``<add>``, ``<delete>`` by
                    ``<id>`` or ``<query>``, ``<commit/>``); ``?commit=true`` too.
* ``schema``        ``?wt=schema.xml`` gives ``<schema name="ckan-2.11" ...>`` (this is
                    what CKAN reads to check the schema version); JSON otherwise;
                    ``schema/version`` and ``schema/name``; also
                    ``admin/file?file=schema.xml``, CKAN's fallback.
* ``admin/ping``    ``{"status": "OK"}``.

The query language is the subset of Lucene syntax that CKAN sends: ``*:*``,
``field:value``, quoted values, ``field:(a OR b)``, ``+``/``-``/``!``/``NOT``,
``AND``/``OR``/``&&``/``||``, parentheses, ``*`` and ``?`` wildcards, ranges
``[a TO b]`` / ``{a TO b}`` with ``*`` and ``NOW-1DAY/DAY`` date maths, and ``^boost``
/ ``~n`` suffixes (ignored).  Field types follow CKAN's schema.xml: string fields match
exactly; text fields match word by word, case-insensitively, with a crude English
plural stripping, and Chinese text matches by substring (more lenient than Solr).

Differences from Solr that matter: documents live in memory (optionally saved to a
JSON file after every update, ``--data-dir``); every update is visible at once, so a
commit is accepted and does nothing; there is no relevance ranking (``score`` is 1.0
for every hit, so ``score desc, metadata_modified desc`` sorts by the second key).
Tests may rely on datasets being *findable*, never on how they rank.

Usage:  solr_standin.py [--host 127.0.0.1] [--port 8984] [--schema-name ckan-2.11]
                        [--data-dir DIR] [--pid-file PATH]
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import fnmatch
import json
import os
import re
import sys
import threading
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# ---------------------------------------------------------------- CKAN's schema.xml
STRING_FIELDS = {
    "index_id", "id", "site_id", "entity_type", "dataset_type", "state", "name",
    "revision_id", "version", "url", "ckan_url", "download_url", "license",
    "license_id", "tags", "groups", "organization", "capacity", "permission_labels",
    "res_format", "res_url", "res_type", "title_string", "_version_",
}
TEXT_FIELDS = {  # stemmed "text" type
    "title", "notes", "text", "urls", "depends_on", "dependency_of", "derives_from",
    "has_derivation", "links_to", "linked_from", "child_of", "parent_of",
}
TEXT_GENERAL_FIELDS = {"author", "author_email", "maintainer", "maintainer_email",
                       "res_name", "res_description"}
INT_FIELDS = {"views_total", "views_recent", "resources_accessed_total",
              "resources_accessed_recent"}
DATE_FIELDS = {"metadata_created", "metadata_modified", "indexed_ts"}
NOT_STORED = {"text", "urls", "permission_labels", "title_string", "views_total",
              "views_recent", "resources_accessed_total", "resources_accessed_recent",
              "depends_on", "dependency_of", "derives_from", "has_derivation",
              "links_to", "linked_from", "child_of", "parent_of"}
STORED_PLAIN = (STRING_FIELDS | TEXT_FIELDS | TEXT_GENERAL_FIELDS | DATE_FIELDS
                | {"title_ngram", "name_ngram", "data_dict", "validated_data_dict"})
# copyField sources of the catch-all "text" and "urls" fields
TEXT_SOURCES = ("urls", "name", "title", "text", "license", "notes", "tags", "groups",
                "organization", "res_name", "res_description", "maintainer", "author")
URL_SOURCES = ("url", "ckan_url", "download_url", "res_url")


def field_type(name: str) -> str:
    if name in STRING_FIELDS or name.startswith("vocab_"):
        return "string"
    if name in TEXT_FIELDS or name.startswith(("extras_", "res_extras_")):
        return "text"
    if name in TEXT_GENERAL_FIELDS:
        return "text_general"
    if name in INT_FIELDS:
        return "int"
    if name in DATE_FIELDS or name.endswith("_date"):
        return "date"
    if name.endswith("_ngram"):
        return "ngram"
    return "string"  # <dynamicField name="*" type="string">


def is_stored(name: str) -> bool:
    if name in NOT_STORED:
        return False
    return (name in STORED_PLAIN or name.endswith("_date")
            or name.startswith(("extras_", "res_extras_", "vocab_")))


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def as_str(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def field_values(doc: dict, field: str) -> list:
    if field == "text":
        out = []
        for src in TEXT_SOURCES:
            out += as_list(doc.get(src)) if src != "urls" else field_values(doc, "urls")
        for key, val in doc.items():
            if key.startswith(("extras_", "res_extras_", "vocab_")):
                out += as_list(val)
        return out
    if field == "urls":
        return sum((as_list(doc.get(src)) for src in URL_SOURCES), as_list(doc.get("urls")))
    if field.endswith("_ngram") and field not in doc:
        return as_list(doc.get(field[: -len("_ngram")]))
    return as_list(doc.get(field))


# ---------------------------------------------------------------- text analysis
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s)
                   if not unicodedata.combining(c)).lower()


def stem(tok: str) -> str:
    if tok.endswith("'s"):
        tok = tok[:-2]
    if len(tok) > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if len(tok) > 4 and tok.endswith("es") and tok[-3] in "sxz":
        return tok[:-2]
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
        return tok[:-1]
    return tok


def word_parts(word: str, case_split: bool) -> list:
    parts = re.findall(r"[^\W_]+", word)
    out = []
    for part in parts:
        pattern = (r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+"
                   if case_split else r"\d+|[^\W\d_]+")
        out += re.findall(pattern, part) or [part]
    return out


def analyze(text: str, kind: str, index: bool) -> list:
    """Tokens as a list of positions, each a set of alternative forms."""
    positions = []
    for word in str(text).split():
        parts = [fold(p) for p in word_parts(word, kind == "text")]
        for p in parts:
            positions.append({stem(p) if kind == "text" else p})
        if index and len(parts) > 1 and positions:  # catenateWords at index time
            positions[-1].add("".join(parts))
    return positions


def token_eq(query_tok: str, doc_forms: set) -> bool:
    if query_tok in doc_forms:
        return True
    if CJK.search(query_tok):  # no CJK tokenizer in CKAN's schema: be lenient
        return any(query_tok in f for f in doc_forms)
    return False


def text_match(value: str, query: str, kind: str, phrase: bool, wildcard: bool) -> bool:
    doc = analyze(value, kind, index=True)
    if wildcard:
        pat = fold(query)
        return any(fnmatch.fnmatchcase(f, pat) for forms in doc for f in forms)
    q = [next(iter(p)) for p in analyze(query, kind, index=False)]
    if not q:
        return False
    if not phrase and len(q) == 1:
        return any(token_eq(q[0], forms) for forms in doc)
    for start in range(len(doc) - len(q) + 1):  # phrase: consecutive positions
        if all(token_eq(q[i], doc[start + i]) for i in range(len(q))):
            return True
    return False


# ---------------------------------------------------------------- dates and numbers
DATE_MATH = re.compile(r"([+-]\d+|/)(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|MILLI)S?", re.I)


def parse_date(text: str):
    text = str(text).strip()
    base, rest = text, ""
    if text.upper().startswith("NOW"):
        base, rest = None, text[3:]
    else:
        m = re.match(r"^([0-9T:.\-]+Z?)(.*)$", text)
        if m:
            base, rest = m.group(1), m.group(2)
    try:
        if base is None:
            when = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        else:
            when = dt.datetime.fromisoformat(base.rstrip("Z"))
    except ValueError:
        return None
    for amount, unit in DATE_MATH.findall(rest):
        unit = unit.upper()
        if amount == "/":
            fields = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"]
            keep = fields.index(unit) if unit in fields else 5
            when = when.replace(microsecond=0)
            for i, name in enumerate(["month", "day", "hour", "minute", "second"], 1):
                if i > keep:
                    when = when.replace(**{name: 1 if name in ("month", "day") else 0})
        else:
            n = int(amount)
            if unit in ("YEAR", "MONTH"):
                months = when.month - 1 + n * (12 if unit == "YEAR" else 1)
                year, month = when.year + months // 12, months % 12 + 1
                when = when.replace(year=year, month=month,
                                    day=min(when.day, calendar.monthrange(year, month)[1]))
            else:
                secs = {"DAY": 86400, "HOUR": 3600, "MINUTE": 60, "SECOND": 1,
                        "MILLI": 0.001}[unit]
                when += dt.timedelta(seconds=n * secs)
    return when


def comparable(value, kind: str):
    if kind == "date":
        return parse_date(value)
    if kind == "int":
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    return as_str(value)


# ---------------------------------------------------------------- query parser
class QueryError(Exception):
    pass


TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<lparen>\() | (?P<rparen>\))
  | (?P<and>&&) | (?P<or>\|\|)
  | (?P<plus>\+) | (?P<minus>-) | (?P<bang>!)
  | (?P<quoted>"(?:[^"\\]|\\.)*")(?P<qsuffix>(?:[~^][0-9.]*)*)
  | (?P<range>[\[{](?:[^\]}"\\]|\\.|"(?:[^"\\]|\\.)*")*[\]}])
  | (?P<term>(?:[^\s()"\[\]{}:\\^~+\-!]|\\.)(?:[^\s()"\[\]{}:\\^~]|\\.)*)(?P<tsuffix>(?:[~^][0-9.]*)*)
  | (?P<colon>:)
""", re.X)


def unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def lex(q: str) -> list:
    toks, pos = [], 0
    while pos < len(q):
        m = TOKEN.match(q, pos)
        if not m:
            raise QueryError("Cannot parse query near: %r" % q[pos:pos + 30])
        pos = m.end()
        kind = m.lastgroup
        if kind in ("qsuffix", "tsuffix"):
            kind = "quoted" if m.group("quoted") is not None else "term"
        if kind == "ws":
            continue
        text = m.group(kind)
        if kind == "term" and text in ("AND", "OR", "NOT"):
            kind = text.lower()
        toks.append((kind, text))
    return toks


class Node:
    def match(self, doc) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class MatchAll(Node):
    def match(self, doc):
        return True


class Bool(Node):
    def __init__(self):
        self.clauses = []  # [occur, node], occur in MUST / SHOULD / NOT

    def match(self, doc):
        must = [n for o, n in self.clauses if o == "MUST"]
        should = [n for o, n in self.clauses if o == "SHOULD"]
        must_not = [n for o, n in self.clauses if o == "NOT"]
        if not all(n.match(doc) for n in must):
            return False
        if any(n.match(doc) for n in must_not):
            return False
        if should and not must:
            return any(n.match(doc) for n in should)
        return True


class MinShould(Node):
    """dismax: required/prohibited clauses plus a minimum of optional ones."""

    def __init__(self, must, must_not, should, minimum):
        self.must, self.must_not, self.should, self.minimum = must, must_not, should, minimum

    def match(self, doc):
        if not all(n.match(doc) for n in self.must):
            return False
        if any(n.match(doc) for n in self.must_not):
            return False
        return sum(1 for n in self.should if n.match(doc)) >= self.minimum


class Disjunction(Node):
    def __init__(self, nodes):
        self.nodes = nodes

    def match(self, doc):
        return any(n.match(doc) for n in self.nodes)


class FieldQuery(Node):
    def __init__(self, field, value, phrase=False):
        self.field, self.value, self.phrase = field, value, phrase
        self.kind = field_type(field)
        self.wildcard = not phrase and bool(re.search(r"(?<!\\)[*?]", value))
        self.text = value if phrase else unescape(value)

    def match(self, doc):
        values = field_values(doc, self.field)
        if self.wildcard and self.value == "*":
            return bool(values)
        for v in values:
            if self.kind in ("text", "text_general"):
                if text_match(as_str(v), self.text, self.kind, self.phrase,
                              self.wildcard):
                    return True
            elif self.kind == "ngram":
                if fold(self.text) in fold(as_str(v)):
                    return True
            elif self.wildcard:
                if fnmatch.fnmatchcase(as_str(v), self.value.replace("\\", "")):
                    return True
            elif self.kind in ("date", "int"):
                a, b = comparable(v, self.kind), comparable(self.text, self.kind)
                if a is not None and a == b:
                    return True
            elif as_str(v) == self.text:
                return True
        return False


class RangeQuery(Node):
    def __init__(self, field, spec):
        self.field, self.kind = field, field_type(field)
        m = re.match(r"^([\[{])\s*(.*?)\s+TO\s+(.*?)\s*([\]}])$", spec, re.S)
        if not m:
            raise QueryError("Bad range: %s" % spec)
        self.lo_incl, self.hi_incl = m.group(1) == "[", m.group(4) == "]"
        self.lo, self.hi = (self._bound(m.group(2)), self._bound(m.group(3)))

    def _bound(self, text):
        text = text.strip()
        if text == "*":
            return None
        if len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1]
        value = comparable(unescape(text), self.kind)
        if value is None:
            raise QueryError("Bad range bound: %s" % text)
        return value

    def match(self, doc):
        for v in field_values(doc, self.field):
            v = comparable(v, self.kind)
            if v is None:
                continue
            try:
                if self.lo is not None and (v < self.lo or (v == self.lo and not self.lo_incl)):
                    continue
                if self.hi is not None and (v > self.hi or (v == self.hi and not self.hi_incl)):
                    continue
            except TypeError:
                continue
            return True
        return False


class Parser:
    """Lucene's classic query parser, the part of it CKAN uses."""

    def __init__(self, q, default_field="text", default_op="OR", qf=None):
        self.toks, self.i = lex(q), 0
        self.default_field, self.and_default = default_field, default_op.upper() == "AND"
        self.qf = qf  # edismax: unfielded terms search these fields

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self):
        node = self.parse_bool(self.default_field)
        if self.i < len(self.toks):
            raise QueryError("Unexpected %r" % (self.peek()[1],))
        return node

    def parse_bool(self, field):
        b = Bool()
        while self.peek()[0] not in (None, "rparen"):
            conj = None
            if self.peek()[0] in ("and", "or"):
                conj = "AND" if self.take()[0] == "and" else "OR"
            mods = None
            if self.peek()[0] == "plus":
                self.take()
                mods = "REQ"
            elif self.peek()[0] in ("minus", "bang", "not"):
                self.take()
                mods = "NOT"
            if self.peek()[0] in (None, "rparen"):
                break
            node = self.parse_clause(field)
            # Lucene QueryParser.addClause
            if b.clauses and conj == "AND" and b.clauses[-1][0] != "NOT":
                b.clauses[-1][0] = "MUST"
            if b.clauses and self.and_default and conj == "OR" and b.clauses[-1][0] != "NOT":
                b.clauses[-1][0] = "SHOULD"
            if mods == "NOT":
                occur = "NOT"
            elif mods == "REQ" or (conj == "AND") or (self.and_default and conj != "OR"):
                occur = "MUST"
            else:
                occur = "SHOULD"
            b.clauses.append([occur, node])
        if b.clauses and all(o == "NOT" for o, _ in b.clauses):
            b.clauses.append(["MUST", MatchAll()])  # Solr's pure-negative rule
        return b

    def parse_clause(self, field):
        kind, text = self.peek()
        if kind == "term" and self.i + 1 < len(self.toks) and self.toks[self.i + 1][0] == "colon":
            self.i += 2
            field = unescape(text)
            kind, text = self.peek()
        if kind == "lparen":
            self.take()
            node = self.parse_bool(field)
            if self.take()[0] != "rparen":
                raise QueryError("Missing )")
            return node
        self.take()
        if kind == "quoted":
            value = re.sub(r"[~^][0-9.]*$", "", text)
            return self.leaf(field, unescape(value[1:-1]), phrase=True)
        if kind == "range":
            return RangeQuery(field, text)
        if kind in ("term", "and", "or", "not"):
            value = re.sub(r"(?<!\\)[~^][0-9.]*$", "", text)
            if field == "*" and value == "*":
                return MatchAll()
            return self.leaf(field, value, phrase=False)
        raise QueryError("Unexpected %r" % (text,))

    def leaf(self, field, value, phrase):
        if field is None:
            return Disjunction([FieldQuery(f, value, phrase) for f in self.qf])
        return FieldQuery(field, value, phrase)


def parse_dismax(q, qf, mm):
    """dismax: terms, "phrases", +required and -prohibited ones, over the qf fields."""
    must, must_not, should = [], [], []
    for m in re.finditer(r'([+-]?)("(?:[^"\\]|\\.)*"|\S+)', q):
        sign, word = m.groups()
        phrase = word.startswith('"') and word.endswith('"') and len(word) > 1
        value = word[1:-1] if phrase else word
        if not value or (not phrase and value in ("AND", "OR", "NOT", "&&", "||")):
            continue
        node = Disjunction([FieldQuery(f, value, phrase) for f in qf])
        {"+": must, "-": must_not}.get(sign, should).append(node)
    return MinShould(must, must_not, should, min_should(mm, len(should)))


def min_should(mm: str, n: int) -> int:
    """Solr's mm spec, e.g. '2<-1 5<80%' (CKAN's default)."""
    if n == 0:
        return 0
    mm = (mm or "100%").strip()

    def apply(spec):
        if spec.endswith("%"):
            pct = int(spec[:-1])
            r = int(n * abs(pct) / 100)
            return n - r if pct < 0 else r
        v = int(spec)
        return n + v if v < 0 else v

    if "<" not in mm:
        return max(0, min(n, apply(mm)))
    result = n
    for cond in mm.split():
        limit, spec = cond.split("<", 1)
        if n > int(limit):
            result = apply(spec)
    return max(1, min(n, result))


def build_query(params) -> Node:
    q = first(params, "q") or "*:*"
    if q.strip().startswith("{!"):
        raise QueryError("Local parameters are not supported by the Solr stand-in")
    deftype = first(params, "defType") or "lucene"
    q_op = first(params, "q.op") or "OR"
    df = first(params, "df") or "text"
    qf = [re.sub(r"\^.*$", "", f) for f in (first(params, "qf") or df).split()]
    if deftype == "dismax":
        main = parse_dismax(q, qf, first(params, "mm") or "100%")
    elif deftype == "edismax":
        main = Parser(q, None, q_op, qf=qf).parse()
    else:
        main = Parser(q.strip(), df, q_op).parse()
    b = Bool()
    b.clauses.append(["MUST", main])
    for fq in params.get("fq", []):
        if fq.strip():
            b.clauses.append(["MUST", Parser(fq.strip(), df, q_op).parse()])
    return b


def first(params, key, default=None):
    values = params.get(key)
    return values[0] if values else default


# ---------------------------------------------------------------- the index
class Core:
    def __init__(self, name, data_file=None):
        self.name, self.docs, self.lock = name, {}, threading.RLock()
        self.data_file, self.version = data_file, 0
        if data_file and os.path.exists(data_file):
            with open(data_file, encoding="utf-8") as f:
                self.docs = json.load(f)

    def save(self):
        if not self.data_file:
            return
        tmp = self.data_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.docs, f, ensure_ascii=False)
        os.replace(tmp, self.data_file)

    def add(self, doc):
        key = doc.get("index_id", doc.get("id"))
        if key is None:
            raise QueryError("Document is missing mandatory uniqueKey field: index_id")
        self.version += 1
        doc = {k: v for k, v in doc.items() if v is not None}
        doc.setdefault("indexed_ts", dt.datetime.now(dt.timezone.utc)
                       .strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        doc["_version_"] = self.version
        self.docs[str(key)] = doc

    def delete_id(self, key):
        self.docs.pop(str(key), None)

    def delete_query(self, q):
        node = Parser(q, "text", "OR").parse()
        for key in [k for k, d in self.docs.items() if node.match(d)]:
            del self.docs[key]

    def select(self, params):
        node = build_query(params)
        with self.lock:
            hits = [d for d in self.docs.values() if node.match(d)]
        hits = sort_docs(hits, first(params, "sort") or "score desc")
        start = int(first(params, "start") or 0)
        rows = int(first(params, "rows") or 10)
        fl = re.split(r"[\s,]+", (first(params, "fl") or "*").strip())
        page = [project(d, fl) for d in hits[start:start + max(rows, 0)]]
        out = {"responseHeader": {"status": 0, "QTime": 0,
                                  "params": {k: v[0] if len(v) == 1 else v
                                             for k, v in params.items()}},
               "response": {"numFound": len(hits), "start": start,
                            "numFoundExact": True, "docs": page}}
        if (first(params, "facet") or "false").lower() == "true":
            out["facet_counts"] = {"facet_queries": {}, "facet_ranges": {},
                                   "facet_intervals": {}, "facet_heatmaps": {},
                                   "facet_fields": facets(hits, params)}
        return out


def project(doc, fl):
    out = {}
    for pattern in fl:
        if pattern == "score":
            out["score"] = 1.0
            continue
        for key, value in doc.items():
            if (pattern == key or (("*" in pattern or "?" in pattern)
                                   and fnmatch.fnmatchcase(key, pattern))):
                if is_stored(key):
                    out[key] = value
    return out


def sort_docs(docs, spec):
    keys = []
    for part in [p.strip() for p in spec.split(",") if p.strip()]:
        bits = part.split()
        if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
            raise QueryError("Can't determine a Sort Order (asc or desc) in sort spec '%s'"
                             % part)
        keys.append((bits[0], bits[1].lower() == "desc"))
    for field, desc in reversed(keys):  # stable sorts, last key first
        if field == "score":
            continue
        kind = field_type(field)
        present = [d for d in docs if field_values(d, field)]
        missing = [d for d in docs if not field_values(d, field)]

        def key(d, field=field, kind=kind):
            v = comparable(field_values(d, field)[0], kind)
            return (0, v) if v is not None else (1, "")
        try:
            present.sort(key=key, reverse=desc)
        except TypeError:
            present.sort(key=lambda d: as_str(field_values(d, field)[0]), reverse=desc)
        docs = present + missing  # sortMissingLast
    return docs


def facets(hits, params):
    limit = int(first(params, "facet.limit") or 100)
    mincount = int(first(params, "facet.mincount") or 0)
    out = {}
    for field in params.get("facet.field", []):
        counts = {}
        for d in hits:
            for v in set(as_str(x) for x in field_values(d, field)):
                counts[v] = counts.get(v, 0) + 1
        items = sorted(((v, c) for v, c in counts.items() if c >= mincount),
                       key=lambda vc: (-vc[1], vc[0]))
        if limit >= 0:
            items = items[:limit]
        out[field] = [x for vc in items for x in vc]
    return out


# ---------------------------------------------------------------- HTTP
def schema_xml(name):
    fields = "\n".join('  <field name="%s" type="%s" />' % (f, field_type(f))
                       for f in sorted(STRING_FIELDS | TEXT_FIELDS | DATE_FIELDS))
    return ('<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<!-- Solr stand-in: a summary, not a real Solr schema -->\n'
            '<schema name="%s" version="1.6">\n%s\n<uniqueKey>index_id</uniqueKey>\n'
            '</schema>\n' % (name, fields))


class Handler(BaseHTTPRequestHandler):
    server_version = "SolrStandIn/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))

    def do_GET(self):
        self.dispatch(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.dispatch(self.rfile.read(length) if length else b"")

    def send(self, status, body, ctype="application/json; charset=utf-8"):
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body, ensure_ascii=False)
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, msg):
        self.send(status, {"responseHeader": {"status": status, "QTime": 0},
                           "error": {"msg": msg, "code": status}})

    def dispatch(self, body):
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").lower()
        parts = [p for p in url.path.split("/") if p]
        if parts[:2] == ["solr", "admin"]:  # e.g. admin/cores?action=STATUS
            return self.send(200, {"responseHeader": {"status": 0},
                                   "status": {c: {"name": c} for c in self.server.cores}})
        if parts[:1] != ["solr"] or len(parts) < 3:
            return self.error(404, "Not found (Solr stand-in): %s" % url.path)
        core = self.server.core(parts[1])
        action = "/".join(parts[2:])
        try:
            if action == "select":
                if body and "x-www-form-urlencoded" in ctype:
                    for k, v in urllib.parse.parse_qs(body.decode("utf-8"),
                                                      keep_blank_values=True).items():
                        params.setdefault(k, []).extend(v)
                return self.send(200, core.select(params))
            if action.startswith("update"):
                self.update(core, body, ctype, params)
                return self.send(200, {"responseHeader": {"status": 0, "QTime": 0}})
            if action == "admin/ping":
                return self.send(200, {"responseHeader": {"status": 0, "QTime": 0},
                                       "status": "OK"})
            if action in ("schema", "admin/file") or action.startswith("schema/"):
                return self.schema(action, params)
        except QueryError as e:
            return self.error(400, str(e))
        except (ValueError, KeyError, ET.ParseError) as e:
            return self.error(400, "Bad request (Solr stand-in): %s" % e)
        return self.error(404, "Unknown handler (Solr stand-in): %s" % action)

    def schema(self, action, params):
        name = self.server.schema_name
        if action == "admin/file" or first(params, "wt") == "schema.xml":
            return self.send(200, schema_xml(name), "application/xml; charset=utf-8")
        head = {"status": 0, "QTime": 0}
        if action == "schema/version":
            return self.send(200, {"responseHeader": head, "version": 1.6})
        if action == "schema/name":
            return self.send(200, {"responseHeader": head, "name": name})
        if action == "schema/uniquekey":
            return self.send(200, {"responseHeader": head, "uniqueKey": "index_id"})
        return self.send(200, {"responseHeader": head, "schema": {
            "name": name, "version": 1.6, "uniqueKey": "index_id",
            "fields": [{"name": f, "type": field_type(f)}
                       for f in sorted(STRING_FIELDS | TEXT_FIELDS | DATE_FIELDS)]}})

    def update(self, core, body, ctype, params):
        text = body.decode("utf-8").strip() if body else ""
        with core.lock:
            if text.startswith("<"):
                self.update_xml(core, ET.fromstring(text))
            elif text:
                data = json.loads(text, object_pairs_hook=lambda pairs: pairs)
                self.update_json(core, data)
            core.save()

    @staticmethod
    def update_xml(core, root):
        elements = [root] if root.tag != "update" else list(root)
        for el in elements:
            if el.tag == "add":
                for d in el.findall("doc"):
                    doc = {}
                    for f in d.findall("field"):
                        name, value = f.get("name"), f.text or ""
                        if name in doc:
                            doc[name] = as_list(doc[name]) + [value]
                        else:
                            doc[name] = value
                    core.add(doc)
            elif el.tag == "delete":
                for child in el:
                    if child.tag == "id":
                        core.delete_id((child.text or "").strip())
                    elif child.tag == "query":
                        core.delete_query((child.text or "").strip())
            # <commit/>, <optimize/>, <rollback/>: every change is already visible

    @staticmethod
    def update_json(core, data):
        def plain(v):  # undo object_pairs_hook
            if isinstance(v, list) and all(isinstance(x, tuple) and len(x) == 2 for x in v) and v:
                return {k: plain(x) for k, x in v}
            if isinstance(v, list):
                return [plain(x) for x in v]
            return v
        if isinstance(data, list) and data and all(isinstance(x, tuple) for x in data):
            commands = data  # {"add": ..., "delete": ..., "commit": {}}
        else:
            commands = [("add", {"doc": d}) for d in plain(data)] if isinstance(data, list) else []
        for cmd, arg in commands:
            arg = plain(arg)
            if cmd == "add":
                for item in as_list(arg):
                    core.add(item["doc"] if "doc" in item else item)
            elif cmd == "delete":
                for item in as_list(arg):
                    if isinstance(item, dict) and "query" in item:
                        core.delete_query(item["query"])
                    elif isinstance(item, dict) and "id" in item:
                        core.delete_id(item["id"])
                    else:
                        core.delete_id(item)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, schema_name, data_dir, verbose):
        super().__init__(addr, Handler)
        self.schema_name, self.data_dir, self.verbose = schema_name, data_dir, verbose
        self.cores, self._lock = {}, threading.Lock()

    def core(self, name):
        with self._lock:
            if name not in self.cores:
                path = (os.path.join(self.data_dir, "%s.json" % re.sub(r"\W", "_", name))
                        if self.data_dir else None)
                self.cores[name] = Core(name, path)
            return self.cores[name]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8984)
    ap.add_argument("--schema-name", default="ckan-2.11")
    ap.add_argument("--data-dir", help="keep each core's documents in DIR/<core>.json")
    ap.add_argument("--pid-file")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.data_dir:
        os.makedirs(args.data_dir, exist_ok=True)
    server = Server((args.host, args.port), args.schema_name, args.data_dir, args.verbose)
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())
    print("Solr stand-in on http://%s:%d/solr/<core> (schema %s)"
          % (args.host, args.port, args.schema_name), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
