"""The observation schedule as printable HTML pages, one per ISO week, with an index.

:func:`write_week_pages` takes a schedule of :func:`~.schedule.make_schedule`
(or its CSV read back) and writes the pages the observers take along, with the
zones' and activation states' labels of the study in Swedish or English.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..errors import ParameterError
from ..i18n import t
from .vocab import Vocabulary, load_vocabulary

__all__ = ["write_week_pages"]


def write_week_pages(
    schedule: pd.DataFrame,
    out_dir: str | Path,
    *,
    vocab: Vocabulary | None = None,
    language: str = "sv",
) -> list[Path]:
    """Write one printable HTML page per ISO week, and an index linking them.

    Parameters
    ----------
    schedule : DataFrame
        From :func:`~.schedule.make_schedule` (or its CSV read back as text).
    out_dir : path
        A new or empty folder.
    vocab : Vocabulary, optional
        For the zones' and states' labels.
    language : {"sv", "en"}

    Returns
    -------
    list of Path
        ``index.html`` first, then ``week-YYYY-Www.html`` in date order.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from evaluation.fieldwork.schedule import make_schedule
    >>> s = make_schedule("2024-06-03", "2024-06-16", 6, seed=1)
    >>> pages = write_week_pages(s, pathlib.Path(tempfile.mkdtemp()) / "weeks", language="en")
    >>> [p.name for p in pages]
    ['index.html', 'week-2024-W23.html', 'week-2024-W24.html']
    >>> "Observation schedule" in pages[1].read_text(encoding="utf-8")
    True
    """
    from ..i18n import date as fmt_date

    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise ParameterError(f"schedule: {out} exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    v = vocab or load_vocabulary()
    zl = {c.code: getattr(c, language) for c in v.zones}
    al = {c.code: getattr(c, language) for c in v.activations}

    def msg(key: str, **kw) -> str:
        return html.escape(t(f"fieldwork.schedule.{key}", language, **kw))

    style = (
        "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}"
        "th,td{border:1px solid #888;padding:.3em .5em;text-align:left}"
        "th{background:#eee}.double{font-weight:bold}"
        "@media print{a{display:none}section{break-after:page}}"
    )
    head = '<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title><style>{style}</style></head><body>\n'
    written = []
    index_items = []
    for week, rows in schedule.groupby("week", sort=True):
        title = f"{msg('title')} – {msg('week', week=week)}"
        body = [
            head.format(lang=language, title=title, style=style),
            f"<section><h1>{title}</h1><p>{msg('intro')}</p>",
            "<table><thead><tr>"
            + "".join(
                f"<th>{msg(k)}</th>"
                for k in ("weekday", "time", "zone", "activation", "observers", "slot")
            )
            + "</tr></thead><tbody>",
        ]
        for r in rows.to_dict("records"):
            names = ", ".join(
                o for o in (r["observer_1"], r["observer_2"]) if isinstance(o, str) and o
            )
            double = int(r["observers"]) == 2
            who = names or str(r["observers"])
            if double:
                who = f'<span class="double">{html.escape(who)} ({msg("double")})</span>'
            else:
                who = html.escape(who)
            body.append(
                "<tr>"
                f"<td>{html.escape(fmt_date(r['date'], language, 'EEEE d MMMM'))}</td>"
                f"<td>{html.escape(r['start'])}–{html.escape(r['end'])}</td>"
                f"<td>{html.escape(zl.get(r['zone'], r['zone']))}</td>"
                f"<td>{html.escape(al.get(r['activation'], r['activation']))}</td>"
                f"<td>{who}</td><td>{html.escape(r['slot'])}</td></tr>"
            )
        body.append("</tbody></table></section></body></html>\n")
        path = out / f"week-{week}.html"
        path.write_text("\n".join(body), encoding="utf-8")
        written.append(path)
        index_items.append(
            f'<li><a href="{path.name}">{msg("week", week=week)}</a> ({len(rows)})</li>'
        )
    index = out / "index.html"
    index.write_text(
        head.format(lang=language, title=msg("title"), style=style)
        + f"<h1>{msg('title')}</h1><h2>{msg('index')}</h2><ul>\n"
        + "\n".join(index_items)
        + "\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return [index, *written]
