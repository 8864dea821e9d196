"""Safe, bounded YAML reading with line numbers and duplicate-key detection.

PyYAML's ``safe_load`` silently keeps the last of two equal keys in a mapping
and its full loader can construct Python objects from tags. Here only safe
types are built, a duplicate key is an error naming both lines, and any error
names the file and line.

A YAML file can also be small and ruinous: aliases that refer to aliases (a
"billion laughs" of 440 bytes expands to hundreds of millions of values for
whoever walks the result), or nesting thousands of levels deep (a
``RecursionError``). Objects are built straight from the parser's events
(libyaml's when available), without recursion and without PyYAML's node graph;
while reading, every value counts once and an alias as many values as its
anchor holds, and a document past :data:`MAX_YAML_NODES` values,
:data:`MAX_YAML_DEPTH` levels or :data:`MAX_YAML_BYTES` bytes is refused, naming
the line where the limit was passed. A recursive alias (a collection that
contains itself) is refused too. Only the YAML 1.1 scalar types, lists and
mappings (with ``<<`` merge keys) are built; any other tag is refused.

Every YAML input of the toolkit goes through :func:`load_yaml_text` /
:func:`load_yaml_file`: codebooks, ``notebooks/params.yaml`` and ``--params``
files, and ``-p key=value`` values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
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

#: Largest YAML document read (bytes): a flat codebook of 100,000 codes is about 6 MB.
MAX_YAML_BYTES = 16 * 1024 * 1024
#: Deepest nesting of collections (a nested codebook uses two levels per code level).
MAX_YAML_DEPTH = 128
#: Most nodes a document may have once every alias is expanded.
MAX_YAML_NODES = 2_000_000

try:  # libyaml's parser when available (fast); objects are built from its events below
    from yaml._yaml import CParser as _Events

    _EVENT_BASES: tuple = (_Events,)
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    _EVENT_BASES = (Reader, Scanner, Parser)

_SEQ, _MAP, _MERGE = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge"
_NO_KEY = object()


class LineDict(dict):
    """A dict that remembers the line of the mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict


class _Refused(Exception):
    def __init__(self, line: int | None, message: str, expected: str) -> None:
        super().__init__(message)
        self.line, self.message, self.expected = line, message, expected


class _EventLoader(*_EVENT_BASES, SafeConstructor, Resolver):  # type: ignore[misc]
    """The parser's events, the resolver and the safe scalar constructors, nothing else."""

    def __init__(self, stream) -> None:
        for base in _EVENT_BASES:
            base.__init__(self, stream)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


class _Frame:
    __slots__ = ("value", "anchor", "before", "key", "key_line", "merges", "line")

    def __init__(self, value, anchor, before, line) -> None:
        self.value, self.anchor, self.before, self.line = value, anchor, before, line
        self.key, self.key_line, self.merges = _NO_KEY, 0, []


