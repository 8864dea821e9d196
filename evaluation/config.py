"""Run parameters: defaults, a YAML file, ``-p key=value`` overrides, validation.

The layers, later ones winning:

1. ``notebooks/params.yaml`` (the project's defaults);
2. the file given with ``--params``;
3. each ``-p key=value`` (the value is parsed as a YAML scalar, so ``-p seed=7``
   gives an int and ``-p family=negbin`` a string).

Every key must be declared in the ``parameters`` cell of at least one
notebook; each notebook receives only the keys it declares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import ParameterError
from .yamlio import load_yaml_file

__all__ = ["parse_override", "load_params", "params_for", "RESERVED"]

#: Parameters set by the runner itself; a user may not set them.
RESERVED = frozenset({"run_dir"})


def parse_override(text: str) -> tuple[str, Any]:
    """Parse one ``key=value`` override; the value is read as a YAML scalar.

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
    try:
        parsed = yaml.safe_load(value) if value.strip() else ""
    except yaml.YAMLError as exc:
        raise ParameterError(f"-p {text!r}: the value is not valid YAML ({exc})") from None
    return key, parsed


def _read_mapping(path: Path) -> dict[str, Any]:
    data = load_yaml_file(path)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ParameterError(f"{path}: expected a mapping of parameter names to values")
    return dict(data)


def load_params(
    defaults: str | Path | None,
    params_file: str | Path | None = None,
    overrides: Iterable[str] = (),
    declared: Mapping[str, Iterable[str]] | None = None,
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

    Returns
    -------
    dict
        The effective parameters.
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
    return params


def params_for(params: Mapping[str, Any], declared: Iterable[str]) -> dict[str, Any]:
    """The subset of ``params`` that a notebook declares.

    >>> params_for({"a": 1, "b": 2}, ["b", "c"])
    {'b': 2}
    """
    keys = list(declared)
    return {k: params[k] for k in keys if k in params}
