"""``report.html``: the charts and the main tables of a build on one page, with links to the views.

The page is static (no script at all; its Content-Security-Policy allows none) and every piece of text
from the graph goes through ``html.escape``. Charts are embedded as ``data:`` images so the page opens
the same from the build folder, an e-mail or a notebook, and linked as files beside it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

__all__ = ["report_html", "html_table"]

_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto;
       max-width: 1100px; padding: 12px 22px 40px; }
h1 { font-size: 24px; } h2 { font-size: 19px; margin-top: 34px; border-bottom: 1px solid #ddd; }
nav a { margin-right: 18px; } .muted { color: #666; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 13px; color: #666; }
"""


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f'<td class="num">{value:.3f}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value}</td>'
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return f"<td>{escape('' if value is None else str(value))}</td>"


def html_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str]], *, empty: str) -> str:
    """An escaped HTML table of ``rows`` with ``(key, heading)`` columns, or a note when there are none.

    >>> html_table([{"a": "<b>", "n": 2}], [("a", "A"), ("n", "N")], empty="none")
    '<table><tr><th>A</th><th>N</th></tr><tr><td>&lt;b&gt;</td><td class="num">2</td></tr></table>'
    """
    if not rows:
        return f'<p class="muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for _, h in columns)
    body = "".join("<tr>" + "".join(_cell(r.get(k)) for k, _ in columns) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _figure(png: bytes, href: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><a href="{escape(href)}"><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
            f"</a><figcaption>{escape(caption)}</figcaption></figure>")


def report_html(
    *,
    title: str,
    counts: Mapping[str, int],
    views: Mapping[str, str],
    charts: Sequence[tuple[bytes, str, str]],
    sections: Sequence[tuple[str, str, str]],
) -> str:
    """The report page.

    ``counts``: label -> number for the summary line; ``views``: link text -> relative href;
    ``charts``: (PNG bytes, relative href of the file, caption); ``sections``: (heading, note, HTML of a
    table made by :func:`html_table`).
    """
    summary = ", ".join(f"{n:,} {escape(label)}" for label, n in counts.items())
    nav = "".join(f'<a href="{escape(href)}">{escape(text)}</a>' for text, href in views.items())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">{summary}</p>',
        f"<nav>{nav}</nav>",
        "<h2>Charts</h2>",
        *(_figure(png, href, caption) for png, href, caption in charts),
    ]
    for heading, note, table in sections:
        parts.append(f"<h2>{escape(heading)}</h2>")
        if note:
            parts.append(f'<p class="muted">{escape(note)}</p>')
        parts.append(table)
    parts.append("</body></html>\n")
    return "\n".join(parts)
