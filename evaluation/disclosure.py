"""Disclosure control: small-cell suppression and the leak scan of a run.

The data concern minors and named professionals. Published tables of people
counts go through :func:`suppress_small_counts`; every executed notebook and
HTML page of a run goes through :func:`scan_for_leaks` before the run is
called releasable (``manifest.json``: ``release``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "suppress_small_counts",
    "suppression_mask",
    "cell_bounds",
    "Leak",
    "scan_for_leaks",
    "luhn_ok",
    "load_identifiers",
    "release_check",
]

SECONDARY = "x"


# --------------------------------------------------------------------------- suppression
def _with_margins(values: np.ndarray) -> np.ndarray:
    """The table with its row totals (last column), column totals (last row) and grand total."""
    r, c = values.shape
    full = np.zeros((r + 1, c + 1))
    full[:r, :c] = values
    full[:r, c] = values.sum(axis=1)
    full[r, :c] = values.sum(axis=0)
    full[r, c] = values.sum()
    return full


def cell_bounds(full: np.ndarray, mask: np.ndarray, min_count: int) -> np.ndarray:
    """Feasible [low, high] of every suppressed cell of a table *with margins*.

    ``full`` is the table with its totals in the last row and column (see
    :func:`suppression_mask`); ``mask`` marks the suppressed cells, totals
    included. What an intruder knows: every published cell and total, that
    each row and column adds up to its total, that a primary cell (shown
    ``<k``) lies in 1..k-1 and that any other suppressed cell is >= 0. Bounds
    are found by linear programming (scipy's HiGHS). Returns an array of
    shape (n_suppressed, 2) in row-major order of the mask.
    """
    from scipy.optimize import linprog

    idx = [tuple(x) for x in np.argwhere(mask)]
    if not idx:
        return np.zeros((0, 2))
    pos = {cell: k for k, cell in enumerate(idx)}
    n_r, n_c = full.shape
    A, b = [], []
    lines = [[(i, j) for j in range(n_c)] for i in range(n_r)] + [
        [(i, j) for i in range(n_r)] for j in range(n_c)
    ]
    for line in lines:  # sum of the first cells = the last (the total)
        coef = np.zeros(len(idx))
        rhs = 0.0
        for k, cell in enumerate(line):
            sign = -1.0 if k == len(line) - 1 else 1.0
            if cell in pos:
                coef[pos[cell]] += sign
            else:
                rhs -= sign * full[cell]
        if coef.any():
            A.append(coef)
            b.append(rhs)
    body = (slice(0, n_r - 1), slice(0, n_c - 1))
    is_body = np.zeros_like(mask)
    is_body[body] = True
    bounds = [
        (1, min_count - 1) if is_body[c] and 0 < full[c] < min_count else (0, None) for c in idx
    ]
    out = np.zeros((len(idx), 2))
    for k in range(len(idx)):
        cvec = np.zeros(len(idx))
        cvec[k] = 1.0
        lo = linprog(
            cvec, A_eq=np.array(A) if A else None, b_eq=b or None, bounds=bounds, method="highs"
        )
        hi = linprog(
            -cvec, A_eq=np.array(A) if A else None, b_eq=b or None, bounds=bounds, method="highs"
        )
        out[k, 0] = lo.fun if lo.status == 0 else -np.inf
        out[k, 1] = -hi.fun if hi.status == 0 else np.inf
    return out


def suppression_mask(values: np.ndarray, min_count: int = 5, margins: bool = True) -> np.ndarray:
    """Boolean mask of the cells to suppress, primary and secondary.

    Primary: cells with 1 <= value < ``min_count``. With ``margins`` the mask
    has the shape of the table *with* its totals (an extra last row and
    column): secondary cells, totals included when nothing else will do, are
    added until no suppressed cell is determined by what is published,
    checked exactly by :func:`cell_bounds`. Without margins, the body only.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError("expected a 2-D table of counts")
    if np.isnan(v).any() or (v < 0).any() or (v != np.floor(v)).any():
        raise ValueError("counts must be whole numbers >= 0 with no missing values")
    primary = (v > 0) & (v < min_count)
    if not margins:
        return primary
    full = _with_margins(v)
    n_r, n_c = full.shape
    mask = np.zeros(full.shape, dtype=bool)
    mask[: n_r - 1, : n_c - 1] = primary
    if not primary.any():
        return mask
    lines = [[(i, j) for j in range(n_c)] for i in range(n_r)] + [
        [(i, j) for i in range(n_r)] for j in range(n_c)
    ]

    def add_partner(line) -> bool:
        """Suppress one more cell of a line: smallest non-zero cell, else its total, else a zero."""
        free = [c for c in line if not mask[c]]
        if not free:
            return False
        cells, total = [c for c in free if c != line[-1]], line[-1] if line[-1] in free else None
        nonzero = sorted((full[c], c) for c in cells if full[c] > 0)
        choice = nonzero[0][1] if nonzero else total if total is not None else cells[0]
        mask[choice] = True
        return True

    for _ in range(full.size + 1):
        changed = False
        for line in lines:  # a line with one hidden cell gives it back by subtraction
            if sum(mask[c] for c in line) == 1:
                changed |= add_partner(line)
        if changed:
            continue
        idx = [tuple(x) for x in np.argwhere(mask)]
        bounds = cell_bounds(full, mask, min_count)
        pinned = [idx[k] for k in range(len(idx)) if np.isclose(bounds[k, 0], bounds[k, 1])]
        if not pinned:
            return mask
        cell = pinned[0]
        if not any(add_partner(line) for line in lines if cell in line):
            mask[:] = True  # nothing left to hide: hide everything
            return mask
    return mask


def suppress_small_counts(
    table: pd.DataFrame | pd.Series,
    min_count: int = 5,
    margins: bool = True,
    total_label: str = "Total",
) -> pd.DataFrame:
    """Publishable version of a table of people counts.

    Parameters
    ----------
    table : DataFrame or Series
        Counts (whole numbers >= 0); rows and columns are categories.
    min_count : int
        Cells with 1 .. ``min_count``-1 people are shown as ``"<min_count"``.
    margins : bool
        Add row and column totals. Secondary suppression (shown ``"x"``; a
        total too when nothing else will do) then guarantees that no
        suppressed cell can be recovered from what is published.
    total_label : str
        Label of the total row and column.

    Returns
    -------
    DataFrame
        Object dtype: published counts as ``int``, ``"<5"`` for primary and
        ``"x"`` for secondary suppression, plus totals when ``margins``.
        ``result.attrs["suppressed"]`` holds the boolean mask (with margins:
        the shape of the result).

    Notes
    -----
    Zeros are published: they reveal no person. Secondary cells are chosen
    smallest-first within the row or column that needs one, and the result is
    audited by linear programming (:func:`cell_bounds`): every suppressed cell
    has a feasible range wider than one value. The test suite checks this
    with an independent integer program over random tables (hypothesis).

    Examples
    --------
    >>> t = pd.DataFrame({"art": [12, 3, 20], "none": [9, 8, 15]}, index=["plattan", "trapporna", "kulturhuset"])
    >>> suppress_small_counts(t)
                art none  Total
    plattan       x    x     21
    trapporna    <5    x     11
    kulturhuset  20   15     35
    Total        35   32     67
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    values = frame.to_numpy(dtype=float)
    mask = suppression_mask(values, min_count=min_count, margins=margins)
    full = _with_margins(values) if margins else values
    n_r, n_c = values.shape
    out = pd.DataFrame(
        index=[*frame.index, total_label] if margins else list(frame.index),
        columns=[*frame.columns, total_label] if margins else list(frame.columns),
        dtype=object,
    )
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            v = full[i, j]
            if mask[i, j]:
                out.iat[i, j] = (
                    f"<{min_count}" if (i < n_r and j < n_c and 0 < v < min_count) else SECONDARY
                )
            else:
                out.iat[i, j] = int(v)
    out.index.name, out.columns.name = frame.index.name, frame.columns.name
    out.attrs["suppressed"] = mask
    return out


# --------------------------------------------------------------------------- leak scan
@dataclass(frozen=True)
class Leak:
    """A possible leak: where it is and which rule matched (never the text in full)."""

    file: str
    location: str
    rule: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.rule}" + (
            f" ({self.hint})" if self.hint else ""
        )


def luhn_ok(digits: str) -> bool:
    """Luhn check of a 10-digit Swedish personal identity number (YYMMDDNNNC).

    >>> luhn_ok("8112189876")
    True
    >>> luhn_ok("8112189875")
    False
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(digits[:9]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(digits[9])


_PNR = re.compile(r"(?<![\d\w])(?:(19|20)(\d{6})(-?)|(\d{6})([-+]))(\d{4})(?![\d])")
_PHONE = re.compile(
    r"(?<![\w.,+/:-])(?:\+46[\s-]?|0046[\s-]?|0)(?:7[02369]|8|[1-9]\d)[\s-]?(?:\d[\s-]?){5,7}\d(?!\d)"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _valid_date(yymmdd: str) -> bool:
    mm, dd = int(yymmdd[2:4]), int(yymmdd[4:6])
    if dd > 60:  # samordningsnummer: day + 60
        dd -= 60
    return 1 <= mm <= 12 and 1 <= dd <= 31


def _mask(s: str) -> str:
    return " ".join(
        w[0] + "*" * max(len(w) - 2, 1) + (w[-1] if len(w) > 1 else "") for w in s.split()
    )


def _find(text: str, identifiers: Sequence[str]) -> list[tuple[int, str, str]]:
    """(offset, rule, hint) for every match in ``text``."""
    out = []
    for m in _PNR.finditer(text):
        body = (m.group(2) or m.group(4)) + m.group(6)
        if _valid_date(body[:6]) and luhn_ok(body):
            out.append((m.start(), "personnummer", "a valid Swedish personal identity number"))
    for m in _PHONE.finditer(text):
        out.append((m.start(), "phone", "a phone number"))
    for m in _EMAIL.finditer(text):
        out.append((m.start(), "email", "an e-mail address"))
    low = text.casefold()
    for ident in identifiers:
        key = ident.casefold()
        start = 0
        while (k := low.find(key, start)) >= 0:
            before = low[k - 1] if k else " "
            after = low[k + len(key)] if k + len(key) < len(low) else " "
            if not before.isalnum() and not after.isalnum():
                out.append((k, "identifier", f"register entry {_mask(ident)}"))
            start = k + 1
    return out


def _strip_html(text: str) -> str:
    text = re.sub(r"<style.*?</style>", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"<script.*?</script>", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"data:[a-z]+/[a-z+.-]+;base64,[A-Za-z0-9+/=\s]+", "data:", text)
    # markup identifiers (nbformat's random cell ids, CSS classes, table ids) are not content
    return re.sub(r'\s(?:id|class|style|data-[\w-]+)="[^"]*"', "", text)


def _texts(path: Path) -> Iterable[tuple[str, str]]:
    """(location, text) pieces of a file worth scanning."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: no nbformat import needed

        def text(v):
            return (
                "".join(v)
                if isinstance(v, list)
                else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            )

        for i, cell in enumerate(nb.get("cells", [])):
            yield f"cell {i} source", text(cell.get("source", ""))
            for k, out in enumerate(cell.get("outputs", [])):
                if "text" in out:
                    yield f"cell {i} output {k}", text(out["text"])
                for mime, val in out.get("data", {}).items():
                    if mime.startswith("text/") or mime == "application/json":
                        yield f"cell {i} output {k} ({mime})", text(val)

                if "evalue" in out:
                    yield f"cell {i} error", out["evalue"]
    else:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix in (".html", ".htm"):
            text = _strip_html(text)
        lines = text.split("\n")
        for n, line in enumerate(lines, start=1):
            yield f"line {n}", line


def load_identifiers(identifiers: str | Path | Sequence[str] | None) -> list[str]:
    """Identifier strings from a register file (one per line, ``#`` comments) or a list."""
    if identifiers is None:
        return []
    if isinstance(identifiers, (str, Path)):
        p = Path(identifiers)
        lines = p.read_text(encoding="utf-8").splitlines()
        return [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]
    return [str(s).strip() for s in identifiers if str(s).strip()]


def scan_for_leaks(
    paths: str | Path | Iterable[str | Path], identifiers: str | Path | Sequence[str] | None = None
) -> list[Leak]:
    """Look through executed notebooks, HTML pages and results for personal data.

    Parameters
    ----------
    paths : path or iterable of paths
        Files, or folders (searched recursively for ``.ipynb``, ``.html``,
        ``.json``, ``.md`` and ``.txt``).
    identifiers : path, list of str, or None
        An identifier register (one name or other identifier per line) or the
        strings themselves.

    Returns
    -------
    list of Leak
        Each with ``file``, ``location`` (``line N`` or ``cell i output k``)
        and ``rule``: ``identifier`` (case-insensitive, whole words),
        ``personnummer`` (YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDDNNNN,
        YYYYMMDD-NNNN with a valid date and Luhn check digit, so years,
        ranges and counts are not flagged), ``phone`` or ``email``. The
        matched text itself is never stored; ``hint`` masks it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.html").write_text("<p>Ring 070-123 45 67 om 811218-9876, 2019-2023: 1200</p>")
    >>> [(leak.location, leak.rule) for leak in scan_for_leaks(d)]
    [('line 1', 'phone'), ('line 1', 'personnummer')]
    """
    ids = load_identifiers(identifiers)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix in (".ipynb", ".html", ".htm", ".json", ".md", ".txt")
            )
        elif p.is_file():
            files.append(p)
    leaks = []
    for f in files:
        for loc, text in _texts(f):
            for _, rule, hint in sorted(_find(text, ids)):
                leaks.append(Leak(str(f), loc, rule, hint))
    return leaks


def release_check(run_dir: str | Path, data_dir: str | Path | None = None) -> dict:
    """Scan a run folder; the ``release`` entry of its manifest.

    The identifier register is ``<data_dir>/identifiers.txt`` (the fictional
    one of the example) and, when present, ``data/private/identifiers.txt``.
    """
    from .paths import project_root

    registers = []
    if data_dir and (Path(data_dir) / "identifiers.txt").exists():
        registers.append(Path(data_dir) / "identifiers.txt")
    private = project_root() / "data" / "private" / "identifiers.txt"
    if private.exists():
        registers.append(private)
    ids: list[str] = []
    for r in registers:
        ids += load_identifiers(r)
    run_dir = Path(run_dir)
    targets = [
        p for p in run_dir.iterdir() if p.suffix in (".ipynb", ".html") and p.name != "index.html"
    ]
    if (run_dir / "results").is_dir():
        targets.append(run_dir / "results")
    leaks = scan_for_leaks(targets, ids)
    return {
        "releasable": not leaks,
        "leaks": [dict(asdict(lk), file=str(Path(lk.file).relative_to(run_dir))) for lk in leaks],
        "identifier_registers": [str(r) for r in registers],
        "n_identifiers": len(ids),
    }
