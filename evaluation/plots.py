"""One look for every figure: a seaborn theme, a colour-blind palette, labelled axes."""

from __future__ import annotations

__all__ = ["PALETTE", "set_theme", "LABELS", "label"]

#: Paul Tol's "bright" qualitative palette, safe for colour-blind readers.
PALETTE = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]


def set_theme(context: str = "notebook") -> None:
    """Apply the report's seaborn theme and palette (call once per notebook)."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context=context, style="whitegrid", palette=PALETTE, font_scale=1.0)
    mpl.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold", "axes.titlesize": 12, "figure.figsize": (9, 4.5), "svg.hashsalt": "sergel"})


#: Human labels of codes, in Swedish (sv) and English (en).
LABELS = {
    "sv": {
        "none": "ingen aktivering", "art": "konst", "event": "evenemang", "park": "tillfällig park", "activated": "aktivering",
        "female": "flickor", "male": "pojkar", "unknown": "okänt", "staying": "vistas", "passing": "passerar",
        "morning": "förmiddag", "afternoon": "eftermiddag", "evening": "kväll",
        "polis": "polis", "ungdomsjour": "Ungdomsjouren", "faltassistent": "fältassistent", "ordningsvakt": "ordningsvakt", "other": "annan",
        "violence": "våldsbrott", "robbery": "rån", "drug_offences": "narkotikabrott", "theft": "stöld",
        "sergels_torg": "Sergels torg", "norrmalm": "Norrmalm", "stockholm": "Stockholm", "odenplan": "Odenplan", "klara": "Klara",
        "safe_evening": "trygg på kvällen", "safe_daytime": "trygg dagtid",
        "drug_sale": "narkotikaförsäljning", "drug_use": "narkotikabruk",
    },
    "en": {
        "none": "no activation", "art": "art", "event": "event", "park": "temporary park", "activated": "activation",
        "female": "girls", "male": "boys", "unknown": "unknown", "staying": "staying", "passing": "passing",
        "morning": "morning", "afternoon": "afternoon", "evening": "evening",
        "polis": "police", "ungdomsjour": "Ungdomsjouren", "faltassistent": "field assistant", "ordningsvakt": "security guard", "other": "other",
        "violence": "violent crime", "robbery": "robbery", "drug_offences": "drug offences", "theft": "theft",
        "sergels_torg": "Sergels torg", "norrmalm": "Norrmalm", "stockholm": "Stockholm", "odenplan": "Odenplan", "klara": "Klara",
        "safe_evening": "safe in the evening", "safe_daytime": "safe in daytime",
        "drug_sale": "drug sales", "drug_use": "drug use",
    },
}


def label(code, language: str = "sv") -> str:
    """Human label of a code in ``language`` (the code itself when unknown).

    >>> label("faltassistent", "en")
    'field assistant'
    """
    return LABELS.get(language, LABELS["en"]).get(str(code), str(code))
