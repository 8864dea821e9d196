"""Text from data, made safe for the report's HTML and Markdown; the pages' Content-Security-Policy.

Codebooks, transcripts, calendars, zone and area names and parameters are
written by people outside the code: a label ``<script>alert(1)</script>`` must
reach the reader as those characters, never as markup. Every place where
data-derived text enters HTML or Markdown calls :func:`escape` (tables in
:func:`evaluation.tables.pretty`, quotes in notebook 02, headings).

As a second line of defence, every page carries :data:`CSP_META`: no script
runs and nothing is fetched from anywhere (images are ``data:`` URIs, styles
are inline), so a missed escape can neither run nor phone home.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = ["escape", "markdown_quote", "inert_markdown", "safe_markdown", "CSP", "CSP_META"]

#: The Content-Security-Policy of every report page: nothing but the page itself,
#: inline styles and ``data:`` images and fonts. No script (inline or not), no
#: frame, no form target, no connection.
CSP = (
    "default-src 'none'; script-src 'none'; connect-src 'none'; frame-src 'none'; "
    "object-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "media-src 'none'; base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

# characters that are markup in HTML, or syntax in Markdown (links, emphasis, code,
# headings, tables, raw HTML, images, autolinks), as numeric character references:
# they display as themselves in both languages and start nothing.
_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>\"'`*_[]()#!|~\\{}$:="}
_TABLE = str.maketrans(_SPECIAL)


def escape(value: object) -> str:
    """``value`` as text that HTML and Markdown show literally and never interpret.

    ``&`` ``<`` ``>`` quotes and the characters Markdown gives a meaning to
    (`` ` `` ``*`` ``_`` ``[`` ``]`` ``(`` ``)`` ``#`` ``!`` ``|`` ``~`` ``\\``
    ``{`` ``}`` ``$`` ``:`` ``=``) become numeric character references, which
    both render as the character itself. ``None`` and NaN become ``""``.

    Parameters
    ----------
    value : object
        Anything; converted with ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> escape("<script>alert(1)</script>")
    '&#60;script&#62;alert&#40;1&#41;&#60;/script&#62;'
    >>> escape("[klicka](javascript:alert(1))")
    '&#91;klicka&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;'
    >>> escape("Trygghet & tillit")
    'Trygghet &#38; tillit'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).translate(_TABLE)


def markdown_quote(text: object, attribution: object | None = None) -> str:
    """A Markdown block quote of data-derived ``text``, escaped, with an optional attribution.

    Line breaks in the text stay inside the quote (a blank line could otherwise
    end it and let the rest be read as Markdown).

    Examples
    --------
    >>> print(markdown_quote("Hon sa <b>nej</b>.\\n\\n# rubrik", "en polis, grupp 2"))
    > Hon sa &#60;b&#62;nej&#60;/b&#62;.
    >
    > &#35; rubrik
    >
    > — *en polis, grupp 2*
    """
    lines = [escape(line).strip() for line in re.split(r"\r\n|\r|\n", str(text or ""))]
    body = "\n".join(f"> {line}" if line else ">" for line in lines)
    if attribution:
        body += f"\n>\n> — *{escape(attribution)}*"
    return body


_ENTITY = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def inert_markdown(text: object) -> str:
    """Composed Markdown (trusted messages with data-derived values in them) made inert.

    The report's prose is built by filling catalogue messages, which may use
    Markdown emphasis, lists and block quotes, with values from the data (area,
    code and event names, error messages). Escaping the whole text would show
    the emphasis as asterisks; not escaping it would let a name such as
    ``<img src=x onerror=...>`` or ``[x](javascript:...)`` become markup. This
    keeps the Markdown layout but removes everything that can become HTML, a
    link or an image: ``<`` and a bare ``&`` become references (existing
    character references such as those :func:`escape` writes are kept, so
    text escaped earlier is not escaped twice), and the link syntax ``](``,
    ``]:`` and ``![`` is broken up.

    Examples
    --------
    >>> inert_markdown("**Läsning.** Området <img src=x onerror=alert(1)> ökade")
    '**Läsning.** Området &lt;img src=x onerror=alert(1)> ökade'
    >>> inert_markdown("[klicka](javascript:alert(1)) ![](http://x/y.png) [a]: http://x")
    '[klicka]&#40;javascript:alert(1)) !&#91;]&#40;http://x/y.png) [a]&#58; http://x'
    >>> inert_markdown("A &#60;b&#62; & c, <5")
    'A &#60;b&#62; &amp; c, &lt;5'

    One piece of markup is kept: the toolkit's own name marker
    ``<span translate="no">`` ... ``</span>`` (exactly so, no other
    attribute), which :func:`evaluation.report.event_list` puts around an
    escaped name from the data so that the language check reads it as a name.
    A span with only ``translate="no"`` can run and fetch nothing.

    >>> inert_markdown('- <span translate="no">Kameror &lt;x&gt;</span>: 1 mars <span onclick="x">')
    '- <span translate="no">Kameror &lt;x&gt;</span>: 1 mars &lt;span onclick="x">'
    """
    s = "" if text is None else str(text)
    s = _ENTITY.sub("&amp;", s).replace("<", "&lt;")
    s = s.replace(_NAME_OPEN_ESCAPED, _NAME_OPEN).replace("&lt;/span>", "</span>")
    return s.replace("![", "!&#91;").replace("](", "]&#40;").replace("]:", "]&#58;")


#: The name marker that :func:`inert_markdown` keeps (see there).
_NAME_OPEN = '<span translate="no">'
_NAME_OPEN_ESCAPED = '&lt;span translate="no">'


def safe_markdown(text: object) -> Markdown:
    """An IPython ``Markdown`` object of ``text`` made inert (:func:`inert_markdown`).

    Notebooks display composed prose with ``display(safe_markdown(...))``
    instead of ``Markdown(...)``, so a hostile name in the data shows as text.

    Examples
    --------
    >>> safe_markdown("Zone <script>alert(1)</script> ![x](http://evil/x.png)").data
    'Zone &lt;script>alert(1)&lt;/script> !&#91;x]&#40;http://evil/x.png)'
    """
    from IPython.display import Markdown

    return Markdown(inert_markdown(text))
