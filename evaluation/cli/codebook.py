"""``evaluation codebook check|export|import FILE``: codebooks in YAML, REFI-QDA .qdc or .qdpx."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import ParameterError

__all__ = ["cmd_codebook"]


def _out_of_memory(what: str) -> int:
    from .commands import _out_of_memory as report

    return report(what)


def _refuse_overwrite(to: Path, force: bool, inputs: list[Path], what: str) -> None:
    """Stop (exit 2) before writing ``to`` over an existing file or an input."""
    target = to.resolve()
    for inp in inputs:
        r = inp.resolve()
        if target == r or (inp.is_dir() and r in target.parents):
            raise ParameterError(f"{what}: --to {to} would write over the input {inp}")
    if to.exists() and not force:
        if to.is_dir() and not any(to.iterdir()):
            return
        raise ParameterError(f"{what}: {to} exists; use --force to overwrite it")


def cmd_codebook(a: argparse.Namespace) -> int:
    """``evaluation codebook``: check, export (.qdc) or import (.yaml, a .qdpx project).

    Examples
    --------
    >>> from evaluation.cli import main
    >>> main(["codebook", "check", "codebooks/focus_groups.yaml"])  # doctest: +ELLIPSIS
    OK: codebooks/focus_groups.yaml: codebook ... codes (... top-level)
    0
    >>> main(["codebook", "export", "codebooks/focus_groups.yaml"])
    2
    """
    try:
        return _codebook(a)
    except MemoryError:
        return _out_of_memory(a.file)


def _read(src: Path, sources_dir: Path | None) -> tuple[Any, Any, Any, dict[str, str]]:
    """(codebook, segments, codings, texts) of a codebook file or a .qdpx project."""
    from ..coding.codebook import load_codebook

    if sources_dir is not None and src.suffix.lower() != ".qdpx":
        raise ParameterError("codebook: --sources-dir applies to a .qdpx project only")
    if src.suffix.lower() == ".qdpx":
        from ..coding.refiqda import read_qdpx_texts

        cb, segments, codings, texts = read_qdpx_texts(src, sources_dir=sources_dir)
        return cb, segments, codings, texts
    return load_codebook(src), None, None, {}


def _codebook(a: argparse.Namespace) -> int:
    src = Path(a.file)
    sources_dir = Path(a.sources_dir) if a.sources_dir else None
    cb, segments, codings, texts = _read(src, sources_dir)
    if a.action == "check":
        extra = ""
        if codings is not None:
            extra = (
                f"; {len(texts)} source(s), {len(segments)} segments,"
                f" {codings['selection'].nunique()} coded selections"
            )
        print(
            f"OK: {a.file}: codebook {cb.id!r} version {cb.version}, {len(cb.codes)} codes"
            f" ({len(cb.roots())} top-level){extra}"
        )
        return 0
    if not a.to:
        raise ParameterError(f"codebook {a.action}: --to is required")
    to = Path(a.to)
    inputs = [src] + ([sources_dir] if sources_dir is not None else [])
    if a.action == "export":
        return _export(cb, to, a.force, inputs)
    if codings is None:
        return _import_yaml(cb, to, a.force, inputs)
    return _import_project(cb, codings, texts, to, a.force, inputs)


def _export(cb: Any, to: Path, force: bool, inputs: list[Path]) -> int:
    from ..coding.refiqda import write_qdc

    if to.suffix.lower() != ".qdc":
        raise ParameterError("codebook export: --to must end in .qdc")
    _refuse_overwrite(to, force, inputs, "codebook export")
    write_qdc(cb, to)
    print(f"wrote {to} ({len(cb.codes)} codes)")
    return 0


def _import_yaml(cb: Any, to: Path, force: bool, inputs: list[Path]) -> int:
    if to.suffix.lower() not in (".yaml", ".yml"):
        raise ParameterError("codebook import: --to must end in .yaml or .yml")
    _refuse_overwrite(to, force, inputs, "codebook import")
    cb.write_yaml(to)
    print(f"wrote {to} ({len(cb.codes)} codes)")
    return 0


def _import_project(
    cb: Any, codings: Any, texts: dict[str, str], to: Path, force: bool, inputs: list[Path]
) -> int:
    """A .qdpx project: codebook, codings and transcripts into a (new) folder."""
    from ..coding.refiqda import write_import_folder

    if to.suffix:
        raise ParameterError("codebook import: for a .qdpx project --to names a folder")
    _refuse_overwrite(to, force, inputs, "codebook import")
    write_import_folder(to, cb, codings, texts)
    breaks = ", ".join(f"{g}: {v}" for g, v in codings.attrs.get("line_breaks", {}).items())
    print(
        f"wrote {to}: codebook.yaml ({len(cb.codes)} codes), codings.csv ({len(codings)} rows),"
        f" transcripts/ ({len(texts)} files); line breaks counted as: {breaks or '-'}"
    )
    return 0
