"""A synthetic corpus of press articles about Ofsted inspections of councils' children's services.

    python benchmarks/synth.py OUT_DIR --docs 1000 [--seed 0] [--jobs N]

Why: measuring the build at scale needs many documents, and copies of the five seed articles are a poor
stand-in — every copy holds one of five texts, so a cache keyed on content, a lucky branch or a regex that
never sees a long page hides real costs. These articles are written afresh from templates: a council from
the project's gazetteer under its varied names, officials quoted in varied phrasings, grades, inspections
and visits with dates in several formats, and findings on every issue topic as concerns or strengths, amid
page furniture (menus, cookie banners, captions, "Related stories", reader comments). Sizes follow real
articles (median about 3.5 KB, a few long features near 20 KB); about one in ten is a simple HTML page.

The same ``(n_docs, seed)`` always gives byte-identical files: each document draws from its own
``random.Random`` seeded by ``seed`` and its number, never from the clock. What was planted in each
document (council, grades, inspection, findings, people) can be returned in memory — never written
beside the corpus, since a build reads every ``.txt`` and ``.html`` under the folder.

This module lays articles out (plain text shaped like the seeds, or a simple HTML page, with their page
furniture) and writes the corpus; ``synth_article.py`` beside it draws what each article says. The sentences
are the project's own, in ``benchmarks/data/synth_templates.tsv``; people's names in ``synth_names.tsv``.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # run as a script, its folder is on the path already; imported by path, not
    sys.path.insert(0, _HERE)

from synth_article import MONTHS, WEEKDAYS, Article, Council, Dice, councils, names, typeset  # noqa: E402

__all__ = ["CorpusInfo", "Council", "generate_corpus", "generate_document", "councils", "main"]

PER_FOLDER = 1000  # files per sub-folder, so 100k documents do not sit in one directory
HTML_SHARE = 0.10


@dataclass
class CorpusInfo:
    """What ``generate_corpus`` wrote; ``truth`` (doc id -> planted facts) only when asked for."""

    n_docs: int
    n_bytes: int
    n_html: int
    largest_bytes: int
    truth: dict[str, dict[str, Any]] | None = None



# --------------------------------------------------------------------------------------------------
# Layout: plain text like the seeds, or a simple HTML page
# --------------------------------------------------------------------------------------------------

def _byline(a: Article, author: str | None) -> list[str]:
    d, r = a.published, a.r
    long_date = f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}"
    short_date = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if author is None:
        return [r.choice((short_date, f"Published: {short_date}", f"{d.day:02d}/{d.month:02d}/{d.year}"))]
    return r.choice((
        [f"By {author}", short_date],
        [author, long_date],
        [f"By {author} | {short_date}"],
        [f"By {author} on {MONTHS[d.month - 1]} {d.day}, {d.year} in Children"],
        [f"{author}, Local Democracy Reporting Service", short_date],
        [f"Published: {short_date}", f"By {author}"],
    ))


def _comments(a: Article, headline: str) -> list[str]:
    r = a.r
    n = r.randint(1, 4)
    a.slots.update(headline=headline, n=str(n))
    lines = [a.say("comments-header")]
    for _ in range(n):
        d = a.published + timedelta(days=r.randint(0, 6))
        who = f"{r.choice(names()['first'])} {r.choice(names()['last'])}"
        when = (f"{d.day} {MONTHS[d.month - 1]} {d.year}" if r.random() < 0.5
                else f"{MONTHS[d.month - 1]} {d.day}, {d.year}")
        lines += [f"{who} on {when} at {r.randint(1, 12)}:{r.randint(0, 59):02d} {r.choice(('am', 'pm'))}",
                  a.say("comment")]
    return lines


def _related(a: Article) -> list[str]:
    return [a.say("related-header")] + a.say_some("related-item", a.r.randint(2, 4))


def _plain(a: Article, head: str, paras: list[list[str]], author: str | None) -> str:
    r = a.r
    sep = "\n" if r.random() < 0.2 else "\n\n"
    top: list[str] = []
    if r.random() < 0.3:
        top.append(a.say("nav"))
    if r.random() < 0.15:
        top += [a.say("cookie"), r.choice(("Accept all cookies", "Cookie settings", "Accept cookies"))]
    top.append(head)
    if r.random() < 0.4:
        top.append(a.say("standfirst"))
    top.append("\n".join(_byline(a, author)))
    if r.random() < 0.3:
        caption = a.say("caption")
        top += [caption, caption] if r.random() < 0.3 else [caption]
    body = [" ".join(p) for p in paras]
    if r.random() < 0.25:
        body.insert(r.randint(3, max(3, len(body) - 1)), "\n".join(_related(a)))
    if r.random() < 0.2:
        body.insert(r.randint(2, len(body)), a.say("newsletter"))
    tail: list[str] = []
    if r.random() < 0.3:
        tail.append(a.say("share"))
    if r.random() < 0.25:
        tail.append("\n".join(_comments(a, head)))
    if r.random() < 0.3:
        tail.append(a.say("footer"))
    return sep.join(top + body + tail) + "\n"


def _html(a: Article, head: str, paras: list[list[str]], author: str | None) -> str:
    r, d = a.r, a.published

    def e(text: str) -> str:
        return html.escape(text, quote=False)

    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(head)} | {e(a.slots['outlet'])}</title>",
           f'<meta property="article:published_time" content="{d.isoformat()}T08:00:00+00:00">']
    if author:
        out.append(f'<meta name="author" content="{e(author)}">')
    nav = a.say("nav").split(" | ")
    out.append("</head><body><nav><ul>" + "".join(f'<li><a href="/{i}">{e(x)}</a></li>' for i, x in enumerate(nav))
               + "</ul></nav>")
    out.append(f"<article><h1>{e(head)}</h1>")
    if author:
        out.append(f'<p class="byline">By {e(author)}</p>')
    out.append(f'<time datetime="{d.isoformat()}">{d.day} {MONTHS[d.month - 1]} {d.year}</time>')
    for i, p in enumerate(paras):
        out.append(f"<p>{e(' '.join(p))}</p>")
        if i == 1 and r.random() < 0.4:
            out.append(f'<figure><img src="/img/{a.doc_id}.jpg" alt=""><figcaption>{e(a.say("caption"))}'
                       "</figcaption></figure>")
    out.append("</article>")
    if r.random() < 0.5:
        rel = _related(a)
        out.append(f"<aside><h2>{e(rel[0])}</h2><ul>" + "".join(f'<li><a href="/story/{i}">{e(x)}</a></li>'
                                                              for i, x in enumerate(rel[1:])) + "</ul></aside>")
    if r.random() < 0.2:  # reader comments, which trafilatura is asked to leave out
        comments = _comments(a, head)
        out.append(f'<section class="comments"><h2>{e(comments[0])}</h2>'
                   + "".join(f"<div class=\"comment\"><p>{e(x)}</p></div>" for x in comments[1:]) + "</section>")
    out.append(f"<footer><p>{e(a.say('footer'))}</p></footer></body></html>\n")
    return "\n".join(out)


def generate_document(doc_number: int, seed: int = 0) -> tuple[str, str, dict[str, Any]]:
    """Document number ``doc_number`` of corpus ``seed``: (file name, text, what was planted in it).

    Each document has its own random stream, so document 7 is the same in a corpus of 10 or of 100k.
    """
    doc_id = f"synth-{doc_number:06d}"
    rng = Dice(f"graphkit-synth:{seed}:{doc_number}")
    a = Article(rng, doc_id)
    is_html = rng.random() < HTML_SHARE
    author = None
    if rng.random() < 0.75:
        first, last = rng.choice(names()["first"]), rng.choice(names()["last"])
        author = f"{first} {last}"
        a.used_names.add(last)
    head, paras = a.body()
    text = (_html if is_html else _plain)(a, head, paras, author)
    text = typeset(text, a.curly)
    truth = a.truth()
    if author:
        truth["people"].add((typeset(author, a.curly), "journalist"))
    truth["format"] = "html" if is_html else "txt"
    return f"{doc_id}.{truth['format']}", text, truth


def generate_corpus(folder: Path, n_docs: int, seed: int = 0, truth: bool = False, jobs: int = 1) -> CorpusInfo:
    """Write ``n_docs`` articles under ``folder`` in sub-folders of at most ``PER_FOLDER`` files.

    Nothing but the articles is written; with ``truth=True`` what each one states is returned in
    ``CorpusInfo.truth`` instead, keyed by document id (the file name without its extension). With
    ``jobs`` > 1, sub-folders are written by that many processes; the files are the same either way.
    """
    if n_docs < 0:
        raise ValueError(f"n_docs must be 0 or more, not {n_docs}")
    chunks = [(Path(folder) / f"{k:04d}", k * PER_FOLDER, min(n_docs, (k + 1) * PER_FOLDER), seed, truth)
              for k in range(-(-n_docs // PER_FOLDER))]
    info = CorpusInfo(n_docs=n_docs, n_bytes=0, n_html=0, largest_bytes=0, truth={} if truth else None)
    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_write_folder, chunks))
    else:
        parts = [_write_folder(c) for c in chunks]
    for part in parts:
        info.n_bytes += part.n_bytes
        info.n_html += part.n_html
        info.largest_bytes = max(info.largest_bytes, part.largest_bytes)
        if info.truth is not None and part.truth is not None:
            info.truth.update(part.truth)
    return info


def _write_folder(chunk: tuple[Path, int, int, int, bool]) -> CorpusInfo:
    """Documents ``start`` to ``stop`` (one sub-folder's worth), written; what they hold, counted."""
    sub, start, stop, seed, truth = chunk
    sub.mkdir(parents=True, exist_ok=True)
    info = CorpusInfo(n_docs=stop - start, n_bytes=0, n_html=0, largest_bytes=0, truth={} if truth else None)
    for i in range(start, stop):
        name, text, facts = generate_document(i, seed)
        data = text.encode("utf-8")
        (sub / name).write_bytes(data)
        info.n_bytes += len(data)
        info.largest_bytes = max(info.largest_bytes, len(data))
        info.n_html += facts["format"] == "html"
        if info.truth is not None:
            info.truth[name.rsplit(".", 1)[0]] = facts
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder to write the articles into")
    ap.add_argument("--docs", type=int, default=1000, help="how many articles (default 1000)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes writing sub-folders in parallel (default: one per core)")
    args = ap.parse_args(argv)
    if args.docs < 0:
        ap.error("--docs must be 0 or more")
    started = time.perf_counter()
    info = generate_corpus(args.out_dir, args.docs, args.seed, jobs=max(1, args.jobs))
    took = time.perf_counter() - started
    print(f"wrote {info.n_docs} documents ({info.n_html} HTML), {info.n_bytes / 1e6:.1f} MB, largest "
          f"{info.largest_bytes:,} bytes, to {args.out_dir} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
