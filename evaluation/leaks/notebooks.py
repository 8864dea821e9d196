"""JSON and Jupyter notebooks: every key, string and number of the decoded JSON
(``\\u`` escapes resolved); in a notebook sources, outputs of every MIME type
(images decoded), tracebacks, metadata, tags and papermill parameters.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any

from .findings import ScanError, Sink
from .images import printable_runs, read_png
from .svg import read_svg

__all__ = ["read_json_value", "read_notebook"]

KindOf = Callable[[str], str]
_MULTILINE = re.compile(r"(?:source|text|data\.[\w.+-]+/[\w.+-]+)$")


def _json_string(sink: Sink, file: str, path: str, v: str, kind: str) -> None:
    """A string of the JSON, read as what it holds (``png``, ``svg``, ``binary``, text or HTML)."""
    if kind == "png":
        try:
            data = base64.b64decode(re.sub(r"\s", "", v), validate=True)
        except (binascii.Error, ValueError):
            raise ScanError(f"{file}: {path}: image/png output is not base64") from None
        read_png(sink, file, path, data)
    elif kind == "svg":
        read_svg(sink, file, path, v)
    elif kind == "binary":
        try:
            data = base64.b64decode(re.sub(r"\s", "", v))
        except (binascii.Error, ValueError):
            data = v.encode()
        printable_runs(sink, file, path, data)
    else:
        sink.text(file, path, v, kind)


def read_json_value(
    sink: Sink, file: str, path: str, v: Any, kind_of: KindOf | None = None
) -> None:
    """Scan every key, string and number (of eight digits or more) of decoded JSON.

    Parameters
    ----------
    sink : Sink
        Where the texts go (the scanner).
    file : str
        The file, for the findings.
    path : str
        Where ``v`` is in the document (``$``, ``$.key[2]``...).
    v : object
        The decoded JSON value.
    kind_of : callable, optional
        The kind of a string at a path (``png``, ``svg``, ``binary``,
        ``html``, ``text``); default every string is text.

    Examples
    --------
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> s = Scanner(Register.of(None))
    >>> read_json_value(s, "r.json", "$", {"contact": {"phone": "070-123 45 67"}, "n": 8112189876})
    >>> [(lk.location, lk.rule) for lk in s.leaks]
    [('$.contact.phone', 'phone'), ('$.n', 'personnummer')]
    """
    if isinstance(v, dict):
        for k, x in v.items():
            sink.text(file, f"{path} (key)", str(k))
            read_json_value(sink, file, f"{path}.{k}", x, kind_of)
    elif isinstance(v, list):
        if v and all(isinstance(x, str) for x in v) and _MULTILINE.search(path):
            read_json_value(sink, file, path, "".join(v), kind_of)  # nbformat multiline strings
            return
        for i, x in enumerate(v):
            read_json_value(sink, file, f"{path}[{i}]", x, kind_of)
    elif isinstance(v, str):
        _json_string(sink, file, path, v, kind_of(path) if kind_of else "text")
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        s = str(v)
        if len(re.sub(r"\D", "", s)) >= 8:
            sink.text(file, path, s)


def _notebook_kind(path: str) -> str:
    """What a notebook string at ``path`` holds."""
    tail = path.rsplit(".", 1)[-1]
    # only an output's data holds images; metadata about them (alt text, size) is text
    data = re.search(r"(?:^|[ .])data\.(image/[\w.+-]+)$", path)
    if data and data.group(1) == "image/png":
        return "png"
    if data and data.group(1).startswith("image/svg"):
        return "svg"
    if data or re.search(r"(?:^|[ .])data\.application/pdf$", path):
        return "binary"
    if "text/html" in path or "text/markdown" in path or tail == "source":
        return "html"
    return "text"


def _output(sink: Sink, file: str, where: str, out: Any) -> None:
    """One output of a cell: traceback lines, data by MIME type, the rest as JSON."""
    if not isinstance(out, dict):
        read_json_value(sink, file, where, out, _notebook_kind)
        return
    for ok, ov in out.items():
        if ok == "traceback" and isinstance(ov, list):
            for t, line in enumerate(ov):
                sink.text(file, f"{where} traceback[{t}]", str(line))
        elif ok == "data" and isinstance(ov, dict):
            for mime, val in ov.items():
                read_json_value(sink, file, f"{where} data.{mime}", val, _notebook_kind)
        elif ok != "execution_count":
            read_json_value(sink, file, f"{where} {ok}", ov, _notebook_kind)


def _cell(sink: Sink, file: str, i: int, cell: Any) -> None:
    if not isinstance(cell, dict):
        raise ScanError(f"{file}: cell {i} is not an object")
    for k, v in cell.items():
        if k in ("id", "execution_count"):  # random ids and counters: no content
            continue
        if k == "outputs" and isinstance(v, list):
            for j, out in enumerate(v):
                _output(sink, file, f"cell {i} output {j}", out)
        else:
            read_json_value(sink, file, f"cell {i} {k}", v, _notebook_kind)


def read_notebook(sink: Sink, file: str, nb: Any) -> None:
    """Scan every field of a decoded Jupyter notebook (cell ids and execution counts aside).

    Raises
    ------
    ScanError
        Not a notebook (no ``cells``), or a cell that is not an object.

    Examples
    --------
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> s = Scanner(Register.of(None))
    >>> nb = {"metadata": {"papermill": {"parameters": {"contact": "070-123 45 67"}}},
    ...       "cells": [{"id": "08153556", "source": "x = 1"}]}
    >>> read_notebook(s, "01.ipynb", nb)
    >>> [(lk.location, lk.rule) for lk in s.leaks]
    [('metadata.papermill.parameters.contact', 'phone')]
    """
    if not isinstance(nb, dict) or "cells" not in nb:
        raise ScanError(f"{file}: not a Jupyter notebook (no 'cells')")
    for i, cell in enumerate(nb.get("cells", [])):
        _cell(sink, file, i, cell)
    for k, v in nb.items():
        if k != "cells":
            read_json_value(sink, file, k, v, _notebook_kind)
