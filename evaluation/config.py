"""Run parameters: defaults, a YAML file, ``-p key=value`` overrides, validation.

The layers, later ones winning:

1. ``notebooks/params.yaml`` (the project's defaults);
2. the file given with ``--params``;
3. each ``-p key=value`` (the value is parsed as a YAML scalar, so ``-p seed=7``
   gives an int and ``-p family=negbin`` a string).

Every key must be declared in the ``parameters`` cell of at least one
notebook; each notebook receives only the keys it declares.

Every value is checked against ``notebooks/params.schema.yaml`` (type and
allowed values, declared once per key; :func:`check_value`) before any
notebook starts: a wrong value is a :class:`ParameterError` naming the key,
the value, where it came from and what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, ParameterError
from .yamlio import load_yaml_file, load_yaml_text

__all__ = [
    "parse_override",
    "load_params",
    "params_for",
    "load_schema",
    "check_value",
    "check_params",
    "RESERVED",
    "SCHEMA_FILE",
    "MAX_OVERRIDE_CHARS",
    "MAX_OVERRIDE_VALUES",
]

#: The schema file, next to ``params.yaml`` in the notebooks folder.
SCHEMA_FILE = "params.schema.yaml"

#: Parameters set by the runner itself; a user may not set them.
RESERVED = frozenset({"run_dir"})


#: Longest ``-p`` value (characters) and most values in it once YAML aliases are expanded:
#: a value typed on the command line is short; a "billion laughs" alias bomb is refused.
MAX_OVERRIDE_CHARS = 100_000
MAX_OVERRIDE_VALUES = 10_000


def parse_override(text: str) -> tuple[str, Any]:
    """Parse one ``key=value`` override; the value is read as YAML (bounded:
    :func:`evaluation.yamlio.load_yaml_text`, at most :data:`MAX_OVERRIDE_VALUES` values).

    Examples
    --------
    >>> parse_override("seed=7")
    ('seed', 7)
    >>> parse_override("target_age_band=13-18")
    ('target_age_band', '13-18')
    >>> parse_override("covariates=[zone, daypart]")
    ('covariates', ['zone', 'daypart'])
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ParameterError(f"-p {text!r}: expected key=value")
    if not value.strip():
        return key, ""
    try:  # bounded: an alias bomb typed as a value is refused, not expanded later
        parsed = load_yaml_text(
            value, f"-p {key}", max_bytes=MAX_OVERRIDE_CHARS, max_nodes=MAX_OVERRIDE_VALUES
        )
    except DataError as exc:
        p = exc.problems[0]
        raise ParameterError(
            f"-p {key}: the value is not usable YAML: {p.message}; expected {p.expected}"
        ) from None
    return key, _plain(parsed)


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml_file(path)
    except DataError as exc:  # a parameter file that cannot be used: a usage error (exit 2)
        raise ParameterError(f"parameter file {path}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ParameterError(f"{path}: expected a mapping of parameter names to values")
    return dict(data)


_TYPES = ("string", "integer", "number", "boolean", "list", "path")
_FIELDS = {
    "type",
    "choices",
    "pattern",
    "pattern_hint",
    "minimum",
    "maximum",
    "nullable",
    "items",
    "min_items",
    "unique",
    "kind",
    "allow_empty",
    "help",
}


def load_schema(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a parameter schema (``notebooks/params.schema.yaml``) and check its form.

    Returns a mapping ``key -> entry``; see :func:`check_value` for the fields.

    Raises
    ------
    ParameterError
        An entry that is not a mapping, has an unknown field or type.

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> schema = load_schema(resolve("notebooks/params.schema.yaml"))
    >>> schema["min_cell"]["type"], schema["language"]["choices"]
    ('integer', ['sv', 'en'])
    """
    path = Path(path)
    data = load_yaml_file(path) or {}
    if not isinstance(data, Mapping):
        raise ParameterError(f"{path.resolve()}: expected a mapping of parameter names to entries")
    schema = {}
    for key, spec in data.items():
        where = f"{path.resolve()}: {key}"
        if not isinstance(spec, Mapping):
            raise ParameterError(f"{where}: expected a mapping with at least 'type'")
        unknown = set(spec) - _FIELDS
        if unknown:
            raise ParameterError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        for s_ in (spec, spec["items"]) if "items" in spec else (spec,):
            if s_.get("type") not in _TYPES:
                raise ParameterError(f"{where}: type must be one of {', '.join(_TYPES)}")
        schema[str(key)] = dict(spec)
    return schema


def _plain(value: Any) -> Any:
    """``value`` with every mapping a plain ``dict`` (the YAML reader's ``LineDict``
    remembers lines, but YAML's dumper cannot represent it)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


#: Longest value shown in a message (characters); the rest is cut with "...".
_SHOW_CHARS = 300


def _show(value: Any) -> str:
    """A value as the user would type it (YAML flow style), cut at :data:`_SHOW_CHARS`."""
    if value is None:
        return "null"
    if isinstance(value, str):
        text = repr(value)
    else:
        text = (
            yaml.safe_dump(_plain(value), default_flow_style=True, width=10_000)
            .strip()
            .removesuffix("...")
            .strip()
        )
    return text if len(text) <= _SHOW_CHARS else text[: _SHOW_CHARS - 3] + "..."


def _describe(spec: Mapping[str, Any]) -> str:
    """What a schema entry allows, in words."""
    t = spec["type"]
    if "choices" in spec:
        text = "one of " + ", ".join(_show(c) if c is None else str(c) for c in spec["choices"])
    elif t == "list":
        text = "a list of " + _describe(spec["items"]).removeprefix("a ").removeprefix("an ")
        if spec.get("min_items"):
            text += f" (at least {spec['min_items']})"
        if spec.get("unique"):
            text += ", each at most once"
    elif "pattern" in spec:
        text = spec.get("pattern_hint") or f"a text matching {spec['pattern']}"
    else:
        text = {
            "string": "a text",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "path": "a path",
        }[t]
        lo, hi = spec.get("minimum"), spec.get("maximum")
        if lo is not None and hi is not None:
            text += f" from {lo} to {hi}"
        elif lo is not None:
            text += f" >= {lo}"
        elif hi is not None:
            text += f" <= {hi}"
    if spec.get("nullable"):
        text += ", or null"
    return text


#: Whether a (non-null) value has the schema type: type -> test(value, entry).
_IS_TYPE = {
    "string": lambda v, spec: isinstance(v, str),
    "path": lambda v, spec: isinstance(v, str) and (bool(v) or bool(spec.get("allow_empty"))),
    "integer": lambda v, spec: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v, spec: (
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    ),
    "boolean": lambda v, spec: isinstance(v, bool),
}


def _valid_list(value: Any, spec: Mapping[str, Any]) -> bool:
    """A list: its length, its uniqueness and every item against ``items``."""
    if not isinstance(value, list) or len(value) < spec.get("min_items", 0):
        return False
    if spec.get("unique") and len({_show(v) for v in value}) != len(value):
        return False
    return all(_valid(v, spec["items"]) for v in value)


def _within(value: Any, spec: Mapping[str, Any]) -> bool:
    """A value of the right type: its choices, pattern and bounds."""
    if "choices" in spec and value not in spec["choices"]:
        return False
    if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
        return False
    if spec.get("minimum") is not None and value < spec["minimum"]:
        return False
    return spec.get("maximum") is None or value <= spec["maximum"]


def _valid(value: Any, spec: Mapping[str, Any]) -> bool:
    """Whether the schema entry ``spec`` allows ``value`` (see :func:`check_value`)."""
    if value is None:
        return bool(spec.get("nullable"))
    if spec["type"] == "list":
        return _valid_list(value, spec)
    return _IS_TYPE[spec["type"]](value, spec) and _within(value, spec)


def check_value(key: str, value: Any, spec: Mapping[str, Any]) -> str | None:
    """``None`` when ``value`` is allowed by the schema entry ``spec``, else the message.

    Entry fields: ``type`` (string, integer, number, boolean, list, path),
    ``choices``, ``pattern`` (whole value; ``pattern_hint`` says it in words),
    ``minimum``/``maximum``, ``nullable``, for lists ``items`` (an entry),
    ``min_items`` and ``unique``; for paths ``kind`` (dir or file) and
    ``allow_empty``.

    Examples
    --------
    >>> check_value("min_cell", 5, {"type": "integer", "minimum": 1}) is None
    True
    >>> print(check_value("min_cell", "five", {"type": "integer", "minimum": 1}))
    min_cell = 'five' is not allowed; expected a whole number >= 1
    >>> print(check_value("its_family", "bogus", {"type": "string", "choices": ["auto", "poisson"]}))
    its_family = 'bogus' is not allowed; expected one of auto, poisson
    >>> print(check_value("states", ["art", "x"],
    ...       {"type": "list", "items": {"type": "string", "choices": ["art", "park"]}}))
    states = [art, x] is not allowed; expected a list of one of art, park
    """
    if _valid(value, spec):
        return None
    return f"{key} = {_show(value)} is not allowed; expected {_describe(spec)}"


def check_params(
    params: Mapping[str, Any],
    schema: Mapping[str, Mapping[str, Any]],
    sources: Mapping[str, str] | None = None,
) -> None:
    """Check every value of ``params`` against ``schema``; one :class:`ParameterError` naming
    every wrong value (key, value, its origin and what is allowed).

    A key missing from the schema is an error too: each parameter's type is declared once.

    Examples
    --------
    >>> schema = {"min_cell": {"type": "integer", "minimum": 1}}
    >>> check_params({"min_cell": 5}, schema)
    >>> try:
    ...     check_params({"min_cell": 0, "seed": 1}, schema, {"min_cell": "-p"})
    ... except ParameterError as e:
    ...     print(e)
    invalid parameter value(s):
      min_cell = 0 is not allowed; expected a whole number >= 1 (from -p)
      seed: not in the parameter schema
    """
    sources = sources or {}
    problems = []
    for key, value in params.items():
        origin = f" (from {sources[key]})" if key in sources else ""
        if key not in schema:
            problems.append(f"  {key}{origin}: not in the parameter schema")
            continue
        msg = check_value(key, value, schema[key])
        if msg:
            problems.append(f"  {msg}{origin}")
    if problems:
        raise ParameterError("invalid parameter value(s):\n" + "\n".join(problems))


def load_params(
    defaults: str | Path | None,
    params_file: str | Path | None = None,
    overrides: Iterable[str] = (),
    declared: Mapping[str, Iterable[str]] | None = None,
    schema: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Combine the parameter layers and check the keys.

    Parameters
    ----------
    defaults : path or None
        The defaults file (``notebooks/params.yaml``).
    params_file : path or None
        A researcher's YAML file of parameters.
    overrides : iterable of str
        ``key=value`` strings.
    declared : mapping notebook -> keys, optional
        What each notebook declares; when given, a key that no notebook
        declares raises :class:`ParameterError` listing the declared keys.
    schema : mapping key -> entry, optional
        When given, every value is checked (:func:`check_params`).

    Returns
    -------
    dict
        The effective parameters.

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> nb = resolve("notebooks")
    >>> p = load_params(nb / "params.yaml", overrides=["min_cell=10", "language=en"],
    ...                 schema=load_schema(nb / "params.schema.yaml"))
    >>> p["min_cell"], p["language"], p["intervention"]  # null: taken from study.yaml
    (10, 'en', None)
    >>> try:
    ...     load_params(None, overrides=["run_dir=/tmp"])
    ... except ParameterError as e:
    ...     print(e)
    -p: 'run_dir' is set by the runner and cannot be given
    """
    params: dict[str, Any] = {}
    sources: dict[str, str] = {}
    layers: list[tuple[str, dict[str, Any]]] = []
    if defaults is not None and Path(defaults).exists():
        layers.append((str(defaults), _read_mapping(Path(defaults))))
    if params_file is not None:
        p = Path(params_file)
        if not p.exists():
            raise ParameterError(f"--params {params_file}: no such file")
        layers.append((str(p), _read_mapping(p)))
    layers.append(("-p", dict(parse_override(o) for o in overrides)))
    for origin, layer in layers:
        for key, value in layer.items():
            if key in RESERVED:
                raise ParameterError(f"{origin}: {key!r} is set by the runner and cannot be given")
            params[key] = value
            sources[key] = origin
    if declared is not None:
        known = sorted({k for keys in declared.values() for k in keys} - RESERVED)
        unknown = sorted(k for k in params if k not in known)
        if unknown:
            lines = [f"  {k} (from {sources[k]})" for k in unknown]
            raise ParameterError(
                "unknown parameter(s), declared by no notebook:\n"
                + "\n".join(lines)
                + "\nthe declared parameters are: "
                + ", ".join(known)
            )
    if schema is not None:
        check_params(params, schema, sources)
    return params


def params_for(params: Mapping[str, Any], declared: Iterable[str]) -> dict[str, Any]:
    """The subset of ``params`` that a notebook declares.

    Examples
    --------
    >>> params_for({"a": 1, "b": 2}, ["b", "c"])
    {'b': 2}
    """
    keys = list(declared)
    return {k: params[k] for k in keys if k in params}
