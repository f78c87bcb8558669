"""Reading a workflow as YAML nodes, which keep their source positions.

`yaml.compose` (safe) gives the node graph before construction: mapping keys stay strings (so
`on:` is not turned into `True`), and every node carries start and end marks whose `index` is a
character offset into the text, which is what findings and fixes need.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "Span", "compose", "entry"]


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column, end exclusive, as findings use."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, node: Node) -> Span:
        start, end = node.start_mark, node.end_mark
        return cls(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def compose(text: str) -> Node | None:
    """The document's root node, or None for an empty file. Raises yaml.YAMLError."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def entry(node: Node | None, key: str) -> tuple[ScalarNode, Node] | None:
    """The (key node, value node) pair for `key` in a mapping node, else None."""
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def value(node: Node | None, key: str) -> Node | None:
    found = entry(node, key)
    return found[1] if found else None


def scalar(node: Node | None, key: str) -> str | None:
    """The string value of `key` when it is a scalar."""
    found = value(node, key)
    return found.value if isinstance(found, ScalarNode) else None


def mapping_items(node: Node | None) -> list[tuple[ScalarNode, Node]]:
    if not isinstance(node, MappingNode):
        return []
    return [(key, val) for key, val in node.value if isinstance(key, ScalarNode)]


def sequence_items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []
