"""Flag garbled copies: swapped words, mangled names, altered quotes, spam inserts.

Flags come from evidence the earlier stages already hold:

- ``substitution``: a word the copy swapped for another in a sentence the
  reuse stage aligned with its source (the mark of machine "spinning");
- ``mangled_name``: a swap of one capitalised word for another capitalised
  word that looks like a corrupted spelling ("Okafor" -> "Okra");
- ``altered_quote``: a swap that falls inside a direct quote of the copy,
  so the copy puts words in the speaker's mouth that the source does not;
- ``spam_insert``: a line the cleaner removed as a "see also" insert or
  promotion. It is no longer in the cleaned text, so the flag is an empty
  span at the place it was cut, with the removed text as ``text``.

Across articles, whether or not reuse aligned them, direct quotes are matched
by shared word trigrams and a fuzzy ratio (``QUOTE_SIMILARITY``); within a
group of matching quotes the consensus is the version most articles carry
(ties: the earliest published):

- ``altered_quote`` (whole quote): its words differ from the consensus; the
  evidence quotes both versions and names the articles carrying the consensus;
- ``altered_speaker``: the same quote is given to a speaker who shares no word
  with the consensus speaker ("the manager" vs "the official");
- ``mangled_name``: a named speaker spelled like, but not as, a name more
  articles use ("Dana Okra" vs "Dana Okafor"), flagged at the name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from ._graph import UnionFind
from ._text import fold, shingles, word_spans, words
from .model import AlignedPair, Article, Flag, Quote, Reuse

SPAM_REASONS = frozenset({"see-also insert", "promo"})
FLAGGED_KINDS = frozenset({"spun", "verbatim", "abridged", "extended", "partial"})
NAME_SIMILARITY = 50
QUOTE_SIMILARITY = 70  # rapidfuzz ratio of two folded quotes taken as one quote
QUOTE_MIN_WORDS = 4
MAX_POSTING = 50  # a trigram shared by more quotes than this is not used to pair them
_UNSPOKEN = frozenset("a an the this that one two three another senior top".split())


def find_flags(
    articles: Sequence[Article],
    reuse: Sequence[Reuse] = (),
    quotes: Sequence[Quote] = (),
) -> tuple[Flag, ...]:
    """Return every quality flag for ``articles``."""
    flags: list[Flag] = []
    for link in reuse:
        if link.kind in FLAGGED_KINDS:
            target_quotes = [q for q in quotes if q.article_id == link.target_id and q.direct]
            for pair in link.aligned:
                flags.extend(_swap_flags(link, pair, target_quotes))
    for article in articles:
        flags.extend(_spam_flags(article))
    flags.extend(cross_article_flags(articles, quotes))
    unique = {(f.article_id, f.kind, f.start, f.end): f for f in reversed(flags)}
    return tuple(f for f in flags if unique.get((f.article_id, f.kind, f.start, f.end)) is f)


def cross_article_flags(articles: Sequence[Article], quotes: Sequence[Quote]) -> list[Flag]:
    """Altered quotes, changed speakers and mangled speaker names across articles."""
    order = {a.id: (a.published or "~", i) for i, a in enumerate(articles)}
    texts = {a.id: a.text for a in articles}
    direct = [q for q in quotes if q.direct and q.article_id in order]
    flags: list[Flag] = []
    for group in quote_groups(direct):
        if len({q.article_id for q in group}) > 1:
            group.sort(key=lambda q: order[q.article_id])
            flags.extend(_altered_quotes(group, texts))
            flags.extend(_altered_speakers(group, texts))
    flags.extend(_mangled_speakers(direct, texts))
    return flags


def quote_groups(quotes: Sequence[Quote]) -> list[list[Quote]]:
    """Direct quotes that are the same quote, exact or altered, grouped."""
    folded = [words(fold(q.text)) for q in quotes]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, tokens in enumerate(folded):
        if len(tokens) >= QUOTE_MIN_WORDS:
            for shingle in shingles(tokens, 3):
                postings[shingle].append(i)
    sets = UnionFind(range(len(quotes)))
    for posting in postings.values():
        if len(posting) > MAX_POSTING:
            continue
        for i in posting[1:]:
            first = posting[0]
            if sets.find(i) != sets.find(first) and _same_quote(folded[first], folded[i]):
                sets.union(first, i)
    return [[quotes[i] for i in group] for group in sets.components() if len(group) > 1]


def _same_quote(a: list[str], b: list[str]) -> bool:
    return fuzz.ratio(" ".join(a), " ".join(b)) >= QUOTE_SIMILARITY


def _consensus(values: Sequence[str]) -> str:
    """The most common value; ties go to the earliest (values come in date order)."""
    counts = Counter(values)
    return max(values, key=lambda v: (counts[v], -values.index(v)))


def _altered_quotes(group: list[Quote], texts: dict[str, str]) -> list[Flag]:
    keys = [" ".join(words(fold(q.text))) for q in group]
    consensus = _consensus(keys)
    original = group[keys.index(consensus)]
    carriers = sorted({q.article_id for q, k in zip(group, keys, strict=True) if k == consensus})
    return [
        _flag(
            q,
            "altered_quote",
            q.start,
            q.end,
            texts,
            f"quote reads “{q.text}” here but “{original.text}” in {', '.join(carriers)}",
        )
        for q, key in zip(group, keys, strict=True)
        if key != consensus
    ]


def _altered_speakers(group: list[Quote], texts: dict[str, str]) -> list[Flag]:
    spoken = [q for q in group if q.speaker]
    if len(spoken) < 2:
        return []
    consensus = _consensus([fold(q.speaker or "") for q in spoken])
    wanted = set(words(consensus)) - _UNSPOKEN
    flags = []
    for q in spoken:
        if (set(words(fold(q.speaker or ""))) - _UNSPOKEN) & wanted or q.speaker_start is None:
            continue
        start, end = q.speaker_start, q.speaker_end or q.speaker_start
        others = sorted({o.article_id for o in spoken if fold(o.speaker or "") == consensus})
        evidence = (
            f"“{q.text}” is given to “{q.speaker}” here but to “{consensus}” in {', '.join(others)}"
        )
        flags.append(_flag(q, "altered_speaker", start, end, texts, evidence))
    return flags


def _mangled_speakers(quotes: Sequence[Quote], texts: dict[str, str]) -> list[Flag]:
    """Named speakers spelled like a more common name that differs in one word."""
    articles_of: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        if q.speaker_kind == "named" and q.speaker and " " in q.speaker:
            articles_of[q.speaker].add(q.article_id)
    by_word: dict[tuple[int, str], list[str]] = defaultdict(list)
    for name in articles_of:
        parts = name.split()
        for i, part in enumerate(parts):
            by_word[(len(parts), f"{i}:{part}")].append(name)
    flags = []
    for q in quotes:
        found = _consensus_name(q.speaker or "", articles_of, by_word)
        if found and q.speaker_start is not None and q.speaker_end is not None:
            consensus, word = found
            mention = texts[q.article_id][q.speaker_start : q.speaker_end]
            at = mention.rfind(word)
            if at < 0:
                continue
            start = q.speaker_start + at
            carriers = ", ".join(sorted(articles_of[consensus]))
            evidence = (
                f"speaker “{q.speaker}” looks like a mangled “{consensus}”, the name "
                f"{len(articles_of[consensus])} article(s) use: {carriers}"
            )
            flags.append(_flag(q, "mangled_name", start, start + len(word), texts, evidence))
    return flags


def _consensus_name(
    name: str, articles_of: dict[str, set[str]], by_word: dict[tuple[int, str], list[str]]
) -> tuple[str, str] | None:
    """The more common name ``name`` mangles, and the mangled word."""
    if name not in articles_of:
        return None
    parts = name.split()
    candidates = {c for i, p in enumerate(parts) for c in by_word[(len(parts), f"{i}:{p}")]}
    for other in sorted(candidates, key=lambda c: (-len(articles_of[c]), c)):
        if other == name or len(articles_of[other]) <= len(articles_of[name]):
            continue
        diff = [(a, b) for a, b in zip(parts, other.split(), strict=True) if a != b]
        if len(diff) == 1 and fuzz.ratio(*diff[0]) >= NAME_SIMILARITY:
            return other, diff[0][0]
    return None


def _flag(q: Quote, kind: str, start: int, end: int, texts: dict[str, str], evidence: str) -> Flag:
    """A flag on ``q``'s article over ``start:end`` of its text."""
    return Flag(
        article_id=q.article_id,
        kind=kind,
        start=start,
        end=end,
        text=texts[q.article_id][start:end],
        evidence=evidence,
    )


