"""Qualitative coding: codebooks, coded transcripts, reliability, REFI-QDA exchange."""

from .analysis import (
    code_by_role,
    code_frequencies,
    cooccurrence,
    cooccurrence_matrix,
    exemplar_quotes,
    primary_codings,
    saturation,
)
from .codebook import Code, Codebook, load_codebook
from .keywords import suggest_codings, suggestion_quality
from .reliability import cohen_kappa, intercoder_reliability, krippendorff_alpha

__all__ = [
    "Code",
    "Codebook",
    "load_codebook",
    "cohen_kappa",
    "krippendorff_alpha",
    "intercoder_reliability",
    "primary_codings",
    "code_frequencies",
    "code_by_role",
    "cooccurrence",
    "cooccurrence_matrix",
    "exemplar_quotes",
    "saturation",
    "suggest_codings",
    "suggestion_quality",
]
