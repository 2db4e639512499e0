"""Query results as text: SPARQL 1.1 Query Results JSON, the SPARQL CSV results format, an aligned table.

JSON and CSV follow the W3C recommendations (https://www.w3.org/TR/sparql11-results-json/,
https://www.w3.org/TR/sparql11-results-csv-tsv/), so their output can be read by any SPARQL tool: CSV
keeps only lexical forms and IRIs, JSON keeps datatypes and language tags. The table is for people: IRIs
of known namespaces are shortened to prefixed names, long values are cut, numbers are right-aligned.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyoxigraph as ox

from graphkit.errors import UsageError
from graphkit.rdf.namespaces import PREFIXES
from graphkit.store.base import XSD, Results, Term

__all__ = ["FORMATS", "to_json", "to_csv", "to_table", "render", "json_binding"]

FORMATS = ("table", "csv", "json")
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}
#: Longest namespaces first, so ``gkid:`` is not shadowed by a shorter prefix of the same IRI.
_PREFIXES = sorted(((p, ns) for p, ns in PREFIXES.items()), key=lambda kv: -len(kv[1]))


def json_binding(term: Term) -> dict[str, str]:
    """One RDF term as a binding of SPARQL JSON results."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def to_json(results: Results, indent: int | None = None) -> str:
    """SPARQL 1.1 Query Results JSON (a ``boolean`` for ASK)."""
    doc: dict[str, Any]
    if results.boolean is not None:
        doc = {"head": {}, "boolean": results.boolean}
    else:
        doc = {"head": {"vars": list(results.variables)},
               "results": {"bindings": [
                   {v: json_binding(t) for v, t in zip(results.variables, row, strict=True) if t is not None}
                   for row in results.rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def to_csv(results: Results) -> str:
    """The SPARQL CSV results format: a header of variable names, CRLF line ends, RFC 4180 quoting.

    An ASK result, which the CSV format does not cover, is one column ``boolean``.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if results.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if results.boolean else "false"])
        return buf.getvalue()
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def _short(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in _PREFIXES:
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    text = " ".join(term.value.split()) if any(c in term.value for c in "\n\r\t") else term.value
    return f"{text}@{term.language}" if term.language else text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def to_table(results: Results, max_width: int = 60) -> str:
    """An aligned text table with a header rule and a row count; cells longer than ``max_width`` are cut."""
    if results.boolean is not None:
        return ("true" if results.boolean else "false") + "\n"
    if not results.variables:
        return "(no columns)\n"
    cells = [[_cut(_short(t), max_width) for t in row] for row in results.rows]
    numeric = [all(t is None or (isinstance(t, ox.Literal) and t.datatype.value in _NUMERIC)
                   for t in (row[i] for row in results.rows)) and bool(results.rows)
               for i in range(len(results.variables))]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(results.variables)]

    def line(values: list[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(list(results.variables)), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    n = len(results.rows)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"


def render(results: Results, fmt: str = "table", **options: Any) -> str:
    """``results`` in one of ``FORMATS``."""
    if fmt == "json":
        return to_json(results, indent=options.get("indent"))
    if fmt == "csv":
        return to_csv(results)
    if fmt == "table":
        return to_table(results, max_width=options.get("max_width", 60))
    raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
