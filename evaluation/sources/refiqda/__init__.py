"""REFI-QDA exchange: codebooks (``.qdc``) and projects (``.qdpx``).

Follows QDA-XML 1.0 (REFI, 2019): codebook namespace ``urn:QDA-XML:codebook:1.0``,
project namespace ``urn:QDA-XML:project:1.0``; a ``.qdpx`` is a zip holding
``project.qde`` and ``sources/``. Exports validate against the standard's
``Project.xsd`` (tested).

Written with the standard library's ``xml.etree`` (parsing through ``defusedxml``,
which refuses DTDs and entities) rather than ``pyrefiqda``
(models generated from the XSDs): import must accept what real tools write,
which often is not schema-valid (bare file names as paths, empty ``<Sets/>``,
byte-order marks, upper-case GUIDs, line breaks counted as two characters), a
strict schema-bound parser rejects exactly those files, and ``pyrefiqda``
extracts archives into the working directory and brings four further
dependencies (pydantic, xsdata, xsdata-pydantic, lxml) for a few hundred lines.

GUIDs we write are stable: ``uuid5`` of the codebook id and code id (codes),
of the coder (users), of the group (sources) and of the span (selections), so
a re-export does not break the other tool's links.

Import treats a project as possibly hostile (it comes from other people): only
the archive is read unless the caller names a folder of external sources
(``sources_dir``), members are read within :data:`MAX_MEMBER_BYTES` /
:data:`MAX_UNPACKED_BYTES` (declared sizes checked first), XML is parsed without
DTDs or entities, code trees are walked without recursion, and every defect is a
:class:`~evaluation.errors.DataError` naming the archive, member, source or
selection.

Our own fields that QDA-XML has no place for (the code id, the English label,
include/exclude, examples, keywords) travel in the code's ``Description`` as
labelled lines (``Include: ...``), which other tools show as text and which
:func:`read_qdc` reads back, so YAML -> QDC -> YAML keeps ids, labels,
hierarchy and definitions.

The modules, one step each: :mod:`.qdc` (codebooks), :mod:`.archive` (bounded
reading of an archive), :mod:`.source_text` (a source's text, confined),
:mod:`.positions` (selections, turns, line breaks), :mod:`.qdpx` (projects),
:mod:`.checks` and :mod:`.write` (export).
"""

from ._xml import MAX_XML_BYTES, NS_CODEBOOK, NS_PROJECT, code_guid
from .archive import MAX_ARCHIVE_BYTES, MAX_MEMBER_BYTES, MAX_MEMBERS, MAX_UNPACKED_BYTES
from .qdc import read_qdc
from .qdpx import read_qdpx, read_qdpx_texts
from .write import write_import_folder, write_qdc, write_qdpx

__all__ = [
    "read_qdc",
    "write_qdc",
    "read_qdpx",
    "read_qdpx_texts",
    "write_qdpx",
    "write_import_folder",
    "code_guid",
    "NS_CODEBOOK",
    "NS_PROJECT",
    "MAX_MEMBER_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_MEMBERS",
    "MAX_ARCHIVE_BYTES",
    "MAX_XML_BYTES",
]
