"""The leak scan of a run: personal identity numbers, phone numbers, e-mail
addresses and register identifiers in every file a run writes.

Public through :mod:`evaluation.disclosure`. Standard library only (pypdf for
PDF files), so that the release check of a run served from the cache stays fast.

What is scanned
---------------
Every file under the given paths, by content type:

* HTML, Markdown, XML: the raw text (entities decoded, markup attributes
  dropped) *and* the visible text (tags stripped, inline tags joined so that a
  name split by ``<b>`` is whole again); ``data:`` URIs are decoded and
  scanned as the file they hold (PNG, SVG, text);
* notebooks (``.ipynb``) and JSON: every string, key and number of the decoded
  JSON (``\\u`` escapes resolved): sources, outputs of every MIME type
  (images decoded), tracebacks (ANSI colours removed), metadata, tags,
  papermill parameters;
* SVG: text, titles, metadata and non-geometry attributes;
* PNG: ``tEXt``, ``zTXt`` and ``iTXt`` chunks;
* PDF (``report.pdf``): the text of every page, document information,
  annotations and outline (with pypdf, the ``pdf`` extra: without it a PDF is
  a scan error), and the printable runs of the file and its streams;
* zip archives (``.zip``, ``.xlsx``, ``.docx``...), tar and gzip files: every
  member, by its type;
* anything else that is text (CSV, TXT, log...) line by line; a binary file of
  an unknown type is an error, not a pass.

A path that does not exist, a register that cannot be read and a file that
cannot be parsed raise :class:`ScanError`: never "0 leaks".

The modules, one concern each
-----------------------------
* :mod:`.findings`: :class:`Leak`, :class:`ScanError`, the interface of the readers;
* :mod:`.textforms`: dashes, spaces and Unicode forms folded; bytes decoded;
* :mod:`.personnummer`: personal and co-ordination numbers (:func:`luhn_ok`);
* :mod:`.phones`, :mod:`.emails`: phone numbers, e-mail addresses;
* :mod:`.register`, :mod:`.names`: the identifier register and its names in a text;
* :mod:`.detect`: every rule over one text;
* :mod:`.markup`: the visible text of HTML, Markdown and XML; ``data:`` URIs;
* :mod:`.images`, :mod:`.svg`, :mod:`.notebooks`, :mod:`.archives`, :mod:`.pdf`:
  the readers of each file type;
* :mod:`.scanner`: a text and its decoded forms; each file to its reader;
* :mod:`.scan`: :func:`scan_for_leaks`, :func:`scan_text`;
* :mod:`.release`: :func:`release_check`, the release gate of a run.

Examples
--------
>>> from evaluation.leaks import scan_text
>>> [str(lk) for lk in scan_text("Ring 070-123 45 67", where="note")]
['note: line 1: phone (a phone number) - Swedish mobile number, 10 digits with a trunk 0']
"""

from __future__ import annotations

from .findings import Leak, ScanError
from .personnummer import luhn_ok
from .register import Register, load_identifiers
from .release import release_check
from .scan import scan_for_leaks, scan_text

__all__ = [
    "Leak",
    "ScanError",
    "Register",
    "scan_for_leaks",
    "scan_text",
    "luhn_ok",
    "load_identifiers",
    "release_check",
]
