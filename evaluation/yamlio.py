"""Safe, bounded YAML reading with line numbers and duplicate-key detection.

PyYAML's ``safe_load`` silently keeps the last of two equal keys in a mapping
and its full loader can construct Python objects from tags. Here only safe
types are built, a duplicate key is an error naming both lines, and any error
names the file and line.

A YAML file can also be small and ruinous: aliases that refer to aliases (a
"billion laughs" of 440 bytes expands to hundreds of millions of nodes for
whoever walks the result), or nesting thousands of levels deep (a
``RecursionError``). The loader counts, while composing, the nodes every alias
would expand to and the nesting depth, and refuses a document past
:data:`MAX_YAML_NODES` nodes, :data:`MAX_YAML_DEPTH` levels or
:data:`MAX_YAML_BYTES` characters, naming the line where the limit was passed.
A recursive alias (a collection that contains itself) is refused too.

Every YAML input of the toolkit goes through :func:`load_yaml_text` /
:func:`load_yaml_file`: codebooks, ``notebooks/params.yaml`` and ``--params``
files, and ``-p key=value`` values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
from yaml.resolver import Resolver

from .errors import DataError, Problem

__all__ = [
    "load_yaml_file",
    "load_yaml_text",
    "LineDict",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
]

#: Largest YAML document read (characters): a 100,000-code flat codebook is about 10 MB.
MAX_YAML_BYTES = 32 * 1024 * 1024
#: Deepest nesting of collections (a nested codebook uses two levels per code level).
MAX_YAML_DEPTH = 128
#: Most nodes a document may have once every alias is expanded.
MAX_YAML_NODES = 5_000_000

try:  # libyaml's parser when available (fast); the composer is always the counting one below
    from yaml._yaml import CParser as _Events

    _EVENT_BASES: tuple = (_Events,)
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    _EVENT_BASES = (Reader, Scanner, Parser)


class LineDict(dict):
    """A dict that remembers the line of the mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict


class _Refused(Exception):
    def __init__(self, line: int | None, message: str, expected: str) -> None:
        super().__init__(message)
        self.line, self.message, self.expected = line, message, expected


class _BoundedComposer(Composer):
    """A composer that counts expanded nodes and nesting depth as it goes."""

    max_depth = MAX_YAML_DEPTH
    max_nodes = MAX_YAML_NODES

    def _bounds_init(self) -> None:
        self._depth = 0
        self._count = 0
        self._sizes: dict[int, int] = {}

    def _add(self, n: int, mark) -> None:
        self._count += n
        if self._count > self.max_nodes:
            raise _Refused(
                mark.line + 1 if mark is not None else None,
                f"more than {self.max_nodes:,} values once aliases (*name) are expanded",
                f"a document of at most {self.max_nodes:,} values (write repeated parts out"
                " instead of nesting aliases)",
            )

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:
                size = self._sizes.get(id(node))
                if size is None:
                    raise _Refused(
                        event.start_mark.line + 1,
                        f"the alias *{event.anchor} refers to a collection that contains it",
                        "no recursive aliases",
                    )
                self._add(size, event.start_mark)
            return super().compose_node(parent, index)
        before = self._count
        event = self.peek_event()
        self._add(1, event.start_mark)
        collection = self.check_event(SequenceStartEvent, MappingStartEvent)
        if collection:
            self._depth += 1
            if self._depth > self.max_depth:
                raise _Refused(
                    event.start_mark.line + 1,
                    f"nested more than {self.max_depth} levels deep",
                    f"at most {self.max_depth} levels of nesting",
                )
        node = super().compose_node(parent, index)
        if collection:
            self._depth -= 1
        self._sizes[id(node)] = self._count - before
        return node


class _UniqueKeyLoader(_BoundedComposer, *_EVENT_BASES, SafeConstructor, Resolver):  # type: ignore[misc]
    """A safe, bounded loader that refuses duplicate keys."""

    def __init__(self, stream) -> None:
        for base in _EVENT_BASES:
            base.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._bounds_init()


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    key_lines: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not _hashable(key):
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = line
        key_lines[key] = line
    mapping = loader.construct_mapping(node, deep=deep)
    out = LineDict(mapping)
    out.line = node.start_mark.line + 1
    out.key_lines = key_lines
    return out


def _hashable(x) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_text(
    text: str,
    file: str = "<yaml>",
    *,
    max_bytes: int = MAX_YAML_BYTES,
    max_depth: int = MAX_YAML_DEPTH,
    max_nodes: int = MAX_YAML_NODES,
) -> Any:
    """Parse YAML text safely; raise :class:`DataError` with file and line on failure.

    Parameters
    ----------
    text : str
    file : str
        How the document is named in messages.
    max_bytes, max_depth, max_nodes : int
        Limits on the length, the nesting depth and the number of values
        after alias expansion (defaults: the module's constants).

    Examples
    --------
    >>> load_yaml_text("a: 1\\nb: [x, y]\\n")
    {'a': 1, 'b': ['x', 'y']}
    >>> load_yaml_text("a: 1\\na: 2\\n", "x.yaml")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    x.yaml
      x.yaml:2: duplicate key 'a' (first on line 1); expected each key once per mapping
    >>> bomb = "a: &a [x, x]\\nb: &b [*a, *a]\\nc: [*b, *b]\\n"
    >>> load_yaml_text(bomb, "bomb.yaml", max_nodes=15)
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    bomb.yaml
      bomb.yaml:3: more than 15 values once aliases (*name) are expanded; expected ...
    """
    if len(text) > max_bytes:
        raise DataError(
            [
                Problem(
                    file,
                    None,
                    None,
                    f"{len(text):,} characters, more than the limit of {max_bytes:,} for a"
                    " YAML file",
                    f"a YAML file of at most {max_bytes:,} characters",
                )
            ]
        )
    loader = _UniqueKeyLoader(text)
    loader.max_depth, loader.max_nodes = max_depth, max_nodes
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise DataError([Problem(file, exc.line, None, exc.message, exc.expected)]) from None
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
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise DataError(
            [Problem(file, None, None, "nested too deeply", "less deeply nested YAML")]
        ) from None
    finally:
        loader.dispose()


def load_yaml_file(path: str | Path, label: str | None = None, **limits: int) -> Any:
    """Read a UTF-8 YAML file safely and within bounds (see :func:`load_yaml_text`).

    The file must be a regular file of at most ``max_bytes`` bytes
    (:func:`evaluation.textio.read_text`).
    """
    from .textio import read_text

    label = label or str(path)
    max_bytes = limits.get("max_bytes", MAX_YAML_BYTES)
    return load_yaml_text(read_text(path, label, limit=max_bytes), label, **limits)
