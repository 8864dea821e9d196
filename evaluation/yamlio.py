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
    """A dict that remembers the line of the mapping and of each key (1-based).

    Every mapping :func:`load_yaml_text` builds is one, so that a checker can
    name the line of a bad value.

    Examples
    --------
    >>> d = load_yaml_text("codebook:\\n  id: fg\\n  title: Fokusgrupper\\n")
    >>> d["codebook"].line, d["codebook"].key_lines
    (2, {'id': 2, 'title': 3})
    """

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

    def __init__(self, value: list | LineDict, anchor: str | None, before: int, line: int) -> None:
        self.value, self.anchor, self.before, self.line = value, anchor, before, line
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.merges: list[dict] = []


def _constructor_error(problem: str, mark: Any, context: str | None = None) -> Exception:
    return yaml.constructor.ConstructorError(context, None, problem, mark)


class _Builder:
    """Python objects straight from the parser's events, iteratively and within bounds.

    No node graph is kept (PyYAML's composer holds one for the whole document, a few
    hundred bytes per value) and nothing recurses, so depth costs no stack. Every value
    counts once, an alias as many values as its anchor holds, so a document that expands
    past ``max_nodes`` is refused while it is read; a recursive alias is refused.
    """

    def __init__(self, loader: _EventLoader, max_depth: int, max_nodes: int) -> None:
        self.loader, self.max_depth, self.max_nodes = loader, max_depth, max_nodes
        self.anchors: dict[str, Any] = {}
        self.sizes: dict[str, int] = {}  # anchors of finished values: how many values each holds
        self.stack: list[_Frame] = []
        self.count = 0
        self.result: Any = None

    # -- counting and placing values ------------------------------------------------
    def add(self, n: int, mark: Any) -> None:
        self.count += n
        if self.count > self.max_nodes:
            raise _Refused(
                mark.line + 1,
                f"more than {self.max_nodes:,} values once aliases (*name) are expanded",
                f"a document of at most {self.max_nodes:,} values (write repeated parts out"
                " instead of nesting aliases)",
            )

    def emit(self, value: Any, line: int, mark: Any) -> None:
        """Place a finished value: the document, an item, a key or a key's value."""
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.key is _NO_KEY:
            if value is not _MERGE and not _hashable(value):
                raise _constructor_error(
                    "found an unhashable key", mark, "while constructing a mapping"
                )
            top.key, top.key_line = value, line
        else:
            key, top.key = top.key, _NO_KEY
            if key is _MERGE:
                self._merge(top, value, mark)
            else:
                self._set(top, key, value, mark)

    @staticmethod
    def _merge(top: _Frame, value: Any, mark: Any) -> None:
        merged = value if isinstance(value, list) else [value]
        if not all(isinstance(m, dict) for m in merged):
            raise _constructor_error(
                "expected a mapping or list of mappings for merging",
                mark,
                "while constructing a mapping",
            )
        top.merges.extend(merged)

    @staticmethod
    def _set(top: _Frame, key: Any, value: Any, mark: Any) -> None:
        d = top.value
        assert isinstance(d, LineDict)
        if key in d.key_lines:
            raise _constructor_error(
                f"duplicate key {key!r} (first on line {d.key_lines[key]})", mark
            )
        d.key_lines[key] = top.key_line
        d[key] = value

    # -- one event -------------------------------------------------------------------
    def alias(self, ev: AliasEvent) -> None:
        mark: Any = ev.start_mark  # a yaml.error.Mark (libyaml: its own Mark type)
        if ev.anchor not in self.anchors:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {ev.anchor!r}", mark
            )
        if ev.anchor not in self.sizes:
            raise _Refused(
                mark.line + 1,
                f"the alias *{ev.anchor} refers to a collection that contains it",
                "no recursive aliases",
            )
        self.add(self.sizes[ev.anchor], mark)
        self.emit(self.anchors[ev.anchor], mark.line + 1, mark)

    def scalar(self, ev: ScalarEvent) -> None:
        mark: Any = ev.start_mark  # a yaml.error.Mark (libyaml: its own Mark type)
        self.add(1, mark)
        tag = ev.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(ScalarNode, ev.value, ev.implicit)
        if tag == _MERGE and self.stack and self.stack[-1].key is _NO_KEY:
            value: Any = _MERGE
        else:
            constructors = self.loader.yaml_constructors
            if tag not in constructors or tag in (_SEQ, _MAP, None):
                raise _constructor_error(
                    f"could not determine a constructor for the tag {tag!r}", mark
                )
            node = ScalarNode(tag, ev.value, mark, mark, style=ev.style)
            try:
                value = constructors[tag](self.loader, node)
            except (ValueError, OverflowError) as exc:  # e.g. the date 2020-13-01
                raise _constructor_error(
                    f"{ev.value!r} is not a valid {tag.rsplit(':', 1)[-1]} ({exc})", mark
                ) from None
        if ev.anchor is not None:
            self.anchors[ev.anchor], self.sizes[ev.anchor] = value, 1
        self.emit(value, mark.line + 1, mark)

    def start(self, ev: SequenceStartEvent | MappingStartEvent) -> None:
        mark: Any = ev.start_mark  # a yaml.error.Mark (libyaml: its own Mark type)
        line = mark.line + 1
        self.add(1, mark)
        if len(self.stack) >= self.max_depth:
            raise _Refused(
                line,
                f"nested more than {self.max_depth} levels deep",
                f"at most {self.max_depth} levels of nesting",
            )
        is_seq = isinstance(ev, SequenceStartEvent)
        if ev.tag not in (None, "!", _SEQ if is_seq else _MAP):
            raise _constructor_error(
                f"could not determine a constructor for the tag {ev.tag!r}", mark
            )
        value: list | LineDict
        if is_seq:
            value = []
        else:
            value = LineDict()
            value.line, value.key_lines = line, {}
        if ev.anchor is not None:
            if ev.anchor in self.anchors:
                self.sizes.pop(ev.anchor, None)
            self.anchors[ev.anchor] = value
        self.stack.append(_Frame(value, ev.anchor, self.count - 1, line))

    def end(self, ev: SequenceEndEvent | MappingEndEvent) -> None:
        top = self.stack.pop()
        if top.merges and isinstance(top.value, dict):  # merged keys first; own keys win
            own, merged = dict(top.value), LineDict()
            for m in top.merges:
                for k, v in m.items():
                    merged.setdefault(k, v)
            top.value.clear()
            top.value.update({k: v for k, v in merged.items() if k not in own})
            top.value.update(own)
        if top.anchor is not None:
            self.sizes[top.anchor] = self.count - top.before
        self.emit(top.value, top.line, ev.start_mark)

    # -- the document ----------------------------------------------------------------
    def build(self) -> Any:
        """The one document of the stream (``None`` for an empty stream)."""
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            loader.get_event()
            return None
        loader.get_event()  # document start
        while not loader.check_event(DocumentEndEvent):
            ev = loader.get_event()
            if isinstance(ev, AliasEvent):
                self.alias(ev)
            elif isinstance(ev, ScalarEvent):
                self.scalar(ev)
            elif isinstance(ev, (SequenceStartEvent, MappingStartEvent)):
                self.start(ev)
            elif isinstance(ev, (SequenceEndEvent, MappingEndEvent)):
                self.end(ev)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                None,
                "but found another document",
                loader.peek_event().start_mark,
            )
        return self.result


def _build(loader: _EventLoader, max_depth: int, max_nodes: int) -> Any:
    """Python objects straight from the parser's events (see :class:`_Builder`)."""
    return _Builder(loader, max_depth, max_nodes).build()


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

    Parameters
    ----------
    path : str or Path
    label : str, optional
        How the file is named in messages (default: the path).
    **limits : int
        ``max_bytes``, ``max_depth``, ``max_nodes`` (see :func:`load_yaml_text`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "params.yaml"
    >>> _ = f.write_text("seed: 20240601\\nlanguage: sv\\n", encoding="utf-8")
    >>> load_yaml_file(f)
    {'seed': 20240601, 'language': 'sv'}
    >>> _ = f.write_text("seed: !!python/object/apply:os.system [id]\\n", encoding="utf-8")
    >>> load_yaml_file(f, "params.yaml")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    params.yaml
      params.yaml:1: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'; expected plain YAML (tags that construct objects are not allowed)
    """
    from .textio import read_text

    label = label or str(path)
    max_bytes = limits.get("max_bytes", MAX_YAML_BYTES)
    return load_yaml_text(read_text(path, label, limit=max_bytes), label, **limits)
