"""Qualitative coding: codebooks, coded transcripts, reliability, REFI-QDA exchange."""

from .codebook import Code, Codebook, load_codebook

__all__ = ["Code", "Codebook", "load_codebook"]
