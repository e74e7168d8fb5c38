"""Precision and recall of boilerplate removal against labelled lines.

Each file in ``benchmarks/data/clean_labels/`` labels the non-blank lines of
one corpus: ``[line number, "keep" | "remove" | "meta", hash]``, where the
hash is the first 12 hex digits of the SHA-1 of the stripped line (the text
of a third-party corpus is never stored here). ``meta`` lines (front matter)
are not scored. A line counts as removed when every non-space character of
it lies in a removed span; a line that only lost a cut (an update-stamp
prefix, tracking parameters) counts as kept.

The corpus is read with ``ingest`` and cleaned with ``clean_corpus`` (so
per-outlet templates play their part). Lines carrying a quotation that were
removed are counted separately: the target for them is zero.

Usage::

    .venv/bin/python benchmarks/eval_clean.py [--check]

``--check`` exits 1 when a corpus misses recall 0.95, precision 0.95 or
removes a quote.

HTML: ``--html`` also renders each example article (its lines labelled
``keep``) into three page templates (semantic HTML5; class-named div soup
with a cookie banner, share buttons, an in-body advert, a newsletter box and
comments; a WordPress-like blog with a comment form and widget sidebar),
and reports line precision and recall of the main text against the
article's lines for newstrace (``ingest`` + ``clean_corpus``), trafilatura
alone and all visible text, plus how many page-chrome blocks newstrace
recorded as removed spans with a reason.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from newstrace.clean import clean_corpus
from newstrace.ingest import ingest
from newstrace.model import Article

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "clean_labels"
TARGET = 0.95
QUOTE_MARKS = ("“", "”", '"', "«")


@dataclass
class Score:
    """Counts of one corpus; ``errors`` lists ``file:line gold->decision``."""

    corpus: str
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    kept: int = 0
    quotes_removed: int = 0
    stale: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        removed = self.true_positive + self.false_positive
        return self.true_positive / removed if removed else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positive + self.false_negative
        return self.true_positive / gold if gold else 1.0

    def passes(self) -> bool:
        """Whether the corpus meets the targets of issue 4."""
        return (
            self.precision >= TARGET
            and self.recall >= TARGET
            and self.quotes_removed == 0
            and not self.stale
        )


def line_decisions(article: Article) -> dict[int, tuple[bool, str]]:
    """For each non-blank raw line (1-based): (removed whole, stripped text)."""
    gone = bytearray(len(article.raw_text))
    for span in article.removed:
        gone[span.start : span.end] = b"\x01" * (span.end - span.start)
    decisions, position = {}, 0
    for number, line in enumerate(article.raw_text.splitlines(keepends=True), 1):
        start, position = position, position + len(line)
        if line.strip():
            chars = [i for i in range(start, position) if not article.raw_text[i].isspace()]
            decisions[number] = (all(gone[i] for i in chars), line.strip())
    return decisions


def evaluate(labels_path: Path) -> Score | None:
    """Score one labelled corpus (``None`` if the corpus is not on this machine)."""
    spec = json.loads(labels_path.read_text(encoding="utf-8"))
    folder = (ROOT / spec["path"]).resolve()
    if not folder.is_dir():
        return None
    articles = clean_corpus(ingest([folder]).articles)
    by_name = {Path(a.source_path).name: a for a in articles}
    score = Score(spec["corpus"])
    for name, rows in spec["files"].items():
        decisions = line_decisions(by_name[name])
        for number, gold, digest in rows:
            removed, text = decisions.get(number, (False, ""))
            if hashlib.sha1(text.encode("utf-8")).hexdigest()[:12] != digest:
                score.stale += 1
                score.errors.append(f"{name}:{number} hash differs (corpus changed?)")
                continue
            _count(score, name, number, gold, removed, text)
    return score


def _count(score: Score, name: str, number: int, gold: str, removed: bool, text: str) -> None:
    if gold == "meta":
        return
    if removed and any(mark in text for mark in QUOTE_MARKS) and gold == "keep":
        score.quotes_removed += 1
    if gold == "remove" and removed:
        score.true_positive += 1
    elif gold == "remove":
        score.false_negative += 1
        score.errors.append(f"{name}:{number} remove->kept")
    elif removed:
        score.false_positive += 1
        score.errors.append(f"{name}:{number} keep->removed")
    else:
        score.kept += 1


PAGES = {
    "semantic": """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {outlet}</title><meta property="og:site_name" content="{outlet}"></head><body>
