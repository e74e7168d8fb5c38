"""Private graph helpers: a union-find over ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=Any)


class UnionFind(Generic[T]):
    """Disjoint sets of sortable ids; the smallest id of a set is its root."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {item: item for item in items}

    def add(self, item: T) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: T) -> T:
        self.add(item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: T, second: T) -> None:
        a, b = sorted((self.find(first), self.find(second)))
        self.parent[b] = a

    def components(self) -> list[list[T]]:
        """The sets, each in insertion order, in order of their first member."""
        groups: dict[T, list[T]] = defaultdict(list)
        for item in self.parent:
            groups[self.find(item)].append(item)
        return list(groups.values())
