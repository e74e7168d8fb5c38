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
``keep``) into a page with a menu, share bar, related links, comments and a
footer, reads the pages back with ``ingest`` + ``clean_corpus`` and reports
line precision and recall of the main text against the article's lines.
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


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {outlet}</title><meta property="og:site_name" content="{outlet}"></head><body>
<header><nav><ul>{menu}</ul></nav><div class="share">Share: Facebook Twitter Email</div></header>
<main><article><h1>{title}</h1>{body}</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<section id="comments"><h2>2 comments</h2><div class="comment"><p>So sad for the families.</p>
</div><form><textarea name="c"></textarea><button>Post Comment</button></form></section></main>
<footer><p>&copy; 2026 {outlet}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def evaluate_html(labels_path: Path) -> tuple[float, float, int]:
    """Line precision and recall of HTML main text (title line included) on example pages."""
    spec = json.loads(labels_path.read_text(encoding="utf-8"))
    folder = (ROOT / spec["path"]).resolve()
    menu = "".join(f"<li><a href='/s{k}'>Section {k}</a></li>" for k in range(10))
    related = "".join(f"<li><a href='/r{k}'>Harbour news item {k}</a></li>" for k in range(5))
    gold: dict[str, set[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in spec["files"].items():
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
            keep = [lines[n - 1].strip() for n, label, _ in rows if label == "keep"]
            title, body = keep[0], keep[1:]
            paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body)
            page = PAGE.format(
                title=html.escape(title), outlet="Page Outlet", menu=menu, body=paragraphs,
                related=related,
            )  # fmt: skip
            Path(tmp, Path(name).with_suffix(".html").name).write_text(page, encoding="utf-8")
            gold[Path(name).stem] = {_norm(line) for line in keep}
        articles = clean_corpus(ingest([tmp]).articles)
    found = {Path(a.source_path).stem: {_norm(x) for x in a.text.splitlines() if x.strip()}
             for a in articles}  # fmt: skip
    hits = sum(len(gold[k] & found.get(k, set())) for k in gold)
    extracted = sum(len(v) for v in found.values())
    expected = sum(len(v) for v in gold.values())
    return hits / max(extracted, 1), hits / max(expected, 1), len(articles)


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
        precision, recall, pages = evaluate_html(args.labels / "examples.json")
        print(f"html pages   {pages:>5} article lines: P {precision:.3f} R {recall:.3f}")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
