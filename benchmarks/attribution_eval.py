"""Evaluate newstrace attribution on PolNeAR (brat attributions) against baselines.

usage: .venv/bin/python benchmarks/attribution_eval.py [POLNEAR_SPLIT_DIR ...]
       [--scorer PATH] [--out DIR] [--textacy] [--labelled]

``--labelled`` also scores the two labelled sets written for newstrace: rome-2022
(``benchmarks/data/attribution/rome-2022.json``: offsets and a digest of each span,
the texts read from ``../shared/corpus/rome-2022`` at run time; every quote, direct and
reported, and every citation) and the example corpus (``examples/truth.json``: every
direct quote and citation, a sample of reported speech, so only its recall is shown).

For each split (e.g. ``../shared/data/polnear/data/dev``) the articles are read at run
time (nothing from PolNeAR is stored in the repository), cleaned, segmented and passed
to ``extract_attribution``. Two systems run in the same process on the same texts:

* ``newstrace``: the attribution stage as the pipeline runs it;
* ``newstrace-units``: the same quotes in PolNeAR's units (``polnear_units``: the two
  pieces of an interrupted quote are one content; a partial quote is scored through the
  reported clause that holds it), so the figures compare like with like;
* ``baseline``: quote-mark pairs per paragraph, speaker = the nearest capitalised name;
* ``textacy``: ``textacy.extract.triples.direct_quotations`` when ``--textacy`` is given
  and textacy is importable (it is not a project dependency).

Figures, per system: the official scorer (``score_polnear.py``, run as a subprocess on a
JSON brief, so its numbers are the comparable ones) and this script's own table:
content-span precision/recall/F1 with exact (same token sequence) and overlap
(token F1 >= 0.5, the scorer's rule) matching, speaker accuracy over matched contents
(the scorer's rule: a shared non-pronoun word with the gold source), for all
attributions and for direct ones (gold content containing a double quotation mark;
predicted ``direct=True`` or holding a quotation mark, i.e. a mixed quote).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from newstrace.attribution import extract_attribution
from newstrace.clean import clean_article
from newstrace.model import Article, Brief, Quote
from newstrace.segment import paragraphs, segment

DEFAULT_SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_polnear.py"
System = Callable[[Article], list[Quote]]
MAX_INTERRUPTION = 200  # characters of attribution between two pieces of one quote


def load_scorer(path: Path) -> ModuleType:
    """Import the official scorer to reuse its gold reader and token F1."""
    spec = importlib.util.spec_from_file_location("score_polnear", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_articles(split: Path) -> list[Article]:
    """The split's texts as cleaned articles (ids are the file names)."""
    articles = []
    for path in sorted((split / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        raw = Article(
            id=path.name,
            source_path=str(path),
            raw_text=text,
            text=text,
            kept=((0, 0, len(text)),),
        )
        articles.append(clean_article(raw))
    return articles


def run_newstrace(article: Article) -> list[Quote]:
    return list(extract_attribution(article, segment(article))[0])


def polnear_units(quotes: list[Quote]) -> list[Quote]:
    """newstrace's quotes in PolNeAR's units: the pieces of one interrupted quote
    (“A,” she said, “B.”: consecutive direct quotes sharing one speaker mention, in
    one paragraph) are one content, their texts joined as brat joins discontinuous
    spans; a direct quote inside a reported clause recorded with it is that clause."""
    clauses = [(q.start, q.end) for q in quotes if not q.direct]
    units: list[Quote] = []
    for q in sorted(quotes, key=lambda q: (q.start, q.end)):
        if q.direct and any(lo <= q.start and q.end <= hi for lo, hi in clauses):
            continue
        last = units[-1] if units else None
        if (
            last is not None
            and q.direct
            and last.direct
            and q.speaker_start is not None
            and (last.speaker_start, last.speaker_end) == (q.speaker_start, q.speaker_end)
            and last.end <= q.speaker_start < q.start
            and q.start - last.end <= MAX_INTERRUPTION
        ):
            units[-1] = replace(last, end=q.end, text=f"{last.text} {q.text}")
            continue
        units.append(q)
    return units


# --- baseline: quote pairs + nearest capitalised name -----------------------------------------

_PAIR = re.compile(r"[\"“]([^\"“”\n]{1,1500})[\"”]")
_CAPNAME = re.compile(r"\b[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2}")
_NOT_NAME = frozenset("The A An He She It They We I In On But And This That When".split())


def run_baseline(article: Article) -> list[Quote]:
    """Each quote-mark pair inside a paragraph; speaker = nearest capitalised name."""
    text = article.text
    quotes = []
    for lo, hi in paragraphs(text):
        for match in _PAIR.finditer(text, lo, hi):
            start, end = match.span(1)
            speaker = _nearest_name(text, lo, hi, match.start(), match.end())
            quotes.append(_quote(article.id, text, start, end, speaker))
    return quotes


def _nearest_name(text: str, lo: int, hi: int, start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for name in _CAPNAME.finditer(text, max(lo, start - 200), min(hi, end + 200)):
        if start <= name.start() < end or name.group() in _NOT_NAME:
            continue
        distance = start - name.end() if name.end() <= start else name.start() - end
        if best is None or distance < best[0]:
            best = (distance, name.group())
    return best[1] if best else None


def _quote(article_id: str, text: str, start: int, end: int, speaker: str | None) -> Quote:
    return Quote(
        id=f"{article_id}:{start}",
        article_id=article_id,
        start=start,
        end=end,
        text=text[start:end],
        speaker=speaker,
        speaker_kind="named" if speaker else "unknown",
    )


def textacy_system() -> System | None:
    """textacy's ``direct_quotations`` over spaCy's full pipeline, if textacy is installed."""
    try:
        from textacy.extract.triples import direct_quotations

        from newstrace._nlp import NLP
    except ImportError:
        return None
    nlp = NLP(components=None).load()

    def run(article: Article) -> list[Quote]:
        doc = nlp(article.text)
        try:
            found = list(direct_quotations(doc))
        except Exception:  # textacy raises on odd quote counts; count it as nothing found
            return []
        return [
            _quote(
                article.id,
                article.text,
                q.content.start_char,
                q.content.end_char,
                " ".join(t.text for t in q.speaker),
            )
            for q in found
        ]

    return run


# --- scoring ----------------------------------------------------------------------------------


def score(scorer: ModuleType, gold: dict, predicted: dict[str, list[Quote]]) -> dict[str, dict]:
    """P/R/F1 (exact and overlap) and speaker accuracy, for all and for direct attributions."""
    out = {}
    for subset in ("all", "direct"):
        for rule in ("exact", "overlap"):
            out[f"{subset}/{rule}"] = _score_subset(scorer, gold, predicted, subset, rule)
    return out


def _matches(scorer: ModuleType, rule: str) -> Callable[[str, str], bool]:
    if rule == "exact":
        return lambda a, b: bool(scorer.toks(a)) and scorer.toks(a) == scorer.toks(b)
    return lambda a, b: scorer.f1(a, b) >= 0.5


def _score_subset(scorer, gold, predicted, subset: str, rule: str) -> dict:
    match = _matches(scorer, rule)
    tp_pred = n_pred = tp_gold = n_gold = spk_ok = spk_n = 0
    for name, items in gold.items():
        preds = [q for q in predicted.get(name, []) if subset == "all" or _direct(q)]
        golds = [g for g in items if subset == "all" or g["direct"]]
        n_pred += len(preds)
        tp_pred += sum(any(match(q.text, g["content"]) for g in items) for q in preds)
        for g in golds:
            hits = [q for q in preds if match(q.text, g["content"])]
            n_gold += 1
            tp_gold += bool(hits)
            wanted = set(scorer.toks(g["source"])) - scorer.PRONOUNS
            if hits and wanted:
                best = max(hits, key=lambda q: scorer.f1(q.text, g["content"]))
                spk_n += 1
                spk_ok += bool(wanted & set(scorer.toks(best.speaker or "")))
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f, "speaker": spk_ok / spk_n if spk_n else 0.0, "n": n_gold}


def _direct(quote: Quote) -> bool:
    """Direct as PolNeAR counts it: a direct quote, or reported speech holding a partial one."""
    return quote.direct or any(mark in quote.text for mark in '"“”')


def official(scorer_path: Path, brief_path: Path, split: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(scorer_path), str(brief_path), str(split)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def write_brief(articles: list[Article], quotes: Iterable[Quote], path: Path) -> None:
    brief = Brief(articles=tuple(articles), quotes=tuple(quotes))
    doc = brief.to_dict()
    for entry in doc["articles"]:  # the scorer keys articles by file name
        entry["source_path"] = entry["id"]
        entry.pop("text", None)
    path.write_text(json.dumps(doc), encoding="utf-8")


def evaluate(split: Path, systems: dict[str, System], scorer_path: Path, out: Path) -> None:
    scorer = load_scorer(scorer_path)
    gold = scorer.load_gold(split)
    articles = read_articles(split)
    print(f"\n== {split} ({len(articles)} articles)")
    for label, system in systems.items():
        began = time.perf_counter()
        predicted = {a.id: system(a) for a in articles}
        seconds = time.perf_counter() - began
        brief_path = out / f"{split.name}-{label}.json"
        write_brief(articles, (q for qs in predicted.values() for q in qs), brief_path)
        print(f"\n[{label}] {len(articles) / seconds:.1f} articles/s")
        print("official scorer:", official(scorer_path, brief_path, split).replace("\n", "\n  "))
        print(f"{'subset/match':16} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'gold':>6}")
        for key, row in score(scorer, gold, predicted).items():
            print(
                f"{key:16} {row['P']:6.3f} {row['R']:6.3f} {row['F1']:6.3f} "
                f"{row['speaker']:8.3f} {row['n']:6d}"
            )


# --- labelled sets written here: rome-2022 (benchmarks/data/attribution) and examples -----

ROOT = Path(__file__).resolve().parents[1]
ROME = ROOT.parent / "shared" / "corpus" / "rome-2022"
ROME_LABELS = ROOT / "benchmarks" / "data" / "attribution" / "rome-2022.json"
EXAMPLES = ROOT / "examples"
_GENERIC = frozenset(
    "a an the of with in to us u s official officials source sources person people said "
    "he she they it his her their him them".split()
)


def _toks(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def _f1(a: str, b: str) -> float:
    ta, tb = _toks(a), _toks(b)
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def _speaker_ok(predicted: Quote, gold: dict) -> bool:
    """A shared distinctive word with the gold speaker (or an accepted variant); for an
    anonymous gold speaker the prediction must be anonymous too ("the official" resolved
    to another official shares only generic words and fails)."""
    if gold["speaker_kind"] == "anonymous" and predicted.speaker_kind != "anonymous":
        return False
    said = set(_toks(predicted.speaker or ""))
    for name in [gold["speaker"], *gold.get("speaker_also", [])]:
        wanted = set(_toks(name))
        if wanted - _GENERIC and said & (wanted - _GENERIC):
            return True
        if not wanted - _GENERIC and said - {"a", "an", "the"} == wanted - {"a", "an", "the"}:
            return True  # "officials" is only right as "officials"
    return False


def span_digest(span: str) -> str:
    """The check stored with a label instead of its text: the first 12 hex digits of
    the SHA-1 of the span with whitespace runs made single spaces."""
    return hashlib.sha1(" ".join(span.split()).encode(), usedforsecurity=False).hexdigest()[:12]


def span_text(corpus: Path, label: dict, span: dict) -> str:
    """The text of ``span`` (of ``label``'s article unless it names another), checked
    against its digest."""
    path = corpus / span.get("article", label["article"])
    text = path.read_text(encoding="utf-8")[span["start"] : span["end"]]
    if span_digest(text) != span["sha1"]:
        raise SystemExit(f"label span at {span['start']} does not match {path}")
    return text


def rome_gold(corpus: Path = ROME, labels: Path = ROME_LABELS) -> tuple[dict, dict]:
    """Quote and citation labels per file, their text (and speakers and outlets) read
    from the corpus at run time."""
    quotes: dict[str, list[dict]] = {}
    cites: dict[str, list[dict]] = {}
    for label in json.loads(labels.read_text(encoding="utf-8"))["labels"]:
        item = {**label, "text": span_text(corpus, label, label)}
        for field in ("speaker", "outlet"):
            if isinstance(label.get(field), dict):
                item[field] = span_text(corpus, label, label[field])
        if "speaker_also" in label:
            item["speaker_also"] = [span_text(corpus, label, s) for s in label["speaker_also"]]
        (quotes if label["kind"] == "quote" else cites).setdefault(label["article"], []).append(
            item
        )
    return quotes, cites


def examples_gold(root: Path = EXAMPLES) -> tuple[dict, dict]:
    """The example corpus truth: every direct quote (a continuation is its own record),
    a sample of indirect ones, every citation."""
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    quotes: dict[str, list[dict]] = {}
    for q in truth["quotes"]:
        speaker = q.get("true_speaker") or q["speaker"]
        for text in filter(None, (q["text"], q.get("continuation"))):
            item = {"text": text, "direct": q["direct"], "speaker": speaker,
                    "speaker_kind": q["speaker_kind"], "speaker_also": [q["speaker"]]}  # fmt: skip
            quotes.setdefault(q["article"], []).append(item)
    cites: dict[str, list[dict]] = {}
    for c in truth["citations"]:
        cites.setdefault(c["article"], []).append(c)
    return quotes, cites


def score_labelled(
    name: str, folder: Path, gold_quotes: dict, gold_cites: dict, indirect_complete: bool
) -> None:
    """Precision/recall of quotes (token F1 >= 0.5, same file), speaker accuracy over
    matched quotes with a gold speaker, anonymous speakers found as anonymous, and
    citations (overlapping span; outlet right)."""
    predicted: dict[str, tuple[list[Quote], list]] = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        raw = Article(id=path.name, source_path=str(path), raw_text=text, text=text,
                      kept=((0, 0, len(text)),))  # fmt: skip
        article = clean_article(raw)
        found, cited = extract_attribution(article, segment(article))
        predicted[path.name] = (list(found), list(cited))
    print(f"\n== labelled set {name} ({len(predicted)} articles)")
    print(f"{'subset':22} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'anon':>6} {'gold':>5}")
    subsets = ("all", "direct", "indirect") if indirect_complete else ("direct", "indirect")
    for subset in subsets:
        _labelled_row(subset, predicted, gold_quotes, precision=subset != "indirect"
                      or indirect_complete)  # fmt: skip
    hit = n_gold = outlet_ok = tp_pred = n_pred = 0
    for file, (_, cited) in predicted.items():
        golds = gold_cites.get(file, [])
        n_pred += len(cited)
        tp_pred += sum(any(_f1(c.text, g["text"]) > 0 for g in golds) for c in cited)
        for g in golds:
            hits = [c for c in cited if _f1(c.text, g["text"]) > 0]
            n_gold += 1
            hit += bool(hits)
            outlet_ok += any(_f1(c.outlet, g["outlet"]) == 1.0 for c in hits)
    p, r = tp_pred / max(n_pred, 1), hit / max(n_gold, 1)
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{'citations':22} {p:6.3f} {r:6.3f} {f:6.3f}  outlet right {outlet_ok}/{n_gold}")


def _labelled_row(subset: str, predicted: dict, gold_quotes: dict, precision: bool) -> None:
    def wanted(direct: bool) -> bool:
        return subset == "all" or direct == (subset == "direct")

    tp_pred = n_pred = hit = n_gold = spk_ok = spk_n = anon_ok = anon_n = 0
    for file, (found, _) in predicted.items():
        golds = [g for g in gold_quotes.get(file, []) if wanted(g["direct"])]
        preds = [q for q in found if wanted(q.direct)]
        every = gold_quotes.get(file, [])
        n_pred += len(preds)
        tp_pred += sum(any(_f1(q.text, g["text"]) >= 0.5 for g in every) for q in preds)
        for g in golds:
            hits = [q for q in found if _f1(q.text, g["text"]) >= 0.5]
            n_gold += 1
            hit += bool(hits)
            if hits and g.get("speaker"):
                best = max(hits, key=lambda q: _f1(q.text, g["text"]))
                spk_n += 1
                spk_ok += _speaker_ok(best, g)
                if g["speaker_kind"] == "anonymous":
                    anon_n += 1
                    anon_ok += best.speaker_kind == "anonymous"
    p = tp_pred / n_pred if n_pred else 0.0
    r = hit / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    shown = f"{p:6.3f} {r:6.3f} {f:6.3f}" if precision else f"{'-':>6} {r:6.3f} {'-':>6}"
    print(
        f"{subset:22} {shown} {spk_ok / max(spk_n, 1):8.3f} "
        f"{anon_ok / max(anon_n, 1):6.3f} {n_gold:5d}"
    )


def labelled() -> None:
    """Both labelled sets, each skipped (with a note) when its texts are absent."""
    if ROME.is_dir() and ROME_LABELS.exists():
        score_labelled("rome-2022", ROME, *rome_gold(), indirect_complete=True)
    else:
        print(f"\n(skipped rome-2022: {ROME} not found)")
    score_labelled("examples", EXAMPLES / "corpus", *examples_gold(), indirect_complete=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("splits", nargs="*", type=Path)
    parser.add_argument("--labelled", action="store_true", help="also score the labelled sets")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument("--out", type=Path, default=Path("out/polnear"))
    parser.add_argument("--textacy", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    systems: dict[str, System] = {
        "newstrace": run_newstrace,
        "newstrace-units": lambda article: polnear_units(run_newstrace(article)),
        "baseline": run_baseline,
    }
    if args.textacy and (textacy := textacy_system()):
        systems["textacy"] = textacy
    for split in args.splits:
        evaluate(split, systems, args.scorer, args.out)
    if args.labelled:
        labelled()


if __name__ == "__main__":
    main()