def _swap_flags(link: Reuse, pair: AlignedPair, quotes: Sequence[Quote]) -> list[Flag]:
    flags = []
    target = pair.target
    spans = word_spans(target.text)
    surface = [target.text[a:b] for a, b in spans]
    position = 0
    for original, replacement in pair.substitutions:
        located = _locate(surface, replacement.split(), position)
        if located is None:
            continue
        first, last = located
        position = last
        start, end = target.start + spans[first][0], target.start + spans[last - 1][1]
        kind = _swap_kind(original, replacement, start, end, quotes)
        flags.append(
            Flag(
                article_id=link.target_id,
                kind=kind,
                start=start,
                end=end,
                text=replacement,
                evidence=f"{link.kind} copy of {link.source_id}: "
                f"source has “{original}” at {pair.source.start}–{pair.source.end}",
            )
        )
    return flags


def _swap_kind(
    original: str, replacement: str, start: int, end: int, quotes: Sequence[Quote]
) -> str:
    if any(q.start <= start and end <= q.end for q in quotes):
        return "altered_quote"
    if (
        original[:1].isupper()
        and replacement[:1].isupper()
        and fuzz.ratio(original.lower(), replacement.lower()) >= NAME_SIMILARITY
    ):
        return "mangled_name"
    return "substitution"


def _locate(surface: list[str], wanted: list[str], position: int) -> tuple[int, int] | None:
    size = len(wanted)
    for index in range(position, len(surface) - size + 1):
        if surface[index : index + size] == wanted:
            return index, index + size
    return None


def _spam_flags(article: Article) -> list[Flag]:
    flags = []
    for removed in article.removed:
        if removed.reason not in SPAM_REASONS:
            continue
        at = _clean_offset(article, removed.start)
        flags.append(
            Flag(
                article_id=article.id,
                kind="spam_insert",
                start=at,
                end=at,
                text=removed.text.strip(),
                evidence=f"removed by cleaning ({removed.reason}) at raw offset {removed.start}",
            )
        )
    return flags


def _clean_offset(article: Article, raw_offset: int) -> int:
    """The cleaned-text offset where a removed raw span used to be."""
    at = 0
    for clean_start, raw_start, length in article.kept:
        if raw_start >= raw_offset:
            return clean_start
        at = clean_start + length
    return at
