"""Readable tables for the report: formatted numbers, human labels, no index."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from .labels import label
from .safehtml import escape

__all__ = [
    "pretty",
    "Table",
    "frame_html",
    "accessible_html",
    "fmt_ci",
    "fmt_p",
    "term_label",
    "heading",
    "model_note",
    "effects_table",
]


class Table:
    """A formatted table for notebooks: styled HTML for the report, plain text otherwise.

    Both representations are deterministic (no memory addresses, no random ids),
    so executed notebooks and reports are the same for the same inputs.

    Parameters
    ----------
    styler
        The pandas Styler whose HTML the report shows (:func:`accessible_html`).
    frame
        The formatted table, shown as plain text outside HTML.
    row_headers
        The first column names each row (``<th scope="row">``).

    Examples
    --------
    >>> d = pd.DataFrame({"zone": ["a"], "n": [3]})
    >>> t = Table(d.style.hide(axis="index"), d, row_headers=True)
    >>> print(repr(t)); '<th scope="row"' in t._repr_html_()
    zone  n
       a  3
    True
    """

    def __init__(self, styler: Any, frame: pd.DataFrame, row_headers: bool = False):
        self.styler, self.frame, self.row_headers = styler, frame, row_headers

    def _repr_html_(self) -> str:
        return accessible_html(self.styler.to_html(), row_headers=self.row_headers)

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def accessible_html(html: str, row_headers: bool = False) -> str:
    """A pandas Styler table made readable by screen readers: ``scope`` on every header cell.

    Column headings get ``scope="col"``, index cells ``scope="row"``; with
    ``row_headers`` the first cell of every body row becomes a row header
    (``<th scope="row">``), for tables whose first column names the row.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"zon": ["a"], "n": [1]}).style.hide(axis="index").set_uuid("x").to_html()
    >>> out = accessible_html(h, row_headers=True)
    >>> 'scope="col"' in out, '<th scope="row" id="T_x_row0_col0"' in out
    (True, True)
    """
    import re

    html = re.sub(
        r'<th (id="[^"]*" )?class="(col_heading|index_name)', r'<th scope="col" \1class="\2', html
    )
    html = re.sub(
        r'<th (id="[^"]*" )?class="row_heading', r'<th scope="row" \1class="row_heading', html
    )
    if row_headers:
        html = re.sub(
            r'<td (id="[^"]*_col0" class="data row\d+ col0"[^>]*)>(.*?)</td>',
            r'<th scope="row" \1>\2</th>',
            html,
            flags=re.S,
        )
    return html


def _caption(columns, language: str) -> str:
    from . import i18n

    return i18n.t("a11y.table_caption", language, columns=", ".join(str(c) for c in columns))


def frame_html(df: pd.DataFrame, language: str = "sv", caption: str | None = None) -> str:
    """A plain DataFrame as an accessible HTML table: a caption, header cells with ``scope``, no empty header row.

    The index becomes the first column of row headers (its name, else "row",
    as the heading); a crosstab's two axis names go into the caption
    ("Zon efter aktivering") instead of a second, mostly empty header row.
    ``caption`` defaults to ``df.attrs["caption"]``, else one made from the
    axis names or the column headings. Numbers in ``language``'s style.
    :func:`evaluation.report.notebook_setup` makes this the HTML of every
    DataFrame a notebook displays.

    Examples
    --------
    >>> d = pd.DataFrame({"konst": [1, 2]}, index=pd.Index(["zone_a", "zone_b"], name="Zon"))
    >>> d.columns.name = "Aktivering"
    >>> h = frame_html(d, "sv")
    >>> "<caption>Zon efter Aktivering</caption>" in h, h.count("<tr>"), 'scope="row"' in h
    (True, 3, True)
    """
    from . import i18n

    d = df.copy()
    rows_name, cols_name = d.index.name, d.columns.name
    d.columns.name = None
    keep_index = not isinstance(d.index, pd.RangeIndex) or rows_name is not None
    if keep_index:
        first = rows_name if rows_name is not None else i18n.t("a11y.row_heading", language)
        d.index.name = first if first not in d.columns else f"{first} "
        d = d.reset_index()
    if caption is None:
        caption = df.attrs.get("caption")
    if caption is None:
        caption = (
            i18n.t("a11y.crosstab_caption", language, rows=rows_name, cols=cols_name)
            if rows_name is not None and cols_name is not None
            else _caption(d.columns, language)
        )
    fmts: dict[Any, str | Callable[[object], str] | None] = {}
    for c in d.columns:
        if pd.api.types.is_bool_dtype(d[c]):
            continue
        if pd.api.types.is_float_dtype(d[c]):
            fmts[c] = _number_format(2, False, language)
        elif pd.api.types.is_integer_dtype(d[c]):
            fmts[c] = str if _is_year_column(c) else _integer_format(language)
        elif not pd.api.types.is_numeric_dtype(d[c]):
            fmts[c] = escape  # text from data is shown, never interpreted
    ident = hashlib.sha256((d.to_json(default_handler=str) + str(caption)).encode()).hexdigest()[
        :10
    ]
    names = {c: escape(str(c)) for c in d.columns}
    d.columns = [names[c] for c in d.columns]
    fmts = {names[k]: v for k, v in fmts.items()}
    sty = d.style.format(fmts, na_rep="–").hide(axis="index").set_uuid(ident)
    if caption:
        sty = sty.set_caption(escape(caption))
    return accessible_html(sty.to_html(), row_headers=keep_index)


def fmt_p(p: float | None, language: str = "en") -> str:
    """p-values as read in a report: ``<0.001``, else three decimals, in ``language``.

    Examples
    --------
    >>> fmt_p(3e-10), fmt_p(0.0412), fmt_p(0.0412, "sv")
    ('<0.001', '0.041', '0,041')
    """
    from . import i18n

    return i18n.p_value(None if p is None or pd.isna(p) else float(p), language)


def term_label(term: str, language: str = "sv") -> str:
    """A model term in words: ``C(zone)[T.north_steps]`` -> ``zon: north_steps`` in Swedish.

    Examples
    --------
    >>> term_label("C(zone)[T.north_steps]"), term_label("activated", "en")
    ('zon: north_steps', 'activation')
    """
    import re

    m = re.match(r"C\((\w+)\)\[T\.(.+)\]$", term)
    if m:
        return f"{label(m.group(1), language)}: {label(m.group(2), language)}"
    m = re.match(r"(\w+)\[T\.(.+)\]$", term)
    if m:
        return f"{label(m.group(1), language)}: {label(m.group(2), language)}"
    return label(term, language)


def fmt_ci(
    est: float | None, lo: float | None, hi: float | None, digits: int = 2, language: str = "en"
) -> str:
    """``"1.23 (1.01–1.50)"`` with the language's decimal mark; ``"–"`` when missing.

    Examples
    --------
    >>> fmt_ci(1.234, 1.01, 1.5), fmt_ci(1.234, 1.01, 1.5, language="sv")
    ('1.23 (1.01–1.50)', '1,23 (1,01–1,50)')
    """
    from . import i18n

    if est is None or (isinstance(est, float) and np.isnan(est)):
        return "–"
    n = partial(i18n.number, language=language, digits=digits)
    return f"{n(est)} ({n(lo)}–{n(hi)})"


def _is_year_column(name, values: pd.Series | None = None) -> bool:
    """A column of years (its name says year): its numbers are never grouped (2016, not 2 016)."""
    return "year" in str(name).lower()


def heading(text: str, language: str) -> str:
    """A column heading in ``language``.

    ``text`` is a catalogue key (``table.rate_ratio``) or a heading's English
    text (``"Rate ratio"``, looked up among the ``table.*`` messages); any
    other text (e.g. one already built with :func:`evaluation.i18n.t`) is
    used as it is.

    Examples
    --------
    >>> heading("Rate ratio", "sv"), heading("table.rate_ratio", "en"), heading("Site A", "sv")
    ('Incidenskvot', 'Rate ratio', 'Site A')
    """
    from . import i18n

    if i18n.has(text, language):
        return i18n.t(text, language)
    key = i18n.reverse("en", "table").get(text)
    return i18n.t(key, language) if key else text


def _number_format(nd: int, percent: bool, language: str = "sv"):
    from . import i18n

    suffix = i18n.t("table_format.percent_suffix", language) if percent else ""

    def f(v):
        return "–" if pd.isna(v) else i18n.number(float(v), language, nd) + suffix

    return f


def _integer_format(language: str):
    from . import i18n

    def f(v):
        return "–" if pd.isna(v) else i18n.number(int(v), language, 0)

    return f


def pretty(
    df: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    digits: int | Mapping[str, int] = 2,
    percent: tuple[str, ...] = (),
    label_columns: tuple[str, ...] = (),
    language: str = "sv",
    caption: str | None = None,
) -> Table:
    """A :class:`Table` (pandas Styler inside) with formatted numbers, translated codes and renamed columns, index hidden.

    ``columns`` maps column -> heading (and selects/orders the columns);
    ``digits`` is one number or per column; ``percent`` columns get a ``%``;
    ``label_columns`` hold codes shown as human labels in ``language``.
    Every table gets a caption: ``caption``, else one naming its columns.

    Examples
    --------
    >>> d = pd.DataFrame({"activity": ["passing"], "rate_ratio": [1.2345], "year": [2021]})
    >>> t = pretty(d, columns={"activity": "Activity", "rate_ratio": "Rate ratio", "year": "Year"},
    ...            label_columns=("activity",), language="sv", caption="Exempel")
    >>> print(repr(t))
    Activity  Incidenskvot   År
    passerar        1.2345 2021
    >>> "1,23" in t._repr_html_(), "<caption>Exempel</caption>" in t._repr_html_()
    (True, True)
    """
    d = df.copy()
    if columns:
        d = d[[c for c in columns if c in d]]
    for c in label_columns:
        if c in d:
            d[c] = d[c].map(lambda v: label(v, language))
    fmts: dict[Any, str | Callable[[object], str] | None] = {}
    for c in d.columns:
        if c in ("p_value", "p"):
            fmts[c] = partial(fmt_p, language=language)
        elif pd.api.types.is_bool_dtype(d[c]):
            d[c] = d[c].map(lambda v: label(bool(v), language))
        elif pd.api.types.is_float_dtype(d[c]):
            nd = digits.get(c, 2) if isinstance(digits, Mapping) else digits
            fmts[c] = _number_format(nd, c in percent, language)
        elif pd.api.types.is_integer_dtype(d[c]):
            # counts get the language's grouping; a year stays as it is written
            fmts[c] = str if _is_year_column(c, d[c]) else _integer_format(language)
        elif not pd.api.types.is_numeric_dtype(d[c]):
            fmts[c] = escape  # text from data (codebooks, transcripts, names) shown, never run
    if columns:
        heads = {k: heading(v, language) for k, v in columns.items()}
        d = d.rename(columns=heads)
        fmts = {heads.get(k, k): v for k, v in fmts.items()}
    text_cols: list[Hashable] = [c for c in d.columns if not pd.api.types.is_numeric_dtype(d[c])]
    # a content-derived id instead of pandas' random one: the same table gives the same HTML
    ident = hashlib.sha256((d.to_json(default_handler=str) + str(caption)).encode()).hexdigest()[
        :10
    ]
    sty = d.style.format(fmts, na_rep="–").hide(axis="index").set_uuid(ident)
    sty = sty.format_index(escape, axis=1)
    if text_cols:
        sty = sty.set_properties(subset=text_cols, **{"text-align": "left"})
        sty = sty.set_table_styles(
            [{"selector": "th", "props": [("text-align", "left")]}], overwrite=False
        )
    # every table has a caption (WCAG 1.3.1): the one given, else one naming its columns
    sty = sty.set_caption(escape(caption or _caption(d.columns, language)))
    # a first column of text names the row: row headers for screen readers
    row_headers = len(d.columns) > 1 and not pd.api.types.is_numeric_dtype(d.iloc[:, 0])
    return Table(sty, d, row_headers=row_headers)


def _standard_errors(cov_type: str, n_clusters: int, language: str) -> str:
    import re

    from . import i18n

    cov_type = cov_type or ""
    # the wording of rate_ratio_model ("cluster-robust (CR1)") and of
    # interrupted_time_series ("cluster-robust by period (CR1, 84 periods)",
    # "Driscoll-Kraay (3 lags, 84 periods)", "Newey-West HAC (3 lags)")
    m = re.match(r"cluster-robust by period \(CR1, (\d+) periods\)", cov_type)
    if m:
        return i18n.t("model.se_cluster_period", language, n=int(m.group(1)))
    if cov_type.startswith("cluster-robust"):
        return i18n.t("model.se_cluster", language, n=int(n_clusters))
    m = re.match(r"Driscoll-Kraay \((\d+) lags", cov_type)
    if m:
        return i18n.t("model.se_driscoll_kraay", language, lags=int(m.group(1)))
    m = re.search(r"HAC \((\d+)", cov_type)
    if m:
        return i18n.t("model.se_hac", language, lags=int(m.group(1)))
    if cov_type != "model-based":
        raise ValueError(f"unknown standard errors {cov_type!r}")
    return i18n.t("model.se_model", language)


def _p_clause(p, language: str) -> str:
    """``p = 0,012`` or ``p < 0,001``."""
    from . import i18n

    text = i18n.p_value(p, language)
    return f"p {text[0]} {text[1:]}" if text.startswith("<") else f"p = {text}"


def model_note(result: Any, language: str = "sv") -> str:
    """A fitted model's family, size and checks as one Markdown paragraph in ``language``.

    ``result``: a :class:`evaluation.stats.counts.RateRatioResult` (count
    model: family, observations, overdispersion check, standard errors) or an
    :class:`evaluation.stats.its.ITSResult` (periods, dispersion,
    autocorrelation of the residuals, standard errors, missing periods). Built
    from the result's numbers, not from its English ``summary()``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> fit = {"n": 300, "dispersion": 1.42, "ct_p_value": 0.00015, "n_clusters": 87, "cov_type": "cluster-robust (CR1)"}
    >>> print(model_note(NS(family="negbin", fit=fit), "sv"))
    **Modell:** negativ binomial, 300 observationer. Poisson-anpassningens Pearson χ²/fg är 1,42 och Cameron–Trivedi-testet ger p < 0,001: antalen varierar mer än en Poisson-modell tillåter, därför negativ binomial. Standardfel: klusterrobusta (87 kluster).
    """
    from . import i18n

    family = label(result.family, language)
    if hasattr(result, "fit"):
        f = result.fit
        why = "not_overdispersed" if result.family == "poisson" else "overdispersed"
        return i18n.t(
            "model.count",
            language,
            family=family,
            n=int(f["n"]),
            dispersion=float(f["dispersion"]),
            ct_p=_p_clause(f.get("ct_p_value"), language),
            why=i18n.t(f"model.{why}", language, family=family),
            se=_standard_errors(f.get("cov_type", ""), f.get("n_clusters", 0), language),
        )
    c = result.checks
    autocorrelated = c["ljung_box_p"] < 0.05 and c["cov_type"] == "model-based"
    return i18n.t(
        "model.its",
        language,
        family=family,
        n_periods=int(c["n_periods"]),
        n_pre=int(c["n_pre"]),
        n_post=int(c["n_post"]),
        transition=int(c["transition_excluded"]),
        dispersion=float(c["dispersion"]),
        scale=float(c["scale"]),
        dw=float(c["durbin_watson"]),
        lb=_p_clause(c["ljung_box_p"], language),
        lags=int(c["ljung_box_lags"]),
        ac=i18n.t("model.autocorrelated", language) if autocorrelated else "",
        se=_standard_errors(c["cov_type"], 0, language),
        gaps=i18n.t("model.gaps", language) if c.get("missing_periods") else "",
    )


def effects_table(
    result: Any, language: str = "sv", digits: int = 3, caption: str | None = None
) -> Table:
    """A fitted model's rate ratios as a report table: term (in words), ratio, 95% CI, p.

    ``result``: a :class:`~evaluation.stats.counts.RateRatioResult` (its
    ``table``, one row per model term) or an :class:`~evaluation.stats.its.ITSResult`
    (its ``effects``: level change, slope change, baseline trend). ``caption``
    names the model (a report shows several such tables; each needs its own caption).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> tab = pd.DataFrame({"rate_ratio": [1.5], "ci_low": [1.1], "ci_high": [2.0], "p_value": [0.01]},
    ...                    index=["activated"])
    >>> print(repr(effects_table(NS(table=tab), "en", caption="Model")))
          Term  Rate ratio  95% CI low  95% CI high    p
    activation         1.5         1.1          2.0 0.01
    """
    frame = result.table if hasattr(result, "table") else result.effects
    d = frame.reset_index(names="term")
    d["term"] = d["term"].map(lambda v: term_label(str(v), language))
    return pretty(
        d,
        columns={
            "term": "table.term",
            "rate_ratio": "table.rate_ratio",
            "ci_low": "table.ci_low",
            "ci_high": "table.ci_high",
            "p_value": "table.p",
        },
        digits=digits,
        language=language,
        caption=caption,
    )
