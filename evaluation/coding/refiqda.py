"""REFI-QDA exchange, as the coding layer names it (the readers and writers live in
:mod:`evaluation.sources.refiqda`).

This module keeps the public import path ``evaluation.coding.refiqda`` working:
:func:`read_qdc`, :func:`write_qdc`, :func:`read_qdpx`, :func:`read_qdpx_texts`,
:func:`write_qdpx`, :func:`write_import_folder`, :func:`code_guid` and the limits.

Examples
--------
>>> from evaluation.coding.refiqda import code_guid
>>> len(code_guid("focus_groups", "samverkan"))
36
"""

from ..sources.refiqda import (
    MAX_ARCHIVE_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    MAX_XML_BYTES,
    NS_CODEBOOK,
    NS_PROJECT,
    code_guid,
    read_qdc,
    read_qdpx,
    read_qdpx_texts,
    write_import_folder,
    write_qdc,
    write_qdpx,
)

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
