"""sergel-eval: evaluation of the art activation of Sergels torg, Stockholm.

The public API, re-exported here:

- data: :func:`load_dataset`, :class:`Dataset`, :func:`validate`;
- errors: :class:`DataError` and the rest of :mod:`evaluation.errors`;
- runs: :func:`run` (papermill pipeline).
"""

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
from .sources import Dataset, load_dataset

__version__ = "0.1.0"


def validate(path, codebook=None) -> Dataset:
    """Validate a data folder; return its :class:`Dataset` or raise :class:`DataError`.

    The same as :func:`load_dataset`, named for use in scripts that only check.

    >>> ds = validate("data/example")
    >>> "observations" in ds.summary()
    True
    """
    return load_dataset(path, codebook=codebook)


def run(*args, **kwargs):
    """Run the notebooks into a new report folder; see :func:`evaluation.pipeline.run`."""
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