def _build(loader: _EventLoader, max_depth: int, max_nodes: int) -> Any:
    """Python objects straight from the parser's events, iteratively and within bounds.

    No node graph is kept (PyYAML's composer holds one for the whole document, a few
    hundred bytes per value) and nothing recurses, so depth costs no stack. Every value
    counts once, an alias as many values as its anchor holds, so a document that expands
    past ``max_nodes`` is refused while it is read; a recursive alias is refused.
    """
    anchors: dict[str, Any] = {}
    sizes: dict[str, int] = {}
    stack: list[_Frame] = []
    count = 0
    result: Any = None

    def add(n: int, mark) -> None:
        nonlocal count
        count += n
        if count > max_nodes:
            raise _Refused(
                mark.line + 1,
                f"more than {max_nodes:,} values once aliases (*name) are expanded",
                f"a document of at most {max_nodes:,} values (write repeated parts out"
                " instead of nesting aliases)",
            )

    def emit(value: Any, line: int, mark) -> None:
        nonlocal result
        if not stack:
            result = value
            return
        top = stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.key is _NO_KEY:
            if value is not _MERGE and not _hashable(value):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", None, "found an unhashable key", mark
                )
            top.key, top.key_line = value, line
        else:
            key, top.key = top.key, _NO_KEY
            if key is _MERGE:
                merged = value if isinstance(value, list) else [value]
                if not all(isinstance(m, dict) for m in merged):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        None,
                        "expected a mapping or list of mappings for merging",
                        mark,
                    )
                top.merges.extend(merged)
                return
            d = top.value
            if key in d.key_lines:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {d.key_lines[key]})",
                    mark,
                )
            d.key_lines[key] = top.key_line
            d[key] = value

    loader.get_event()  # stream start
    if loader.check_event(StreamEndEvent):
        loader.get_event()
        return None
    loader.get_event()  # document start
    while not loader.check_event(DocumentEndEvent):
        ev = loader.get_event()
        mark = ev.start_mark
        line = mark.line + 1
        if isinstance(ev, AliasEvent):
            if ev.anchor not in anchors:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {ev.anchor!r}", mark
                )
            if ev.anchor not in sizes:
                raise _Refused(
                    line,
                    f"the alias *{ev.anchor} refers to a collection that contains it",
                    "no recursive aliases",
                )
            add(sizes[ev.anchor], mark)
            emit(anchors[ev.anchor], line, mark)
        elif isinstance(ev, ScalarEvent):
            add(1, mark)
            tag = ev.tag
            if tag is None or tag == "!":
                tag = loader.resolve(ScalarNode, ev.value, ev.implicit)
            if tag == _MERGE and stack and stack[-1].key is _NO_KEY:
                value = _MERGE
            else:
                if tag not in loader.yaml_constructors or tag in (_SEQ, _MAP, None):
                    raise yaml.constructor.ConstructorError(
                        None, None, f"could not determine a constructor for the tag {tag!r}", mark
                    )
                node = ScalarNode(tag, ev.value, mark, mark, style=ev.style)
                value = loader.yaml_constructors[tag](loader, node)
            if ev.anchor is not None:
                anchors[ev.anchor], sizes[ev.anchor] = value, 1
            emit(value, line, mark)
        elif isinstance(ev, (SequenceStartEvent, MappingStartEvent)):
            add(1, mark)
            if len(stack) >= max_depth:
                raise _Refused(
                    line,
                    f"nested more than {max_depth} levels deep",
                    f"at most {max_depth} levels of nesting",
                )
            is_seq = isinstance(ev, SequenceStartEvent)
            if ev.tag not in (None, "!", _SEQ if is_seq else _MAP):
                raise yaml.constructor.ConstructorError(
                    None, None, f"could not determine a constructor for the tag {ev.tag!r}", mark
                )
            value = [] if is_seq else LineDict()
            if not is_seq:
                value.line, value.key_lines = line, {}
            if ev.anchor is not None:
                if ev.anchor in anchors:
                    sizes.pop(ev.anchor, None)
                anchors[ev.anchor] = value
            stack.append(_Frame(value, ev.anchor, count - 1, line))
        elif isinstance(ev, (SequenceEndEvent, MappingEndEvent)):
            top = stack.pop()
            if top.merges:  # merged keys first; the mapping's own keys win
                own, merged = dict(top.value), LineDict()
                for m in top.merges:
                    for k, v in m.items():
                        merged.setdefault(k, v)
                top.value.clear()
                top.value.update({k: v for k, v in merged.items() if k not in own})
                top.value.update(own)
            if top.anchor is not None:
                sizes[top.anchor] = count - top.before
            emit(top.value, top.line, mark)
    loader.get_event()  # document end
    if not loader.check_event(StreamEndEvent):
        ev = loader.peek_event()
        raise yaml.composer.ComposerError(
            "expected a single document in the stream",
            None,
            "but found another document",
            ev.start_mark,
        )
    return result


def _hashable(x) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


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
    loader = _EventLoader(text)
    try:
        return _build(loader, max_depth, max_nodes)
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
