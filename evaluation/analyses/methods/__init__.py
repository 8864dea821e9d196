"""06_methods_appendix: the methods appendix, references, ethics statement and glossary.

Everything here is generated from the run's parameters and the data, with
texts from ``messages/<language>/methods.yaml``:

- :func:`study_facts` counts what the data hold (sessions, zones, observers,
  focus groups, coders, crime months, survey years);
- :func:`methods_text` describes the protocol, age estimation, the models
  with their formulas in words (count model and the family rule, the
  interrupted time series, the survey trend), the reliability thresholds,
  the suppression rule, the quote rule and the coding process, each with the
  values this run used;
- :func:`report_metadata` reads the authors, the commissioning body and the
  ethics and consent statement from the data folder's ``study.yaml`` (when it
  has these fields) or ``report.yaml``; what neither states is "not stated";
- :func:`load_references` reads the reference list, a CSL-JSON file
  (``evaluation/references.json``), and :func:`format_reference` renders an item
  (author-year style);
- :func:`glossary` lists the terms the report uses.

The parts, one concern each: :mod:`~evaluation.analyses.methods.text` (the
methods text and the glossary), :mod:`~evaluation.analyses.methods.metadata`
(who wrote the report, ethics and consent) and
:mod:`~evaluation.analyses.methods.references` (the reference list). Every
public name is importable from ``evaluation.analyses.methods``.
"""

from __future__ import annotations

from .metadata import (
    EXAMPLE_REPORT_YAML,
    METADATA_FIELDS,
    METADATA_FILES,
    ReportMetadata,
    ethics_text,
    metadata_note,
    metadata_table,
    report_metadata,
    write_example_report,
)
from .references import (
    MAX_REFERENCES_BYTES,
    REFERENCES,
    format_reference,
    load_references,
    reference_list,
    reference_markdown,
)
from .text import GLOSSARY_TERMS, PARAMETERS, glossary, methods_text, study_facts

__all__ = [
    "REFERENCES",
    "PARAMETERS",
    "METADATA_FILES",
    "METADATA_FIELDS",
    "GLOSSARY_TERMS",
    "ReportMetadata",
    "report_metadata",
    "metadata_table",
    "load_references",
    "format_reference",
    "reference_list",
    "reference_markdown",
    "study_facts",
    "methods_text",
    "glossary",
    "ethics_text",
    "metadata_note",
    "EXAMPLE_REPORT_YAML",
    "write_example_report",
    "MAX_REFERENCES_BYTES",
]
