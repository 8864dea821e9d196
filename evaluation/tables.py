"""Readable tables for the report: formatted numbers, human labels, no index."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .plots import label
from .safehtml import escape

__all__ = ["pretty", "Table", "fmt_ci", "fmt_p", "term_label"]


class Table:
    """A formatted table for notebooks: styled HTML for the report, plain text otherwise.

    Both representations are deterministic (no memory addresses, no random ids),
    so executed notebooks and reports are the same for the same inputs.
    """

    def __init__(self, styler, frame: pd.DataFrame):
        self.styler, self.frame = styler, frame

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def fmt_p(p) -> str:
    """p-values as read in a report: ``<0.001``, else three decimals.

    >>> fmt_p(3e-10), fmt_p(0.0412)
    ('<0.001', '0.041')
    """
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def term_label(term: str, language: str = "sv") -> str:
    """A model term in words: ``C(zone)[T.plattan]`` -> ``zone: plattan``.

    >>> term_label("C(zone)[T.plattan]"), term_label("activated", "en")
    ('zone: plattan', 'activation')
    """
    import re

    m = re.match(r"C\((\w+)\)\[T\.(.+)\]$", term)
    if m:
        return f"{label(m.group(1), language)}: {label(m.group(2), language)}"
    m = re.match(r"(\w+)\[T\.(.+)\]$", term)
    if m:
        return f"{label(m.group(1), language)}: {label(m.group(2), language)}"
    return label(term, language)


def fmt_ci(est, lo, hi, digits: int = 2) -> str:
    """``"1.23 (1.01-1.50)"``; ``"–"`` when missing.

    >>> fmt_ci(1.234, 1.01, 1.5)
    '1.23 (1.01–1.50)'
    """
    if est is None or (isinstance(est, float) and np.isnan(est)):
        return "–"
    return f"{est:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


#: Swedish column headings for the report's tables (``language="sv"``).
HEADINGS_SV = {
    "Source": "Källa",
    "Present": "Finns",
    "Rows": "Rader",
    "From": "Från",
    "To": "Till",
    "Notes": "Anmärkning",
    "File": "Fil",
    "Line": "Rad",
    "Column": "Kolumn",
    "Problem": "Problem",
    "Term": "Term",
    "Rate ratio": "Kvot (rate ratio)",
    "95% CI low": "95 % KI, nedre",
    "95% CI high": "95 % KI, övre",
    "p": "p",
    "Activation": "Aktivering",
    "Predicted girls 13-18 staying per hour": "Skattat antal flickor 13–18 som vistas per timme",
    "Sessions": "Observationer",
    "With girls 13-18": "Med flickor 13–18",
    "With a drug sale": "Med narkotikaförsäljning",
    "Both at once": "Båda samtidigt",
    "Both, % of sessions": "Båda, % av observationerna",
    "Sale seen when girls present, %": "Försäljning sedd när flickor fanns där, %",
    "Zone": "Zon",
    "Counted": "Räknat",
    "Pairs": "Par",
    "Krippendorff's alpha": "Krippendorffs alfa",
    "Mean difference (people)": "Medelskillnad (personer)",
    "Code": "Kod",
    "Label": "Benämning",
    "Definition": "Definition",
    "Use when": "Används när",
    "Not when": "Används inte när",
    "Level": "Nivå",
    "Turns": "Yttranden",
    "Turns with the code": "Yttranden med koden",
    "Agreement %": "Överensstämmelse %",
    "Cohen's kappa": "Cohens kappa",
    "Reading": "Bedömning",
    "Order": "Ordning",
    "Group": "Grupp",
    "Codes used": "Koder",
    "New codes": "Nya koder",
    "Codes so far": "Koder hittills",
    "Role": "Roll",
    "% of the role's turns": "% av rollens yttranden",
    "Suggested": "Föreslagna",
    "Coded": "Kodade",
    "Both": "Båda",
    "Precision": "Precision",
    "Recall": "Täckning",
    "F1": "F1",
    "Year": "År",
    "Reported": "Anmälda",
    "Hectares": "Hektar",
    "Per hectare": "Per hektar",
    "Change in count": "Förändring, antal",
    "Change per hectare": "Förändring per hektar",
    "Category": "Brottskategori",
    "Against": "Jämfört med",
    "Effect": "Effekt",
    "Model": "Modell",
    "Area": "Område",
    "Years": "År",
    "Odds ratio per year": "Oddskvot per år",
    "Dispersion": "Dispersion",
    "Question": "Fråga",
    "Finding": "Resultat",
    "Direction": "Riktning",
    "Strength of evidence": "Evidensstyrka",
    "Goal": "Mål",
    "Evidence": "Underlag",
    "Assessment": "Bedömning",
    "First read by": "Läst först av",
    "Folder": "Mapp",
    "SHA-256": "SHA-256",
}


def _number_format(nd: int, percent: bool):
    def f(v):
        return "–" if pd.isna(v) else f"{v:,.{nd}f}{' %' if percent else ''}".replace(",", "\u202f")

    return f


def pretty(
    df: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    digits: int | Mapping[str, int] = 2,
    percent: tuple[str, ...] = (),
    label_columns: tuple[str, ...] = (),
    language: str = "sv",
    caption: str | None = None,
):
    """A :class:`Table` (pandas Styler inside) with formatted numbers, translated codes and renamed columns, index hidden.

    ``columns`` maps column -> heading (and selects/orders the columns);
    ``digits`` is one number or per column; ``percent`` columns get a ``%``;
    ``label_columns`` hold codes shown as human labels in ``language``.
    """
    d = df.copy()
    if columns:
        d = d[[c for c in columns if c in d]]
    for c in label_columns:
        if c in d:
            d[c] = d[c].map(lambda v: label(v, language))
    fmts = {}
    for c in d.columns:
        if c in ("p_value", "p"):
            fmts[c] = fmt_p
        elif pd.api.types.is_float_dtype(d[c]):
            nd = digits.get(c, 2) if isinstance(digits, Mapping) else digits
            fmts[c] = _number_format(nd, c in percent)
        elif pd.api.types.is_integer_dtype(d[c]):
            fmts[c] = lambda v: "–" if pd.isna(v) else f"{int(v):,}".replace(",", "\u202f")
        elif not pd.api.types.is_numeric_dtype(d[c]):
            fmts[c] = escape  # text from data (codebooks, transcripts, names) shown, never run
    if columns:
        heads = {k: (HEADINGS_SV.get(v, v) if language == "sv" else v) for k, v in columns.items()}
        d = d.rename(columns=heads)
        fmts = {heads.get(k, k): v for k, v in fmts.items()}
    text_cols = [c for c in d.columns if not pd.api.types.is_numeric_dtype(d[c])]
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
    if caption:
        sty = sty.set_caption(escape(caption))
    return Table(sty, d)
