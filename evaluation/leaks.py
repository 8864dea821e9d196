"""The leak scan of a run: personal identity numbers, phone numbers, e-mail
addresses and register identifiers in executed notebooks, HTML pages and results.

Public through :mod:`evaluation.disclosure`. Standard library only, so that the
release check of a run served from the cache stays fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Leak", "scan_for_leaks", "luhn_ok", "load_identifiers", "release_check"]


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
    r"(?<![\w.,+/:-])(?:\+46[\s-]?|0046[\s-]?|0)(?:7[02369]|8|[1-9]\d)[\s-]?(?:\d[\s-]?){5,7}\d(?!\w)"
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
