"""A pure-Python layered layout for the provenance graph of a brief.

Each copy family is laid out on its own, left to right by generation: an
article sits one column right of the latest article it copies, inferred
upstream articles and cited outlets sit left of what they feed. Within a
column, nodes are ordered by the mean position of their parents (two sweeps
of the barycenter heuristic), and a column holding more than ``MAX_ROWS``
nodes wraps into several sub-columns, so that a wire story republished 150
times stays a few screens tall. Family blocks are then packed into shelves
of at most ``MAX_WIDTH``; articles no reuse touches become a grid of chips.

Edges of a small family are curves. In a big or wrapped family curves would
cross the boxes between their ends, so edges are bundled instead: each source has a
trunk in the gap right of it, edges run along channels in the gaps between
sub-columns and along corridors above and below the rows (never through a
box), and only the last short stub into the target carries the edge's colour
and arrow; the shared part is drawn thin and grey (``PlacedEdge.bus``) and
lights up with the stub on hover.

Everything here is geometry over plain input records (:class:`Node`,
:class:`Edge`); the views it returns hold no markup, the template draws them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

BOX_W, BOX_H, ROW_GAP, LAYER_GAP, SUB_GAP = 188.0, 46.0, 14.0, 96.0, 18.0
CHIP_W, CHIP_H, CHIP_GAP = 188.0, 30.0, 10.0
SMALL_W, SMALL_H, SMALL_GAP = 168.0, 24.0, 8.0  # one-line boxes of big families
MAX_ROWS, MAX_WIDTH, BLOCK_GAP, HEAD, MARGIN = 10, 1120.0, 36.0, 26.0, 8.0
CORRIDOR = 16.0  # room above and below the rows of a wrapped family, for bundled edges
LANES, LANE_GAP, STUB = 6, 7.0, 12.0  # source trunks per layer gap; stub length into a target
LABELLED_NODES = 30  # bigger families: one-line boxes, no edge labels (colour and legend)


@dataclass(frozen=True, slots=True)
class Node:
    """A node to place: an article, an inferred upstream or a cited outlet."""

    id: str
    kind: str  # "article", "upstream" or "outlet"
    line1: str
    line2: str = ""
    tip: str = ""
    href: str = ""
    order: str = ""  # sort key within a column (e.g. the publication date)


@dataclass(frozen=True, slots=True)
class Edge:
    """An edge to draw, ``source`` feeding ``target``; drawn without an arrow
    head when not ``directed`` (the evidence did not order them)."""

    source: str
    target: str
    kind: str
    label: str = ""
    tip: str = ""
    href: str = ""
    directed: bool = True


@dataclass(frozen=True, slots=True)
class PlacedNode:
    x: float
    y: float
    w: float
    h: float
    node: Node


@dataclass(frozen=True, slots=True)
class PlacedEdge:
    path: str
    kind: str
    label: str
    lx: float
    ly: float
    tip: str
    href: str
    bus: str = ""  # the bundled, shared part of the route (grey); ``path`` is the stub
    directed: bool = True


@dataclass(frozen=True, slots=True)
class _Slot:
    """Where a node sits in a wrapped family: its sub-column and the gaps around it."""

    column: int
    gap_before: float
    gap_after: float


@dataclass(slots=True)
class Block:
    """One family (or the grid of unlinked articles), in its own coordinates."""

    title: str
    width: float = 0.0
    height: float = 0.0
    nodes: list[PlacedNode] = field(default_factory=list)
    edges: list[PlacedEdge] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    """The whole drawing: headers ``(x, y, text)``, nodes and edges, and its size."""

    width: float
    height: float
    headers: list[tuple[float, float, str]]
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]


# ---------------------------------------------------------------- one family


def _depths(ids: Sequence[str], edges: Sequence[Edge]) -> dict[str, int]:
    """Longest-path depth from the sources; bounded so that a cycle cannot loop forever."""
    depth = dict.fromkeys(ids, 0)
    pairs = [(e.source, e.target) for e in edges if e.source in depth and e.target in depth]
    for _ in ids:
        changed = False
        for source, target in pairs:
            if depth[target] < depth[source] + 1 < len(ids):
                depth[target] = depth[source] + 1
                changed = True
        if not changed:
            break
    return depth


def _columns(nodes: Sequence[Node], edges: Sequence[Edge]) -> list[list[Node]]:
    """Nodes per generation, each column ordered by the barycenter of its parents."""
    depth = _depths([n.id for n in nodes], edges)
    columns: list[list[Node]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for node in sorted(nodes, key=lambda n: (n.order == "", n.order)):
        columns[depth[node.id]].append(node)
    parents: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        parents[edge.target].append(edge.source)
    for _ in range(2):
        position: dict[str, float] = {}
        for column in columns:
            for i, node in enumerate(column):
                known = [position[p] for p in parents[node.id] if p in position]
                position[node.id] = sum(known) / len(known) if known else float(i)
            column.sort(key=lambda n: position[n.id])
            position.update({n.id: float(i) for i, n in enumerate(column)})
    return [c for c in columns if c]


def _rows_for(columns: list[list[Node]], box_w: float, max_width: float) -> int:
    """The fewest rows (at least ``MAX_ROWS``) that keep the family within ``max_width``."""
    tallest = max(len(c) for c in columns)
    rows = min(MAX_ROWS, tallest)
    while rows < tallest:
        subs = sum(-(-len(c) // rows) for c in columns)
        width = subs * (box_w + SUB_GAP) + (len(columns) - 1) * (LAYER_GAP - SUB_GAP)
        if width <= max_width:
            break
        rows += 1
    return rows


def _place_family(
    title: str, nodes: Sequence[Node], edges: Sequence[Edge], max_width: float
) -> Block:
    """Columns by generation; a big family gets one-line boxes and taller columns."""
    block = Block(title=title)
    columns = _columns(nodes, edges)
    compact = len(nodes) > LABELLED_NODES
    box_w, box_h, gap = (SMALL_W, SMALL_H, SMALL_GAP) if compact else (BOX_W, BOX_H, ROW_GAP)
    rows = _rows_for(columns, box_w, max_width)
    bundled = compact or any(len(c) > rows for c in columns)
    top_pad = CORRIDOR if bundled else 0.0
    full = rows * (box_h + gap) - gap
    x = 0.0
    where: dict[str, PlacedNode] = {}
    slots: dict[str, _Slot] = {}
    sub_index = 0
    for column in columns:
        subs = [column[i : i + rows] for i in range(0, len(column), rows)]
        for k, sub in enumerate(subs):
            top = HEAD + top_pad + (full - (len(sub) * (box_h + gap) - gap)) / 2
            before = SUB_GAP if k else LAYER_GAP
            after = SUB_GAP if k < len(subs) - 1 else LAYER_GAP
            for i, node in enumerate(sub):
                shown = replace(node, line2="") if compact else node
                placed = PlacedNode(x, top + i * (box_h + gap), box_w, box_h, shown)
                where[node.id] = placed
                slots[node.id] = _Slot(sub_index, before if x else 0.0, after)
                block.nodes.append(placed)
            x += box_w + after
            sub_index += 1
    block.width = max(x - LAYER_GAP, len(title) * 8.0)
    block.height = HEAD + full + 2 * top_pad
    if bundled:
        corridors = (HEAD + top_pad / 2, HEAD + top_pad + full + top_pad / 2)
        block.edges = _route_bundled(edges, where, slots, corridors)
    else:
        block.edges = _route(edges, where, labelled=not compact)
    return block


def _route_bundled(
    edges: Sequence[Edge],
    where: dict[str, PlacedNode],
    slots: dict[str, _Slot],
    corridors: tuple[float, float],
) -> list[PlacedEdge]:
    """Orthogonal routes along the gaps of a big family; see the module docstring."""
    sources = sorted({e.source for e in edges if e.source in where}, key=lambda i: where[i].y)
    lane: dict[str, int] = {}
    for source in sources:  # sources of one sub-column take turns over the lanes of its gap
        taken = sum(slots[s].column == slots[source].column for s in lane)
        lane[source] = taken % LANES
    mid = (corridors[0] + corridors[1]) / 2
    placed = []
    for edge in edges:
        if edge.source not in where or edge.target not in where:
            continue
        source, target = where[edge.source], where[edge.target]
        out_slot, in_slot = slots[edge.source], slots[edge.target]
        x1, y1 = source.x + source.w, source.y + source.h / 2
        x2, y2 = target.x, target.y + target.h / 2
        if in_slot.column <= out_slot.column:  # a cycle the depths had to cut: one curve
            x1, y1 = source.x + source.w / 2, source.y + source.h
            controls = f"C{x1:.1f},{y1 + 40:.1f} {x2 - 40:.1f},{y2:.1f}"
            path = f"M{x1:.1f},{y1:.1f} {controls} {x2:.1f},{y2:.1f}"
            placed.append(
                PlacedEdge(path, edge.kind, "", x2, y2, edge.tip, edge.href, "", edge.directed)
            )
            continue
        wide = out_slot.gap_after > 2 * STUB + LANES * LANE_GAP
        trunk = x1 + (STUB + lane[edge.source] * LANE_GAP if wide else out_slot.gap_after / 2)
        entry = x2 - min(STUB, in_slot.gap_before / 2)
        if in_slot.column == out_slot.column + 1:  # nothing in between: straight across
            bus = _polyline([(x1, y1), (trunk, y1), (trunk, y2), (entry, y2)])
        else:  # over (or under) the sub-columns in between, along a corridor
            corridor = corridors[0] if y1 + y2 < 2 * mid else corridors[1]
            points = [(x1, y1), (trunk, y1), (trunk, corridor), (entry, corridor), (entry, y2)]
            bus = _polyline(points)
        stub = _polyline([(entry, y2), (x2, y2)])
        placed.append(
            PlacedEdge(stub, edge.kind, "", x2, y2, edge.tip, edge.href, bus, edge.directed)
        )
    return placed


def _route(
    edges: Sequence[Edge], where: dict[str, PlacedNode], *, labelled: bool
) -> list[PlacedEdge]:
    """Curves from the right side of each source to the left side of its target.

    Several edges into one node end at spread-out points on its left side, and
    their labels sit just before those ends, where the curves are level.
    """
    incoming: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        if edge.source in where and edge.target in where:
            incoming[edge.target].append(edge)
    placed = []
    for target_id, group in incoming.items():
        target = where[target_id]
        group.sort(key=lambda e: where[e.source].y)
        for k, edge in enumerate(group):
            source = where[edge.source]
            spread = (k - (len(group) - 1) / 2) * min(14.0, (target.h - 8) / max(len(group), 1))
            x1, y1 = source.x + source.w, source.y + source.h / 2
            x2, y2 = target.x, target.y + target.h / 2 + spread
            if x2 <= x1:  # same or earlier column (a cycle the depths had to cut)
                x1, y1 = source.x + source.w / 2, source.y + source.h
                c1, c2 = f"{x1:.1f},{y1 + 40:.1f}", f"{x2 - 40:.1f},{y2:.1f}"
                path = f"M{x1:.1f},{y1:.1f} C{c1} {c2} {x2:.1f},{y2:.1f}"
            else:
                mid = (x1 + x2) / 2
                path = (
                    f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
                )
            label = edge.label if labelled and len(group) <= 3 else ""
            placed.append(
                PlacedEdge(
                    path, edge.kind, label, x2 - 6, y2 - 4, edge.tip, edge.href, "", edge.directed
                )
            )
    return placed


def _polyline(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'L' if i else 'M'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))


# ---------------------------------------------------------------- unlinked articles


def _place_singles(title: str, nodes: Sequence[Node], width: float) -> Block:
    per_row = max(1, int((width + CHIP_GAP) // (CHIP_W + CHIP_GAP)))
    per_row = min(per_row, len(nodes))
    block = Block(title=title)
    for i, node in enumerate(nodes):
        row, col = divmod(i, per_row)
        y = HEAD + row * (CHIP_H + CHIP_GAP)
        block.nodes.append(PlacedNode(col * (CHIP_W + CHIP_GAP), y, CHIP_W, CHIP_H, node))
    rows = (len(nodes) + per_row - 1) // per_row
    block.width = max(per_row * (CHIP_W + CHIP_GAP) - CHIP_GAP, len(title) * 8.0)
    block.height = HEAD + rows * (CHIP_H + CHIP_GAP) - CHIP_GAP
    return block


# ---------------------------------------------------------------- the whole drawing


def layout(
    families: Sequence[tuple[str, Sequence[Node], Sequence[Edge]]],
    singles: Sequence[Node] = (),
    *,
    singles_title: str = "no reuse found",
    max_width: float = MAX_WIDTH,
) -> Layout:
    """Lay out ``families`` (title, nodes, edges) and then the ``singles``, shelf by shelf."""
    blocks = [_place_family(t, n, e, max_width) for t, n, e in families if n]
    if singles:
        blocks.append(_place_singles(singles_title, singles, max_width))
    headers: list[tuple[float, float, str]] = []
    nodes: list[PlacedNode] = []
    edges: list[PlacedEdge] = []
    x = y = shelf = width = 0.0
    for block in blocks:
        if x and x + block.width > max_width:
            x, y, shelf = 0.0, y + shelf + BLOCK_GAP, 0.0
        dx, dy = MARGIN + x, MARGIN + y
        headers.append((dx, dy + 14, block.title))
        nodes += [_moved(p, dx, dy) for p in block.nodes]
        edges += [_moved_edge(e, dx, dy) for e in block.edges]
        x += block.width + BLOCK_GAP
        shelf = max(shelf, block.height)
        width = max(width, x - BLOCK_GAP)
    return Layout(
        width=width + 2 * MARGIN,
        height=(y + shelf + 2 * MARGIN) if blocks else 0.0,
        headers=headers,
        nodes=nodes,
        edges=edges,
    )


def _moved(p: PlacedNode, dx: float, dy: float) -> PlacedNode:
    return PlacedNode(p.x + dx, p.y + dy, p.w, p.h, p.node)


def _moved_edge(e: PlacedEdge, dx: float, dy: float) -> PlacedEdge:
    bus = _shift_path(e.bus, dx, dy) if e.bus else ""
    return replace(e, path=_shift_path(e.path, dx, dy), lx=e.lx + dx, ly=e.ly + dy, bus=bus)


def _shift_path(path: str, dx: float, dy: float) -> str:
    """Move every ``x,y`` point of an ``M``/``C`` path by ``(dx, dy)``."""
    out = []
    for token in path.split(" "):
        command = token[0] if token[0].isalpha() else ""
        x, y = token[len(command) :].split(",")
        out.append(f"{command}{float(x) + dx:.1f},{float(y) + dy:.1f}")
    return " ".join(out)
