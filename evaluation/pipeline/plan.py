"""Plan a run: which notebooks, in which order, with which parameters, into which folder.

Nothing here starts a kernel: :func:`plan_run` reads the notebooks' metadata
and parameters cells, layers and checks the parameters, and
:func:`make_run_dir` creates the run folder (never inside an input).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import provenance
from ..cache import CACHE_DIR
from ..config import SCHEMA_FILE, load_params, load_schema, params_for, parse_override
from ..errors import ParameterError
from ..paths import CODEBOOKS, NOTEBOOKS, REPORTS, project_root, resolve

__all__ = [
    "discover_notebooks",
    "read_notebook_json",
    "declared_parameters",
    "notebook_needs",
    "select",
    "with_needs",
    "new_run_dir",
    "RunPlan",
    "plan_run",
    "make_run_dir",
]


def discover_notebooks(folder: str | Path | None = None) -> list[Path]:
    """The numbered notebooks ``NN_*.ipynb`` of ``folder`` in numeric order.

    Examples
    --------
    >>> [p.name for p in discover_notebooks()][:2]
    ['00_data_quality.ipynb', '01_site_observations.ipynb']
    """
    folder = Path(folder) if folder else project_root() / NOTEBOOKS
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def read_notebook_json(path: str | Path) -> dict[str, Any]:
    """A notebook as plain JSON (no nbformat import: it is slow to import and not needed
    to read metadata).

    Examples
    --------
    >>> read_notebook_json(discover_notebooks()[0])["nbformat"]
    4
    """
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def declared_parameters(path: str | Path, cache_dir: Path | None = None) -> dict[str, Any]:
    """The parameters a notebook declares and their defaults (papermill's inspection).

    With ``cache_dir`` the answer is kept per notebook content hash, so that a
    warm run need not import papermill at all.

    Examples
    --------
    >>> "data_dir" in declared_parameters(discover_notebooks()[0])
    True
    """
    import ast

    path = Path(path)
    cached = None
    if cache_dir is not None:
        cached = cache_dir / "parameters" / f"{provenance.sha256(path)}.json"
        if cached.exists():
            known: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
            return known
    import papermill

    info = papermill.inspect_notebook(str(path))
    out = {}
    for name, spec in info.items():
        default = spec.get("default")
        try:  # papermill gives the default as source text
            out[name] = ast.literal_eval(default) if isinstance(default, str) else default
        except (ValueError, SyntaxError):
            out[name] = default
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(out), encoding="utf-8")
    return out


def notebook_needs(path: str | Path) -> list[str]:
    """The notebooks (stems) this one needs first: ``metadata.sergel.needs`` in the notebook.

    Examples
    --------
    >>> nbs = {p.stem: p for p in discover_notebooks()}
    >>> "01_site_observations" in notebook_needs(nbs["04_synthesis"])
    True
    """
    return list(read_notebook_json(path).get("metadata", {}).get("sergel", {}).get("needs", []))


def select(notebooks: Sequence[Path], only: Iterable[str] | None) -> list[Path]:
    """The notebooks named in ``only`` (file name or stem), in numeric order.

    Examples
    --------
    >>> nbs = [Path("00_a.ipynb"), Path("01_b.ipynb"), Path("02_c.ipynb")]
    >>> [p.name for p in select(nbs, ["02_c", "00_a.ipynb"])]
    ['00_a.ipynb', '02_c.ipynb']
    >>> select(nbs, ["03_d"])
    Traceback (most recent call last):
    ...
    evaluation.errors.ParameterError: --only: no notebook 03_d; the notebooks are: 00_a, 01_b, 02_c
    """
    if not only:
        return list(notebooks)
    wanted = {Path(o).name.removesuffix(".ipynb") for o in only}
    by_stem = {p.stem: p for p in notebooks}
    unknown = sorted(w for w in wanted if w not in by_stem)
    if unknown:
        raise ParameterError(
            f"--only: no notebook {', '.join(unknown)}; the notebooks are: {', '.join(by_stem)}"
        )
    return [p for p in notebooks if p.stem in wanted]


def with_needs(notebooks: Sequence[Path], chosen: Sequence[Path]) -> list[Path]:
    """``chosen`` plus every notebook they need, directly or not (``sergel.needs``), in
    numeric order: a partial run builds what it needs (from the cache when current).

    Examples
    --------
    >>> nbs = discover_notebooks()
    >>> [p.stem for p in with_needs(nbs, select(nbs, ["00_data_quality"]))]
    ['00_data_quality']
    >>> len(with_needs(nbs, select(nbs, ["04_synthesis"]))) > 1
    True
    """
    by_stem = {p.stem: p for p in notebooks}
    wanted: set[str] = set()
    todo = [p.stem for p in chosen]
    while todo:
        stem = todo.pop()
        if stem in wanted:
            continue
        wanted.add(stem)
        for dep in notebook_needs(by_stem[stem]):
            if dep not in by_stem:
                raise ParameterError(
                    f"{by_stem[stem].name} needs {dep}, which is not in {by_stem[stem].parent}"
                )
            todo.append(dep)
    return [p for p in notebooks if p.stem in wanted]


def new_run_dir(reports: Path, now: datetime | None = None, prefix: str = "") -> Path:
    """Create and return a fresh ``reports/[prefix]YYYYMMDD-HHMMSS[-N]`` folder.

    Examples
    --------
    >>> import tempfile
    >>> reports = Path(tempfile.mkdtemp())
    >>> when = datetime(2024, 5, 1, 12, 0, 0)
    >>> new_run_dir(reports, when).name, new_run_dir(reports, when).name
    ('20240501-120000', '20240501-120000-2')
    """
    reports.mkdir(parents=True, exist_ok=True)
    stamp = prefix + (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        cand = reports / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            cand.mkdir()
            return cand
        except FileExistsError:
            n += 1


def _absolute(key: str, value: str) -> str:
    return f"{key}={json.dumps(str(Path(value).expanduser().resolve()))}"


def _cwd_relative_paths(overrides: Iterable[str], schema: dict | None) -> list[str]:
    """``-p key=value`` overrides with relative path values made absolute against the
    current folder (the values in params.yaml and --params files are taken from the root)."""
    out = []
    for text in overrides:
        key, value = parse_override(text)
        spec = (schema or {}).get(key, {})
        is_path = spec.get("type") == "path" or (key == "data_dir" and schema is None)
        if is_path and isinstance(value, str) and value:
            text = _absolute(key, value)
        out.append(text)
    return out


def _check_paths(params: dict[str, Any], schema: dict | None) -> None:
    """Make path parameters absolute (relative ones from the project root) and check that the
    folders and files they name exist; the message shows the absolute path tried."""
    kinds = {k: v.get("kind") for k, v in (schema or {}).items() if v.get("type") == "path"}
    if schema is None:
        kinds = {"data_dir": "dir"}
    for key, kind in kinds.items():
        value = params.get(key)
        if not isinstance(value, str) or not value:
            continue
        path = resolve(value)
        if kind == "dir" and not path.is_dir():
            raise ParameterError(f"{key} {value}: no such folder: {path}")
        if kind == "file" and not path.is_file():
            raise ParameterError(f"{key} {value}: no such file: {path}")
        params[key] = str(path)


@dataclass
class RunPlan:
    """What a run will do, decided before anything runs (:func:`plan_run`).

    Attributes
    ----------
    root, nb_dir : Path
        The project root and the notebooks folder.
    notebooks : list of Path
        Every numbered notebook of ``nb_dir``.
    requested, chosen : list of Path
        The notebooks asked for (``only``) and those plus what they need.
    declared : dict
        Notebook stem -> the parameters it declares, with defaults.
    params : dict
        The layered, checked parameters of the run.
    param_files : list of Path
        The parameter files read (``params.yaml``, ``--params``).
    needs : dict
        Notebook stem -> the notebooks it needs (``sergel.needs``).

    Examples
    --------
    >>> p = plan_run(only=["00_data_quality"], cache=False)
    >>> [nb.stem for nb in p.chosen], p.complete, p.partial
    (['00_data_quality'], False, True)
    """

    root: Path
    nb_dir: Path
    notebooks: list[Path]
    requested: list[Path]
    chosen: list[Path]
    declared: dict[str, dict[str, Any]]
    params: dict[str, Any]
    param_files: list[Path]
    needs: dict[str, list[str]]
    partial: bool

    @property
    def complete(self) -> bool:
        """Whether every notebook of the folder runs (only then can it be ``reports/latest``)."""
        return len(self.chosen) == len(self.notebooks)

    def notebook_parameters(self, nb: Path, run_dir: Path) -> dict[str, Any]:
        """The parameters injected into ``nb``: the keys it declares, plus ``run_dir``."""
        nb_params = params_for(self.params, self.declared[nb.stem])
        if "run_dir" in self.declared[nb.stem]:
            nb_params["run_dir"] = str(run_dir)
        return nb_params


def plan_run(
    params_file: str | Path | None = None,
    overrides: Iterable[str] = (),
    only: Iterable[str] | None = None,
    data: str | Path | None = None,
    notebooks_dir: str | Path | None = None,
    cache: bool = True,
) -> RunPlan:
    """Choose the notebooks and check every parameter; raise before anything runs.

    The arguments are those of :func:`evaluation.pipeline.run`. Parameters are
    layered ``notebooks/params.yaml`` → ``params_file`` → ``data`` →
    ``overrides`` and checked against ``notebooks/params.schema.yaml``.

    Examples
    --------
    >>> p = plan_run(overrides=["language=en"], only=["01_site_observations"], cache=False)
    >>> p.params["language"], Path(p.params["data_dir"]).name
    ('en', 'example')
    >>> plan_run(overrides=["no_such_key=1"], cache=False)
    Traceback (most recent call last):
    ...
    evaluation.errors.ParameterError: ...no_such_key...
    """
    root = project_root()
    nb_dir = Path(notebooks_dir) if notebooks_dir else root / NOTEBOOKS
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        raise ParameterError(f"no notebooks NN_*.ipynb in {nb_dir}")
    requested = select(notebooks, only)
    chosen = with_needs(notebooks, requested)
    cache_dir = root / REPORTS / CACHE_DIR if cache else None
    declared = {p.stem: declared_parameters(p, cache_dir) for p in notebooks}
    defaults_file = nb_dir / "params.yaml"
    schema_file = nb_dir / SCHEMA_FILE
    schema = load_schema(schema_file) if schema_file.exists() else None
    over = _cwd_relative_paths(overrides, schema)
    if data is not None:
        over.append(f"data_dir={json.dumps(str(Path(data).resolve()))}")
    if params_file is not None:
        params_file = Path(params_file).resolve()
    params = load_params(defaults_file, params_file, over, declared, schema)
    _check_paths(params, schema)
    param_files = [
        Path(p)
        for p in (defaults_file, Path(params_file) if params_file else None)
        if p and Path(p).exists()
    ]
    return RunPlan(
        root=root,
        nb_dir=nb_dir,
        notebooks=notebooks,
        requested=requested,
        chosen=chosen,
        declared=declared,
        params=params,
        param_files=param_files,
        needs={p.stem: notebook_needs(p) for p in chosen},
        partial=bool(only),
    )


def _refuse_output_in_inputs(
    output: Path, params: dict[str, Any], nb_dir: Path, root: Path
) -> None:
    """A run writes only into its own folder, never inside an input: not inside the data
    folder (nor ``data/``), the codebook's folder (nor ``codebooks/``) or the notebooks."""
    out = output.expanduser().resolve()
    inputs = {
        "the data folder": params.get("data_dir"),
        "the data sets folder": root / "data",
        "the codebook folder": Path(params["codebook"]).parent if params.get("codebook") else None,
        "the codebooks folder": root / CODEBOOKS,
        "the notebooks folder": nb_dir,
    }
    for what, folder in inputs.items():
        if not folder:
            continue
        folder = Path(folder).resolve()
        if out == folder or out.is_relative_to(folder):
            raise ParameterError(
                f"--output {output}: {out} is inside {what} {folder}; a run never writes into "
                "its inputs: give a folder elsewhere (e.g. under reports/)"
            )


def _prepare_output(output: str | Path) -> Path:
    out = Path(output).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ParameterError(
            f"--output {output}: exists and is not empty; give a new or empty folder"
        )
    out.mkdir(parents=True, exist_ok=True)
    return out


def make_run_dir(plan: RunPlan, output: str | Path | None = None) -> Path:
    """Create the run folder: ``output`` (new or empty, not inside an input) or a new
    ``reports/<YYYYMMDD-HHMMSS>[-N]``.

    Examples
    --------
    >>> import tempfile
    >>> p = plan_run(only=["00_data_quality"], cache=False)
    >>> make_run_dir(p, Path(tempfile.mkdtemp()) / "run").is_dir()
    True
    >>> make_run_dir(p, p.nb_dir / "out")
    Traceback (most recent call last):
    ...
    evaluation.errors.ParameterError: --output ...: ... is inside the notebooks folder ...
    """
    if output:
        _refuse_output_in_inputs(Path(output), plan.params, plan.nb_dir, plan.root)
        return _prepare_output(output)
    return new_run_dir(plan.root / REPORTS)
