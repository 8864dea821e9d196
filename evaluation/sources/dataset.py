"""A whole data folder: load every source, cross-check, summarise.

Each source has one row in the loader table (:data:`LOADERS`): the attribute of
:class:`Dataset` it fills, where it lives in the folder and the function that
loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from ..errors import DataError, Problem
from ..paths import resolve
from ..textio import confine
from ._schema import MAX_PROBLEMS_PER_FILE
from .calendar import activation_on, load_calendar
from .codebook import Codebook
from .codebook_reader import load_codebook
from .crime import load_crime
from .files import empty_files
from .focus_groups import load_focus_groups
from .observations import load_observations
from .study import STUDY_FILE, Study, load_study
from .survey import load_survey

__all__ = ["Dataset", "load_dataset", "Loader", "LOADERS", "SOURCES", "DEFAULT_CODEBOOK"]

DEFAULT_CODEBOOK = "codebooks/focus_groups.yaml"

T = TypeVar("T")


@dataclass(frozen=True)
class Loader:
    """One source of a data folder: where it is and how it is loaded.

    Attributes
    ----------
    name : str
        The :class:`Dataset` attribute it fills (and the source's name in messages).
    path : str
        Its file or folder, relative to the data folder.
    folder : bool
        ``True`` for a folder (loaded when it is a folder), ``False`` for a file
        (loaded when it exists).
    load : callable
        ``load(path[, code_ids], study=study)`` returning ``(frames, problems)``.
    needs_codes : bool
        Whether ``load`` takes the codebook's code ids (to check codings against).

    Examples
    --------
    >>> [(x.name, x.path) for x in LOADERS][:2]
    [('calendar', 'calendar.csv'), ('observations', 'observations')]
    """

    name: str
    path: str
    folder: bool
    load: Callable[..., Any]
    needs_codes: bool = False


#: The sources of a data folder, in the order they are loaded and listed.
LOADERS: tuple[Loader, ...] = (
    Loader("calendar", "calendar.csv", False, load_calendar),
    Loader("observations", "observations", True, load_observations),
    Loader("focus_groups", "focus_groups", True, load_focus_groups, needs_codes=True),
    Loader("crime", "crime", True, load_crime),
    Loader("survey", "survey/safety.csv", False, load_survey),
)
#: The names of the sources (:class:`Dataset` attributes).
SOURCES: tuple[str, ...] = tuple(x.name for x in LOADERS)


@dataclass
class Dataset:
    """Every source of one data folder as tidy DataFrames.

    A source whose folder is absent is ``None`` (and named in ``warnings``);
    analyses then say that the source is missing instead of failing.

    Attributes
    ----------
    path : Path
    calendar : DataFrame or None
        ``start, end, kind, name``.
    observations : dict or None
        ``zones``, ``sessions`` (with derived columns ``minutes, hours,
        overnight, daypart, weekend, month, year, activated, pair``), ``counts``,
        ``incidents``.
    focus_groups : dict or None
        ``participants``, ``segments``, ``codings``, ``texts``.
    crime : dict or None
        ``reported``, ``areas``.
    survey : DataFrame or None
    codebook : Codebook or None
    study : Study or None
        ``study.yaml`` of the folder (:mod:`evaluation.sources.study`).
    warnings : list of Problem

    Examples
    --------
    >>> from pathlib import Path
    >>> ds = Dataset(path=Path("empty"))
    >>> ds.sources, ds.summary().splitlines()[-1]
    ([], 'missing sources: calendar, observations, focus_groups, crime, survey')
    """

    path: Path
    calendar: pd.DataFrame | None = None
    observations: dict[str, pd.DataFrame] | None = None
    focus_groups: dict[str, pd.DataFrame] | None = None
    crime: dict[str, pd.DataFrame] | None = None
    survey: pd.DataFrame | None = None
    codebook: Codebook | None = None
    study: Study | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """The sources present."""
        return [n for n in SOURCES if getattr(self, n) is not None]

    def summary(self) -> str:
        """A one-screen plain-text summary of what was found (see the class example)."""
        out = [f"data folder: {self.path}"]
        if self.study is not None:
            st = self.study
            out.append(
                f"study.yaml: {st.site_name('en')} ({st.start:%Y-%m-%d} to {st.end:%Y-%m-%d}),"
                f" {len(st.codes('zones'))} zones, {len(st.questions)} questions,"
                f" {len(st.goals)} goals"
            )
        if self.calendar is not None:
            c = self.calendar
            act = c[c["kind"] != "policing"]
            out.append(
                f"calendar.csv: {len(c)} periods ({len(act)} activation, {len(c) - len(act)} policing), "
                f"{c['start'].min():%Y-%m-%d} to {c['end'].max():%Y-%m-%d}"
            )
        if self.observations is not None:
            o = self.observations
            s = o["sessions"]
            states = ", ".join(
                f"{k} {v}" for k, v in s["activation"].value_counts().sort_index().items()
            )
            pairs = int(s.duplicated("pair").sum()) if "pair" in s else 0
            out.append(
                f"observations: {len(s)} sessions in {s['zone'].nunique()} zones, "
                f"{s['date'].min():%Y-%m-%d} to {s['date'].max():%Y-%m-%d}; by activation: {states}; "
                f"{pairs} double-observed; {len(o['counts'])} count rows ({int(o['counts']['count'].sum())} people), "
                f"{len(o['incidents'])} incident rows"
            )
        if self.focus_groups is not None:
            f = self.focus_groups
            seg, cod = f["segments"], f["codings"]
            double = (
                cod.groupby("group")["coder"].nunique() if not cod.empty else pd.Series(dtype=int)
            )
            out.append(
                f"focus groups: {seg['group'].nunique()} groups, {len(f['participants'])} participants, "
                f"{len(seg)} turns; {len(cod)} codings by {cod['coder'].nunique() if not cod.empty else 0} coders "
                f"({int((double >= 2).sum())} groups double-coded)"
            )
        if self.crime is not None:
            r = self.crime["reported"]
            out.append(
                f"crime: {len(r)} rows, {r['month'].min():%Y-%m} to {r['month'].max():%Y-%m}, "
                f"areas {', '.join(sorted(r['area'].unique()))}; categories {', '.join(sorted(r['category'].unique()))}"
            )
        if self.survey is not None:
            s = self.survey
            out.append(
                f"survey: {len(s)} rows, {int(s['year'].min())}-{int(s['year'].max())}, "
                f"areas {', '.join(sorted(s['area'].unique()))}, items {', '.join(sorted(s['item'].unique()))}"
            )
        if self.codebook is not None:
            out.append(f"codebook: {self.codebook.source} ({len(self.codebook.codes)} codes)")
        missing = [n for n in SOURCES if getattr(self, n) is None]
        if missing:
            out.append("missing sources: " + ", ".join(missing))
        if self.warnings:
            out.append(f"{len(self.warnings)} warning(s):")
            out.extend(f"  {w}" for w in self.warnings[:20])
            if len(self.warnings) > 20:
                out.append(f"  ... and {len(self.warnings) - 20} more")
        return "\n".join(out)


def _calendar_warnings(cal: pd.DataFrame, sessions: pd.DataFrame) -> list[Problem]:
    """Sessions whose activation state the calendar does not support, in either direction.

    ``none`` on a day inside an activation period; ``art``/``event``/``park`` on a day
    that no calendar period of that kind covers (a ``pilot`` period covers every kind).
    """
    on = activation_on(cal, sessions["date"])
    kinds = on.str.split(",")
    act = sessions["activation"]
    none_inside = (act == "none") & (on != "")
    unsupported = pd.Series(
        [
            a != "none" and a not in k and "pilot" not in k
            for a, k in zip(act.to_numpy(), kinds.to_numpy(), strict=True)
        ],
        index=sessions.index,
        dtype=bool,
    )
    probs = []
    flagged = sessions.index[(none_inside | unsupported).to_numpy()][:MAX_PROBLEMS_PER_FILE]
    for idx in flagged:
        date: Any = sessions.at[idx, "date"]
        day = f"{date:%Y-%m-%d}"
        if none_inside.loc[idx]:
            msg = f"'none' on {day}, inside a calendar period ({on.loc[idx]})"
        else:
            periods = f"periods that day: {on.loc[idx]}" if on.loc[idx] else "no period that day"
            msg = (
                f"{act.loc[idx]!r} on {day}, but no calendar period of kind"
                f" {act.loc[idx]!r} covers that day ({periods})"
            )
        probs.append(
            Problem(
                "observations/sessions.csv",
                int(idx) + 2,
                "activation",
                msg,
                "the activation state of that day in calendar.csv (check the log or the calendar)",
                severity="warning",
            )
        )
    return probs


def _codebook_named(root: Path) -> str | None:
    """``study.codebook`` of a ``study.yaml`` that has other problems (so that its codebook is
    still checked); ``None`` when it cannot be read."""
    from ..yamlio import load_yaml_file

    try:
        with confine(root, keep_outer=False):
            data = load_yaml_file(root / STUDY_FILE, STUDY_FILE)
    except (DataError, OSError):
        return None
    cb = (data.get("study") or {}).get("codebook") if isinstance(data, dict) else None
    return cb if isinstance(cb, str) and cb.strip() else None


class _Problems:
    """Problems collected while loading; a file that cannot be read is noted, not fatal."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def attempt(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T | None:
        try:
            return fn(*args, **kw)
        except DataError as exc:  # unreadable file: note it, go on with the rest
            self.items.extend(exc.problems)
            return None


def _load_codebook(
    ds: Dataset, root: Path, codebook: str | Path | Codebook | None, pr: _Problems
) -> None:
    """The codebook codings are checked against: given, the study's, or the project's default."""
    study_codebook = ds.study.codebook if ds.study is not None else _codebook_named(root)
    if isinstance(codebook, Codebook):
        ds.codebook = codebook
    elif codebook is None and study_codebook:
        with confine(root, keep_outer=False):
            ds.codebook = pr.attempt(load_codebook, root / study_codebook)
    else:
        cb_path = codebook if codebook is not None else resolve(DEFAULT_CODEBOOK)
        if codebook is not None or Path(cb_path).exists():
            ds.codebook = pr.attempt(load_codebook, cb_path)


def _load_sources(ds: Dataset, root: Path, pr: _Problems) -> None:
    """Every source of the loader table that the folder has."""
    code_ids = set(ds.codebook.codes) if ds.codebook is not None else None
    with confine(root, keep_outer=False):  # every file read must resolve inside the folder
        for loader in LOADERS:
            where = root / loader.path
            if not (where.is_dir() if loader.folder else where.exists()):
                continue
            args = (where, code_ids) if loader.needs_codes else (where,)
            res = pr.attempt(loader.load, *args, study=ds.study)
            if res:
                frames, problems = res
                setattr(ds, loader.name, frames)
                pr.items += problems


def _soft_warnings(ds: Dataset) -> list[Problem]:
    """Warnings about data that load: calendar support, observers never doubled, absent sources."""
    warnings: list[Problem] = []
    if ds.calendar is not None and ds.observations is not None:
        warnings += _calendar_warnings(ds.calendar, ds.observations["sessions"])
    if ds.observations is not None:
        s = ds.observations["sessions"]
        doubled = set(s.loc[s.duplicated("pair", keep=False), "observer"])
        for obs in sorted(set(s["observer"]) - doubled):
            warnings.append(
                Problem(
                    "observations/sessions.csv",
                    None,
                    "observer",
                    f"observer {obs!r} never double-observed",
                    "every observer in at least one double observation (for agreement)",
                    severity="warning",
                )
            )
    for name in SOURCES:
        if getattr(ds, name) is None:
            warnings.append(
                Problem(
                    name,
                    None,
                    None,
                    "source not present in this data folder",
                    None,
                    severity="warning",
                )
            )
    return warnings


def load_dataset(path: str | Path, codebook: str | Path | Codebook | None = None) -> Dataset:
    """Load and cross-check every source of a data folder.

    Parameters
    ----------
    path : str or Path
        The data folder (docs/data-contract.md; ``data/README.md``).
    codebook : path, Codebook, or None
        The codebook that codings are checked against. ``None`` takes the
        study's codebook (``study.codebook`` in ``study.yaml``, a path in the
        data folder), else ``codebooks/focus_groups.yaml`` of the project when
        it exists.

    Returns
    -------
    Dataset
        With soft problems in ``warnings``.

    Raises
    ------
    DataError
        Listing *every* error in every file (file, line, column, what was
        expected). The folder is only read, never written, and only regular
        files inside it are read: a symbolic link that points out of the
        folder, a FIFO, a device or a folder where a file should be is an
        error naming the file (its content is never read or shown).

    Examples
    --------
    >>> ds = load_dataset("data/example")
    >>> ds.sources
    ['calendar', 'observations', 'focus_groups', 'crime', 'survey']
    >>> int(ds.observations["sessions"]["minutes"].min()) > 0
    True
    """
    root = resolve(path)
    if not root.is_dir():
        raise DataError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    "no such data folder",
                    "a folder laid out as in data/README.md",
                )
            ]
        )
    ds = Dataset(path=root)
    pr = _Problems()
    with confine(root, keep_outer=False):
        ds.study = pr.attempt(load_study, root / STUDY_FILE)
    _load_codebook(ds, root, codebook, pr)
    _load_sources(ds, root, pr)
    problems = pr.items + empty_files(root, ds.sources)
    errors = [p for p in problems if p.severity == "error"]
    if not ds.sources and not errors:
        errors.append(
            Problem(
                str(path),
                None,
                None,
                "no data sources found",
                "calendar.csv, observations/, focus_groups/, crime/ or survey/safety.csv",
            )
        )
    if errors:
        raise DataError(errors)
    ds.warnings = [p for p in problems if p.severity != "error"] + _soft_warnings(ds)
    return ds
