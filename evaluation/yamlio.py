"""Safe YAML reading with line numbers and duplicate-key detection.

PyYAML's ``safe_load`` silently keeps the last of two equal keys in a mapping
and its full loader can construct Python objects from tags. Here only safe
types are built, a duplicate key is an error naming both lines, and any error
names the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem

__all__ = ["load_yaml_file", "load_yaml_text", "LineDict"]


class LineDict(dict):
    """A dict that remembers the line of the mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = line
    mapping = loader.construct_mapping(node, deep=deep)
    out = LineDict(mapping)
    out.line = node.start_mark.line + 1
    out.key_lines = {
        k: n.start_mark.line + 1
        for n, _ in node.value
        for k in [loader.construct_object(n, deep=True)]
        if _hashable(k)
    }
    return out


def _hashable(x) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_text(text: str, file: str = "<yaml>") -> Any:
    """Parse YAML text safely; raise :class:`DataError` with file and line on failure.

    >>> load_yaml_text("a: 1\\nb: [x, y]\\n")
    {'a': 1, 'b': ['x', 'y']}
    >>> load_yaml_text("a: 1\\na: 2\\n", "x.yaml")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    x.yaml
      x.yaml:2: duplicate key 'a' (first on line 1); expected each key once per mapping
    """
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in problem:
            expected = "plain YAML (tags that construct objects are not allowed)"
        elif "duplicate key" in problem:
            expected = "each key once per mapping"
        else:
            expected = "valid YAML"
        raise DataError([Problem(file, line, None, problem, expected)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(file, None, None, str(exc), "valid YAML")]) from None


def load_yaml_file(path: str | Path) -> Any:
    """Read a UTF-8 YAML file safely (see :func:`load_yaml_text`)."""
    from .textio import read_text

    return load_yaml_text(read_text(path), str(path))
