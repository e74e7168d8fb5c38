"""The provenance graph of one story: which nodes and edges to draw.

Turns the records of a brief into the plain nodes and edges of
``_graph_layout``: one block per copy family, with

* an article node per member (label, outlet, date, title);
* a reuse edge per ``Reuse`` link, copied-from article to copy, linking to its
  side-by-side view (``#reuse-<n>``);
* one "unseen upstream" node per group of articles linked by
  ``shared_upstream`` (the article they share is not in the corpus);
* a ``cites`` edge from the article of a cited outlet to the citing article,
  or from an outlet node when the cited outlet has no article in the family
  (taken from the brief's provenance graph, ``publishes``/``cites`` edges).

Articles no reuse touches become chips in a grid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from newstrace.model import Brief, Reuse
from newstrace.report._graph_layout import Edge, Layout, Node, layout
from newstrace.report._view import Edges, shorten


class Ref(Protocol):
    label: str
    outlet: str
    title: str
    published: str
    href: str


def story_graph(
    brief: Brief,
    groups: Sequence[tuple[tuple[str, ...], Edges]],
    singles: Sequence[str],
    ref: Callable[[str], Ref],
    cite_href: Callable[[str, str], str],
) -> Layout:
    """Lay out the families ``groups`` (members, indexed reuse edges) and the ``singles``."""
    cites = _cites(brief)
    families = []
    for n, (family, edges) in enumerate(groups, start=1):
        nodes = {a: _article_node(ref(a)) for a in family}
        lines = _reuse_edges(edges, nodes)
        lines += _cite_edges(family, cites, nodes, ref, cite_href)
        lines = _dedup(lines)
        title = f"family {n} · {len(family)} articles"
        families.append((title, list(nodes.values()), lines))
    chips = [_article_node(ref(a), chip=True) for a in singles]
    title = "no reuse found"
    return layout(families, chips, singles_title=title)


def _article_node(ref: Ref, *, chip: bool = False) -> Node:
    line1 = f"{ref.label} · {ref.outlet or ref.title}"
    date = ref.published[:16].replace("T", " ")
    tip = " · ".join(p for p in (ref.label, ref.outlet, ref.title, ref.published) if p)
    if chip:
        return Node(ref.href, "single", shorten(line1, 23), "", tip, ref.href, ref.published)
    line2 = shorten(f"{date[5:]} · {ref.title}" if date else ref.title, 28)
    return Node(ref.href, "article", shorten(line1, 23), line2, tip, ref.href, ref.published)


def _dedup(lines: list[Edge]) -> list[Edge]:
    """One edge per (source, target, kind); cites edges lose their label when a
    node has many incoming edges, the colour and the legend tell them apart."""
    unique = list({(e.source, e.target, e.kind): e for e in lines}.values())
    incoming: dict[str, int] = defaultdict(int)
    for edge in unique:
        incoming[edge.target] += 1
    return [
        replace(e, label="") if e.kind == "cites" and incoming[e.target] > 1 else e for e in unique
    ]


def _reuse_edges(edges: Edges, nodes: dict[str, Node]) -> list[Edge]:
    """Directed reuse edges, and shared-upstream groups drawn through an upstream node."""
    lines: list[Edge] = []
    shared: dict[str, set[str]] = {}
    for index, edge in edges:
        if edge.kind == "shared_upstream":
            group = shared.get(edge.source_id, {edge.source_id}) | shared.get(
                edge.target_id, {edge.target_id}
            )
            for member in group:
                shared[member] = group
            continue
        lines.append(_edge(edge, index, nodes))
    groups = {id(g): g for g in shared.values()}.values()
    for members in groups:
        ordered = sorted(nodes[m].order or "~" for m in members)
        upstream = Node(
            f"upstream-{min(members)}",
            "upstream",
            "unseen upstream",
            shorten(f"shared by {len(members)} articles", 30),
            "an article these copies share, not in the corpus",
            order=ordered[0],
        )
        nodes[upstream.id] = upstream
        for member in members:
            lines.append(
                Edge(upstream.id, nodes[member].id, "shared_upstream", "shared", "shared upstream")
            )
    return lines


def _edge(edge: Reuse, index: int, nodes: dict[str, Node]) -> Edge:
    kind = edge.kind.replace("_", " ")
    directed = not edge.undecided
    direction = (
        f"direction confidence {edge.direction_confidence:.2f}"
        if directed
        else "direction undecided"
    )
    tip = f"{kind} · score {edge.score:.2f} · {direction}"
    return Edge(
        nodes[edge.source_id].id,
        nodes[edge.target_id].id,
        edge.kind,
        kind,
        tip,
        f"#reuse-{index}",
        directed,
    )


def _cites(brief: Brief) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Per citing article: ``(outlet node id, outlet name, articles it publishes)``."""
    names = {n.id: n.label for n in getattr(brief, "graph_nodes", ())}
    publishes: dict[str, list[str]] = defaultdict(list)
    cited: dict[str, list[str]] = defaultdict(list)
    for e in getattr(brief, "graph_edges", ()):
        if e.kind == "publishes" and e.target.startswith("article:"):
            publishes[e.source].append(e.target.removeprefix("article:"))
        elif e.kind == "cites" and e.source.startswith("article:"):
            cited[e.source.removeprefix("article:")].append(e.target)
    return {
        article: [(o, names.get(o, o.removeprefix("outlet:")), publishes[o]) for o in outlets]
        for article, outlets in cited.items()
    }


def _cite_edges(
    family: Sequence[str],
    cites: dict[str, list[tuple[str, str, list[str]]]],
    nodes: dict[str, Node],
    ref: Callable[[str], Ref],
    cite_href: Callable[[str, str], str],
) -> list[Edge]:
    lines: list[Edge] = []
    members = set(family)
    for article in family:
        for outlet_id, name, published in cites.get(article, ()):
            href = cite_href(article, name)
            tip = f"{ref(article).label} cites {name}"
            inside = [p for p in published if p in members and p != article]
            if article in published:
                continue  # an outlet citing itself
            if inside:
                for source in inside:
                    lines.append(
                        Edge(nodes[source].id, nodes[article].id, "cites", "cites", tip, href)
                    )
                continue
            if outlet_id not in nodes:
                nodes[outlet_id] = Node(
                    outlet_id, "outlet", shorten(name, 26), "cited outlet", f"cited outlet: {name}"
                )
            lines.append(Edge(outlet_id, nodes[article].id, "cites", "cites", tip, href))
    return lines
