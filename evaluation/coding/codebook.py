"""Codebooks, as the coding layer names them (the model and readers live in :mod:`evaluation.sources`).

The plain model is :mod:`evaluation.sources.codebook` (:class:`Code`,
:class:`Codebook`); the YAML reader :mod:`evaluation.sources.codebook_reader`
(:func:`load_codebook`, which reads REFI-QDA ``.qdc`` too, and
:func:`codebook_from_dict`). This module keeps the public import path
``evaluation.coding.codebook`` working.

Examples
--------
>>> from evaluation.coding.codebook import load_codebook
>>> from evaluation.paths import resolve
>>> load_codebook(resolve("codebooks/focus_groups.yaml")).language
'sv'
"""

from ..sources.codebook import CODE_FIELDS, MAX_CODE_DEPTH, MAX_CODES, Code, Codebook
from ..sources.codebook_reader import MAX_PROBLEMS, codebook_from_dict, load_codebook

__all__ = [
    "Code",
    "Codebook",
    "load_codebook",
    "codebook_from_dict",
    "CODE_FIELDS",
    "MAX_CODE_DEPTH",
    "MAX_CODES",
    "MAX_PROBLEMS",
]
