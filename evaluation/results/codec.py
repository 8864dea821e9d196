"""Records to JSON and back: plain values out, typed records in, with errors that name the key.

:func:`as_json` turns a record (a dataclass), a dict, a list or a number into
JSON-ready plain values; :func:`decode` turns a value read from JSON into a
type (a record class, ``list[...]``, ``dict[str, ...]``, an optional, a
``Literal``, a number or a text), raising :class:`evaluation.errors.DataError`
that names the file and the key when the value does not fit.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from typing import Any, Literal

from ..errors import DataError, Problem

__all__ = ["as_json", "decode"]


def as_json(record: Any) -> Any:
    """A record (or dict, list, number) as JSON-ready plain values; NaN becomes ``None``.

    Dataclasses become dicts, tuples lists, numpy scalars Python numbers, and
    a NaN or infinite float ``None``.

    Parameters
    ----------
    record : Any
        A dataclass record, or a dict, list, tuple or scalar holding them.

    Returns
    -------
    Any
        The same content as dicts, lists, texts, numbers, booleans and ``None``.

    Examples
    --------
    >>> from evaluation.results import Estimate
    >>> as_json(Estimate("rr", float("nan")))["estimate"] is None
    True
    >>> as_json({1: (2.5, float("inf"))})
    {'1': [2.5, None]}
    """
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: as_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, dict):
        return {str(k): as_json(v) for k, v in record.items()}
    if isinstance(record, (list, tuple)):
        return [as_json(v) for v in record]
    if hasattr(record, "item") and not isinstance(record, (str, bytes)):
        try:
            record = record.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(record, float) and not math.isfinite(record):
        return None
    return record


def bad(file: str, where: str, message: str, expected: str) -> DataError:
    """The :class:`~evaluation.errors.DataError` of one malformed key of a results file.

    Examples
    --------
    >>> print(bad("01.json", "schema", "2 found", "1").problems[0].column)
    schema
    """
    return DataError([Problem(file, None, where, message, expected)])


def decode(tp: Any, value: Any, where: str, file: str) -> Any:
    """``value`` (from JSON) as the type ``tp``, or a DataError naming ``file`` and ``where``.

    Parameters
    ----------
    tp : type
        A record class (dataclass), ``list[...]``, ``dict[str, ...]``, an
        optional (``X | None``), a ``Literal``, ``float``, ``int``, ``str``,
        ``bool``, ``dict``, ``list`` or ``Any``.
    value : Any
        The value read from JSON.
    where : str
        The key's path (``SiteResults.target_staying_rate_ratio``), for the error.
    file : str
        The file read, for the error.

    Raises
    ------
    evaluation.errors.DataError
        The value does not fit the type.

    Examples
    --------
    >>> decode(list[float], [1, 2.5], "x", "f.json")
    [1.0, 2.5]
    >>> decode(int | None, None, "n", "f.json") is None
    True
    >>> try:
    ...     decode(Literal["sv", "en"], "de", "language", "f.json")
    ... except DataError as exc:
    ...     print(exc.problems[0])
    f.json: language: 'de' is not allowed; expected sv or en
    """
    if tp is Any:
        return value
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return _optional(tp, value, where, file)
    if origin is Literal:
        allowed = typing.get_args(tp)
        if value not in allowed:
            raise bad(file, where, f"{value!r} is not allowed", " or ".join(map(str, allowed)))
        return value
    if dataclasses.is_dataclass(tp):
        return _record(tp, value, where, file)
    if origin is list:
        if not isinstance(value, list):
            raise bad(file, where, f"{type(value).__name__} found", "a list")
        (arg,) = typing.get_args(tp)
        return [decode(arg, v, f"{where}[{i}]", file) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise bad(file, where, f"{type(value).__name__} found", "an object")
        _, arg = typing.get_args(tp)
        return {k: decode(arg, v, f"{where}.{k}", file) for k, v in value.items()}
    return _scalar(tp, value, where, file)


def _optional(tp: Any, value: Any, where: str, file: str) -> Any:
    """A union: ``None`` when allowed, else the one other type (a wider union is not checked)."""
    args = typing.get_args(tp)
    if value is None and type(None) in args:
        return None
    inner = [a for a in args if a is not type(None)]
    return decode(inner[0], value, where, file) if len(inner) == 1 else value


def _record(tp: Any, value: Any, where: str, file: str) -> Any:
    """A dataclass record from a JSON object: every field without a default must be there."""
    if not isinstance(value, dict):
        raise bad(file, where, f"{type(value).__name__} found", "an object")
    hints = typing.get_type_hints(tp)
    kw = {}
    for f in dataclasses.fields(tp):
        if f.name in value:
            kw[f.name] = decode(hints[f.name], value[f.name], f"{where}.{f.name}", file)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise bad(file, f"{where}.{f.name}", "missing", "this key")
    try:
        return tp(**kw)
    except (TypeError, ValueError) as exc:
        raise bad(file, where, str(exc), f"a valid {tp.__name__}") from None


def _scalar(tp: Any, value: Any, where: str, file: str) -> Any:
    """A number, text or boolean (a bool is no number); any other type passes unchecked."""
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad(file, where, f"{value!r} found", "a number")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(file, where, f"{value!r} found", "a whole number")
        return value
    if tp in (str, bool, dict, list):
        if not isinstance(value, tp) or (tp is not bool and isinstance(value, bool)):
            raise bad(file, where, f"{value!r} found", f"a {tp.__name__}")
        return value
    return value
