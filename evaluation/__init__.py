"""sergel-eval: evaluation of the place activation of a square.

What is evaluated (the site, its zones, the target group, the questions, the goals) is
the data folder's ``study.yaml`` (:mod:`evaluation.sources.study`).

The public API, re-exported here:

- data: :func:`load_dataset`, :class:`Dataset`, :func:`validate`;
- errors: :class:`DataError` and the rest of :mod:`evaluation.errors`;
- runs: :func:`run` (papermill pipeline).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    CodebookError,
    DataError,
    EvaluationError,
    ModelError,
    NotebookError,
    ParameterError,
    Problem,
    ReleaseError,
)

if TYPE_CHECKING:
    from .pipeline import RunResult
    from .sources import Dataset

__version__ = "0.1.0"

# Imported on first use (PEP 562): the data layer pulls in pandas and pandera,
# which ``evaluation run`` does not need when every notebook comes from the cache.
_LAZY = {"Dataset": "sources", "load_dataset": "sources"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def validate(path: str | Path, codebook: str | Path | None = None) -> Dataset:
    """Validate a data folder; return its :class:`Dataset` or raise :class:`DataError`.

    The same as :func:`load_dataset`, named for use in scripts that only check.

    >>> ds = validate("data/example")
    >>> "observations" in ds.summary()
    True
    """
    from .sources import load_dataset

    return load_dataset(path, codebook=codebook)


def run(*args: Any, **kwargs: Any) -> RunResult:
    """Run the notebooks into a new report folder; see :func:`evaluation.pipeline.run`.

    Examples
    --------
    A parameter that is not allowed stops the run before anything starts:

    >>> run(overrides=["language=fi"], progress=None)
    Traceback (most recent call last):
    ...
    evaluation.errors.ParameterError: ...language...
    """
    from .pipeline import run as _run

    return _run(*args, **kwargs)


__all__ = [
    "Dataset",
    "load_dataset",
    "validate",
    "run",
    "EvaluationError",
    "DataError",
    "CodebookError",
    "ParameterError",
    "ModelError",
    "NotebookError",
    "ReleaseError",
    "Problem",
    "__version__",
]
