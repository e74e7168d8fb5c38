"""A synthetic news corpus with known copy graphs, for benchmarks and tests.

Every word of every article is produced here from small hand-written word
lists and templates: nothing is copied from real text. A corpus is a list of
stories; each story has made-up entities (people, an organisation, a place,
numbers) and a list of facts, and its articles are:

* an **original** that renders the story's facts as ~``words`` words;
* **verbatim** copies (with a credit line), **abridged** copies (a subset of
  the paragraphs plus an editor's line), **spun** copies (words swapped from
  the synonym table at ``spin_rate``) and **rewritten** copies (each kept fact
  re-rendered with another template, synonyms swapped in, some facts dropped);
* **independent** reports of the same story (other facts, their own
  templates, the same names: they must not be linked);
* **rome-like** pairs: two copies of an upstream article that is *not* in
  the corpus (another outlet's report: the story's names, its own
  sentences), one spun with an extra paragraph, one abridged with an
  editor's line, whose word-shingle Jaccard is low (≈0.15–0.25).

With ``topical`` > 0 each story also gets its own vocabulary: that share of
the distinct lower-case words of five letters or more in its articles is
renamed, the same way in all of them, to made-up words (so copies stay
copies). Without it every story is told with the same templates and only
the names tell stories apart, the hard case for reuse detection but not
how a newsroom's feed of different events reads; the story-level
benchmarks use ``topical``.

``generate(n, seed=0)`` returns a ``Corpus``: the articles (``id``, ``text``,
``published``) and the planted ``relations`` ``(source, target, kind)``,
with ``kind`` in verbatim|abridged|spun|rewritten|shared_upstream. The same
``n`` and ``seed`` always give the same corpus.

Usage::

    python benchmarks/synthetic.py 1000 --out /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

SYLLABLES = (
    "ka lo ve ri sa mon dar el tan bre vik ol ru sen ta mar go len ish fa dor ne pal "
    "ost wen hal qui zor bel tor mi ra"
).split()
FIRST_NAMES = "Ana Boris Cleo Dario Edda Femi Goran Hana Ivo Jana Kofi Lena Milo Nora Otto".split()
NOUNS = (
    "bridge factory harbour school hospital council union company ministry court station "
    "tunnel reservoir market airport railway prison stadium museum library refinery mine"
).split()
EVENTS = (
    "fire flood strike collapse outage protest explosion shortage closure leak accident delay"
).split()
SYNONYMS = {
    "said": ("stated", "remarked"),
    "official": ("manager", "authority figure"),
    "officials": ("authorities", "administrators"),
    "workers": ("employees", "labourers"),
    "injured": ("harmed", "wounded"),
    "damaged": ("harmed", "impaired"),
    "began": ("started", "commenced"),
    "warned": ("cautioned", "alerted"),
    "investigation": ("inquiry", "probe"),
    "inspected": ("examined", "checked"),
    "residents": ("locals", "inhabitants"),
    "closed": ("shut", "sealed"),
    "rapidly": ("quickly", "swiftly"),
    "large": ("big", "huge"),
    "small": ("little", "minor"),
    "announced": ("declared", "revealed"),
    "building": ("structure", "edifice"),
    "reported": ("recorded", "noted"),
    "night": ("evening", "dusk"),
    "early": ("premature", "first"),
    "repair": ("fix", "mend"),
    "costs": ("expenses", "outlays"),
    "help": ("aid", "assist"),
    "safety": ("security", "protection"),
    "week": ("seven days", "sennight"),
    "people": ("persons", "folks"),
    "area": ("zone", "region"),
    "police": ("cops", "constabulary"),
    "spokesperson": ("representative", "mouthpiece"),
    "emergency": ("crisis", "urgent situation"),
    "damage": ("harm", "destruction"),
    "serious": ("severe", "grave"),
    "problem": ("issue", "trouble"),
    "response": ("reaction", "reply"),
    "plans": ("schemes", "proposals"),
    "city": ("town", "metropolis"),
}
TEMPLATES = (
    "{who} said the {event} at the {place} {noun} began early on {day}.",
    "At least {n} people were injured when the {event} damaged the {noun} in {place}, {who} said.",
    "The {org} announced that repair costs could reach {n} million, according to {who}.",
    "Residents near the {noun} were warned to stay away while officials inspected the area.",
    "{who} warned that the {noun} had a serious safety problem for {n} weeks before the {event}.",
    "Police closed the roads around the {place} {noun} on {day} night as crews arrived.",
    "The {org} said an investigation into the {event} would report within {n} days.",
    "Workers at the {noun} reported a small {event} the week before, {who} said.",
    "The emergency response in {place} was large and rapid, the city spokesperson said.",
    "{who} said the {org} would publish its plans for the {noun} after the investigation.",
    "Local officials said {n} families had been moved from homes near the {noun}.",
    "The {org} had inspected the {noun} in {month}, {who} said, and found no damage.",
)
REWRITE_TEMPLATES = (
    "According to {who}, the {event} that hit the {noun} in {place} started on {day}.",
    "{n} people were hurt in the {event} at the {place} {noun}, according to {who}.",
    "Repairs may cost as much as {n} million, the {org} announced, {who} said.",
    "Officials who inspected the area told people living near the {noun} to keep away.",
    "For {n} weeks before the {event}, the {noun} had a safety problem, {who} warned.",
    "Crews arrived on {day} night and police shut the roads near the {noun} in {place}.",
    "A report on the {event} is due from the {org} inside {n} days.",
    "A week earlier staff had reported a minor {event} at the {noun}, according to {who}.",
    "A city spokesperson described a big and quick emergency response in {place}.",
    "Once the investigation ends, the {org} will make its {noun} plans public, said {who}.",
    "Families numbering {n} were moved out of homes close to the {noun}, officials said.",
    "No damage was found when the {org} checked the {noun} in {month}, according to {who}.",
)
INDEPENDENT_TEMPLATES = (
    "Our reporter in {place} saw smoke above the {noun} shortly after the {event} on {day}.",
    "Witnesses told this newspaper that about {n} cars queued outside the {place} {noun}.",
    "In an interview, {who} blamed years of underfunding by the {org} for the {event}.",
    "Insurers in {place} expect claims linked to the {event} to pass {n} thousand.",
    "Shops close to the {noun} in {place} stayed open, though trade fell by half, owners said.",
    "A petition calling for a public hearing on the {event} gathered {n} hundred signatures.",
    "Video shared online by {who} showed the {noun} moments after the {event}.",
    "{who} spoke to us by telephone and described the scene at the {noun} as chaotic.",
    "Schools in {place} sent pupils home early, and {n} buses were rerouted.",
    "Records seen by this newspaper show the {org} delayed maintenance at the {noun} in {month}.",
    "Opposition councillors in {place} demanded a vote on the {org}'s budget within {n} days.",
    "Volunteers handed out water near the {noun} until late on {day}, {who} told us.",
)
SECOND_INDEPENDENT_TEMPLATES = (
    "Speaking outside the {noun}, {who} asked the {org} to explain what went wrong.",
    "Traffic across {place} was still slow on {day}, with detours around the {noun}.",
    "The {event} is the {n}th incident of its kind in {place} since records began, {who} noted.",
    "Engineers hired by the {org} were seen photographing the {noun} on {day} afternoon.",
    "Parents in {place} collected {n} children from a nursery beside the {noun}.",
    "{who} wrote on social media that the {org} had ignored earlier complaints.",
    "Hotels in {place} offered rooms to {n} displaced families at no charge.",
    "A local radio station in {place} broadcast updates about the {event} through the night.",
    "The {org} has not said when the {noun} will reopen, {who} complained.",
    "Lawyers for {n} residents of {place} said they were preparing a claim against the {org}.",
    "Churches in {place} held services for those affected by the {event} on {day}.",
    "Photographs taken by {who} show cracks in the walls of the {noun} as early as {month}.",
)
UPSTREAM_TEMPLATES = (
    "Residents said the {event} at the {noun} in {place} began early on {day}, {who} reported.",
    "{who} said repair costs for the {org} could be large, perhaps {n} million.",
    "Emergency workers said {n} people were injured and the building was seriously damaged.",
    "Officials announced an investigation on {day} night into safety at the {noun}, {who} said.",
    "Police warned residents near the {noun} that the area would stay closed for a week.",
    "{who} said the safety problem at the {noun} was reported in {month} but never repaired.",
    "Workers had reported a small problem {n} times, officials said, according to {who}.",
    "The {org} spokesperson said the response was rapid and that plans would be announced.",
    "{who} warned the city council that the damage in {place} was serious.",
    "At night about {n} police officers guarded the damaged {noun}, {who} said.",
    "Officials said repair of the {noun} in {place} may take {n} weeks, {who} warned.",
    "The city announced help for {n} people whose homes were damaged, {who} said on {day}.",
)
SPUN_EXTRAS = (
    "This website asked the {org} for comment on the {event} and had no reply by the time of "
    "publication.",
    "More on the {event} in {place} will follow on this page as our team learns it.",
    "Readers can send their pictures of the {noun} and their own accounts to our team by email.",
)
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October".split()
EDITOR_LINES = (
    "{place} has been the subject of several reports in this newspaper over the past year.",
    "Readers with information about the {event} can contact our newsroom.",
)


@dataclass
class SyntheticArticle:
    """One generated article."""

    id: str
    text: str
    published: str
    story: int
    role: str


@dataclass
class Corpus:
    """Generated articles and the copy relations planted among them."""

    articles: list[SyntheticArticle] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)


def generate(
    n: int,
    *,
    seed: int = 0,
    words: int = 600,
    spin_rate: float = 0.35,
    rome_share: float = 0.2,
    topical: float = 0.0,
) -> Corpus:
    """Make about ``n`` articles in stories of 3–7 with planted copy relations."""
    rng = random.Random(seed)
    corpus = Corpus()
    story = 0
    while len(corpus.articles) < n:
        first = len(corpus.articles)
        _story(corpus, story, rng, words=words, spin_rate=spin_rate, rome_share=rome_share)
        if topical > 0:
            _rename_words(corpus.articles[first:], random.Random(f"{seed}-{story}"), topical)
        story += 1
    keep = {a.id for a in corpus.articles[:n]}
    corpus.articles = corpus.articles[:n]
    corpus.relations = [r for r in corpus.relations if r[0] in keep and r[1] in keep]
    return corpus


def _story(
    corpus: Corpus,
    story: int,
    rng: random.Random,
    *,
    words: int,
    spin_rate: float,
    rome_share: float,
) -> None:
    entities = _entities(rng)
    facts = [_fact(rng, entities, i) for i in range(max(8, words // 14))]
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=7 * story)
    clock = iter(start + timedelta(minutes=40 * i) for i in range(100))

    def add(role: str, paragraphs: list[str]) -> str:
        article_id = f"s{story:06d}-{role}-{len(corpus.articles)}"
        text = entities["headline"] + "\n\n" + "\n\n".join(paragraphs) + "\n"
        corpus.articles.append(
            SyntheticArticle(article_id, text, next(clock).isoformat(), story, role)
        )
        return article_id

    if rng.random() < rome_share:
        their_facts = [_fact(rng, entities, i + 3) for i in range(len(facts))]
        upstream = _render(their_facts, UPSTREAM_TEMPLATES, rng)
        extra = " ".join(line.format(**entities) for line in SPUN_EXTRAS)
        # these templates hold more swappable words: 0.8 gives 3-word Jaccard 0.16-0.26
        spun = _spin(upstream, rng, spin_rate * 0.8) + [extra]
        kept = [p for i, p in enumerate(upstream) if i % 3 != 2]
        left = add("rome-spun", spun)
        right = add("rome-abridged", kept + [_editor_line(entities, rng)])
        corpus.relations.append((left, right, "shared_upstream"))
    original = _render(facts, TEMPLATES, rng)
    source = add("original", original)
    kinds = rng.sample(["verbatim", "abridged", "spun", "rewritten"], k=rng.randint(1, 3))
    for kind in kinds:
        target = add(kind, _derive(kind, original, facts, entities, rng, spin_rate))
        corpus.relations.append((source, target, kind))
    for templates in (INDEPENDENT_TEMPLATES, SECOND_INDEPENDENT_TEMPLATES)[: rng.randint(1, 2)]:
        others = [_fact(rng, entities, i + 5) for i in range(len(facts) // 2)]
        add("independent", _render(others, templates, rng))


def _derive(
    kind: str,
    original: list[str],
    facts: list[dict[str, str]],
    entities: dict[str, str],
    rng: random.Random,
    spin_rate: float,
) -> list[str]:
    if kind == "verbatim":
        return original + ["This article first appeared on the wire of the news agency."]
    if kind == "abridged":
        cut = max(2, int(len(original) * rng.uniform(0.5, 0.8)))
        return original[:cut] + [_editor_line(entities, rng)]
    if kind == "spun":
        return _spin(original, rng, spin_rate)
    kept = [f for f in facts if rng.random() < 0.7]
    return _spin(_render(kept, REWRITE_TEMPLATES, rng), rng, 0.2)


_LONG_WORD = re.compile(r"\b[a-z]{5,}\b")


def _rename_words(articles: list[SyntheticArticle], rng: random.Random, share: float) -> None:
    """Rename ``share`` of the story's long lower-case words (and their capitalised
    forms) to made-up words, consistently across its articles."""
    found = sorted({w for a in articles for w in _LONG_WORD.findall(a.text)})
    chosen = [w for w in found if rng.random() < share]
    renamed = {w: "".join(rng.choice(SYLLABLES) for _ in range(3)).lower() for w in chosen}
    renamed |= {w.capitalize(): new.capitalize() for w, new in renamed.items()}
    if not renamed:
        return
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, renamed)) + r")\b")
    for article in articles:
        article.text = pattern.sub(lambda m: renamed[m.group(0)], article.text)


def _entities(rng: random.Random) -> dict[str, str]:
    def name() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    place = name()
    entities = {
        "place": place,
        "org": f"{place} {rng.choice(['Port Authority', 'Water Board', 'Transit Agency'])}",
        "noun": rng.choice(NOUNS),
        "event": rng.choice(EVENTS),
        "people": "|".join(f"{rng.choice(FIRST_NAMES)} {name()}" for _ in range(3)),
    }
    entities["headline"] = f"{entities['event'].capitalize()} at {place} {entities['noun']}"
    return entities


def _fact(rng: random.Random, entities: dict[str, str], index: int) -> dict[str, str]:
    who = rng.choice(entities["people"].split("|"))
    role = rng.choice(["spokesperson", "engineer", "mayor", "union leader", "inspector"])
    return {
        "template": str((index * 5 + rng.randrange(2)) % len(TEMPLATES)),
        "who": f"{role} {who}",
        "place": entities["place"],
        "org": entities["org"],
        "noun": entities["noun"],
        "event": entities["event"],
        "n": str(rng.randint(2, 90)),
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
    }


def _render(
    facts: list[dict[str, str]], templates: tuple[str, ...], rng: random.Random
) -> list[str]:
    sentences = []
    for fact in facts:
        text = templates[int(fact["template"]) % len(templates)].format(**fact)
        sentences.append(text[0].upper() + text[1:])
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + step]))
        i += step
    return paragraphs


def _spin(paragraphs: list[str], rng: random.Random, rate: float) -> list[str]:
    out = []
    for paragraph in paragraphs:
        tokens = paragraph.split(" ")
        for i, token in enumerate(tokens):
            bare = token.strip(".,").lower()
            if bare in SYNONYMS and rng.random() < rate * 2.5:
                swap = rng.choice(SYNONYMS[bare])
                swap = swap.capitalize() if token[:1].isupper() else swap
                tokens[i] = token.replace(token.strip(".,"), swap)
        out.append(" ".join(tokens))
    return out


def _editor_line(entities: dict[str, str], rng: random.Random) -> str:
    return rng.choice(EDITOR_LINES).format(**entities)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    corpus = generate(args.n, seed=args.seed)
    lines = [json.dumps(a.__dict__) for a in corpus.articles]
    lines += [json.dumps({"relation": list(r)}) for r in corpus.relations]
    if args.out == "-":
        print("\n".join(lines))
    else:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