<header><nav><ul>{menu}</ul></nav><div class="share">Share: Facebook Twitter Email</div></header>
<main><article><h1>{title}</h1>{body}</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<section id="comments"><h2>2 comments</h2><div class="comment"><p>So sad for the families.</p>
</div><form><textarea name="c"></textarea><button>Post Comment</button></form></section></main>
<footer><p>&copy; 2026 {outlet}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>""",
    "div soup": """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
</head><body><div class="site-nav"><a href="/">Home</a> <a href="/local">Local</a>
<div class="menu-items">{menu}</div></div><div class="cookie-banner"><p>We use cookies to improve
your experience.</p><button>Accept</button></div><div class="content"><div class="story">
<h1 class="headline">{title}</h1><div class="share-buttons"><a>Facebook</a><a>Twitter</a>
<a>WhatsApp</a></div><div class="story-body">{body_with_ad}</div></div>
<div class="newsletter-signup"><p>Get the morning briefing in your inbox.</p><input type="email">
<button>Sign up</button></div><div class="related-articles"><p>More from {outlet}</p>{related}
</div></div><div id="comments"><p>Jo Smith</p><p>This is the third time this year.</p></div>
<div class="footer-links"><a>About us</a> <a>Contact</a> <a>Terms</a></div></body></html>""",
    "blog": """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} – {outlet}</title>
