"""YAML loading that remembers where every value came from (file and line).

``load_with_lines(path)`` returns the parsed data and a map from a path of keys/indices
(e.g. ('indicators', 3, 'unit')) to its 1-based line, so a validation error can point at the line
an analyst must fix. Duplicate keys — silently merged by plain YAML loaders — are errors here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class CatalogError(ValueError):
    """A catalog or framework file is wrong; the message starts with ``file:line``."""

    def __init__(self, file: str | Path, line: int | None, message: str):
        self.file, self.line, self.detail = str(file), line, message
        super().__init__(f"{file}:{line if line is not None else '?'}: {message}")


Lines = dict[tuple, int]


def _walk(node: yaml.Node, path: tuple, lines: Lines, file: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise CatalogError(file, key_node.start_mark.line + 1,
                                   f"duplicate key {key!r} (first on line {seen[key]})")
            seen[key] = key_node.start_mark.line + 1
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, file)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, path + (i,), lines, file)


def parse_with_lines(text: str, file: str | Path = "<string>") -> tuple[Any, Lines]:
    """Parse YAML text; returns (data, lines)."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise CatalogError(file, mark.line + 1 if mark else None, f"YAML syntax: {exc.problem or exc}") from None
        if node is None:
            return None, {}
        lines: Lines = {}
        _walk(node, (), lines, str(file))
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return data, lines


def load_with_lines(path: str | Path) -> tuple[Any, Lines]:
    path = Path(path)
    return parse_with_lines(path.read_text(encoding="utf-8"), path)


def line_of(lines: Lines, loc: tuple) -> int | None:
    """The line of ``loc`` or of its nearest ancestor that has one."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
