"""Every path hangs off one anchor: the project root.

The root is the folder that holds ``pyproject.toml`` and ``notebooks/``. It is
found from the current directory upwards (so a notebook's kernel, whose working
directory is ``notebooks/``, finds it) and, failing that, from this package's
own location (an editable install). ``SERGEL_EVAL_ROOT`` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "resolve", "NOTEBOOKS", "REPORTS", "EXAMPLE_DATA", "CODEBOOKS"]


def _is_root(p: Path) -> bool:
    return (p / "pyproject.toml").is_file() and (p / "notebooks").is_dir()


def project_root() -> Path:
    """Return the project root folder (see module docstring).

    Returns
    -------
    Path
        ``SERGEL_EVAL_ROOT`` if set; else the first folder upwards from the
        current directory, then from this package, that holds
        ``pyproject.toml`` and ``notebooks/``; else the current directory.

    Examples
    --------
    >>> (project_root() / "pyproject.toml").is_file()
    True
    """
    env = os.environ.get("SERGEL_EVAL_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for p in (start, *start.parents):
            if _is_root(p):
                return p
    return Path.cwd()


def resolve(path: str | os.PathLike, base: Path | None = None) -> Path:
    """Absolute path: ``path`` itself if absolute, else relative to ``base`` (default: root).

    Examples
    --------
    >>> resolve("/tmp/x").as_posix()
    '/tmp/x'
    """
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    return ((base or project_root()) / p).resolve()


NOTEBOOKS = "notebooks"
REPORTS = "reports"
EXAMPLE_DATA = "data/example"
CODEBOOKS = "codebooks"