</head><body><div id="page"><div id="masthead"><p class="site-title">{outlet}</p>
<ul id="primary-menu">{menu}</ul></div><div id="primary"><article class="post">
<h1 class="entry-title">{title}</h1><div class="entry-content">{body}<div class="sharedaddy">
<h3>Share this:</h3><ul>
<li>Twitter</li><li>Facebook</li></ul></div></div><p class="tags">Tags: harbour, port</p>
</article><div id="respond" class="comment-respond"><h3>Leave a Reply</h3><p>Your email address
will not be published. Required fields are marked *</p><textarea></textarea></div></div>
<div id="secondary" class="widget-area"><h2>Recent Posts</h2><ul>{related}</ul></div></div>
</body></html>""",
}


def _pages(spec: dict, folder: Path, out: Path, template: str) -> dict[str, set[str]]:
    """Write one page per labelled example into ``out``; return the gold lines of each."""
    menu = "".join(f"<li><a href='/s{k}'>Section {k}</a></li>" for k in range(10))
    related = "".join(f"<li><a href='/r{k}'>Harbour news item {k}</a></li>" for k in range(5))
    gold: dict[str, set[str]] = {}
    for name, rows in spec["files"].items():
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        keep = [lines[n - 1].strip() for n, label, _ in rows if label == "keep"]
        title, body = keep[0], keep[1:]
        paragraphs = [f"<p>{html.escape(line)}</p>" for line in body]
        with_ad = paragraphs[:2] + ["<div class='advert'><p>Advertisement</p></div>"]
        page = PAGES[template].format(
            title=html.escape(title), outlet="Page Outlet", menu=menu, body="".join(paragraphs),
            body_with_ad="".join(with_ad + paragraphs[2:]), related=related,
        )  # fmt: skip
        Path(out, Path(name).with_suffix(".html").name).write_text(page, encoding="utf-8")
        gold[Path(name).stem] = {_norm(line) for line in keep}
    return gold


@dataclass
class HtmlScore:
    """Line precision/recall of three extractors on one page template."""

    template: str
    pages: int
    scores: dict[str, tuple[float, float]]
    chrome_blocks: int  # page blocks outside the article text
    chrome_recorded: int  # of those, recorded as removed spans with a reason
    fallbacks: int  # pages whose main text could not be laid on the page's blocks


def evaluate_html(labels_path: Path) -> list[HtmlScore]:
    """Main-text extraction on the example articles rendered into each page template.

    Extractors: newstrace (ingest + clean_corpus), trafilatura alone with the
    same options, and every visible line of the page (the no-extraction floor).
    """
    from trafilatura import bare_extraction

    from newstrace._formats import TRAFILATURA_OPTIONS, html_to_text

    spec = json.loads(labels_path.read_text(encoding="utf-8"))
    folder = (ROOT / spec["path"]).resolve()
    results = []
    for template in PAGES:
        with tempfile.TemporaryDirectory() as tmp:
            gold = _pages(spec, folder, Path(tmp), template)
            articles = clean_corpus(ingest([tmp]).articles)
            pages = {p.stem: p.read_text(encoding="utf-8") for p in Path(tmp).iterdir()}
        texts = {
            "newstrace": {Path(a.source_path).stem: a.text for a in articles},
            "trafilatura": {
                k: getattr(bare_extraction(v, **TRAFILATURA_OPTIONS), "text", "") or ""
                for k, v in pages.items()
            },
            "all visible text": {k: html_to_text(v) for k, v in pages.items()},
        }
        scores = {name: _line_scores(gold, found) for name, found in texts.items()}
        chrome = recorded = fallbacks = 0
        for article in articles:
            blocks = [b for b in article.raw_text.splitlines() if b.strip()]
            gold_lines = gold[Path(article.source_path).stem]
            outside = [b for b in blocks if _norm(b) not in gold_lines]
            chrome += len(outside)
            fallbacks += not article.page_chrome
            removed = " ".join(s.text for s in article.removed if s.reason)
            recorded += sum(1 for b in outside if b in removed)
        results.append(HtmlScore(template, len(articles), scores, chrome, recorded, fallbacks))
    return results


def _line_scores(gold: dict[str, set[str]], texts: dict[str, str]) -> tuple[float, float]:
    found = {k: {_norm(x) for x in v.splitlines() if x.strip()} for k, v in texts.items()}
    hits = sum(len(gold[k] & found.get(k, set())) for k in gold)
    extracted = sum(len(v) for v in found.values())
    expected = sum(len(v) for v in gold.values())
    return hits / max(extracted, 1), hits / max(expected, 1)


def _norm(line: str) -> str:
    return " ".join(line.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--html", action="store_true", help="also score HTML extraction")
    args = parser.parse_args(argv)
    failed = False
    print(f"{'corpus':<12} {'lines':>5} {'remove':>6} {'P':>6} {'R':>6} {'quotes':>6}")
    for path in sorted(args.labels.glob("*.json")):
        score = evaluate(path)
        if score is None:
            print(f"{path.stem:<12} skipped: corpus not found")
            continue
        gold = score.true_positive + score.false_negative
        lines = gold + score.false_positive + score.kept
        print(
            f"{score.corpus:<12} {lines:>5} {gold:>6} {score.precision:>6.3f} "
            f"{score.recall:>6.3f} {score.quotes_removed:>6}"
        )
        for error in score.errors:
            print(f"    {error}")
        failed |= not score.passes()
    if args.html:
        print("\nHTML main text (example articles in page templates), line P/R:")
        for result in evaluate_html(args.labels / "examples.json"):
            figures = "  ".join(f"{k} P {p:.3f} R {r:.3f}" for k, (p, r) in result.scores.items())
            print(f"  {result.template:<9} {result.pages} pages  {figures}")
            print(
                f"  {'':<9} page chrome blocks {result.chrome_blocks}, recorded as removed "
                f"with a reason {result.chrome_recorded}, fallbacks {result.fallbacks}"
            )
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
