"""Nothing in the package or the notebooks names the example study (issue 16).

The site, its zones, areas, roles, goals and codebook codes live in the data
folder (``study.yaml``, the codebook); the toolkit takes them from there. Only
the synthetic-data generator writes them.
"""

from __future__ import annotations

import re

from evaluation.coding.codebook import load_codebook
from evaluation.sources.study import load_study

from .conftest import EXAMPLE, ROOT

#: The generator of the example data writes the example's names.
EXEMPT = {
    *(f"evaluation/synthetic/{m}.py" for m in ("__init__", "world", "readme", "talk", "truth")),
    *(f"evaluation/synthetic/{m}.py" for m in ("observations", "registers", "example")),
    "evaluation/synthetic_study.py",
    "evaluation/synthetic_odenplan.py",
    "evaluation/_phrases.py",
}
#: Codes that are also ordinary words of the report ("polis", "ordningsvakt": Swedish for
#: police, security guard), and
#: the city both example studies lie in.
WORDS = {"polis", "ordningsvakt", "other", "stockholm"}


def example_names() -> set[str]:
    """Codes and proper names of the example study: its site, zones, areas, roles (proper
    names: labels the same in both languages), survey items, goal ids, and the codebook's
    compound ids and the codes its questions name. Ordinary words (a goal "safe", a role "polis") are not
    names, nor is the city both examples lie in."""
    study = load_study(EXAMPLE)
    names = {study.site["sv"], study.site["en"]}
    for vocab in ("zones", "areas", "roles"):
        for code, texts in study.vocabularies[vocab].items():
            names.add(code)
            if texts["sv"] == texts["en"]:
                names.add(texts["sv"])
    names |= {g.id for g in study.goals if "_" in g.id}
    # the safety survey's items: labelled by the study (vocabularies.survey_items), not the package
    names |= set(study.codes("survey_items"))
    names |= {c for q in study.questions for c in q.codes}
    names |= {c for c in load_codebook(ROOT / "codebooks" / "focus_groups.yaml").codes if "_" in c}
    return {n for n in names if n.lower() not in WORDS}


def test_example_study_is_named_nowhere_in_the_toolkit():
    names = example_names()
    assert "Sergels torg" in names and "plattan" in names and "safe_evening" in names
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
        + r")(?![\w-])",
        re.I,
    )
    hits = []
    files = [*ROOT.glob("evaluation/**/*"), *ROOT.glob("notebooks/*")]
    for f in files:
        rel = f.relative_to(ROOT).as_posix()
        if (
            not f.is_file()
            or rel in EXEMPT
            or f.suffix not in (".py", ".yaml", ".ipynb", ".j2", ".json", ".md")
        ):
            continue
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".ipynb":  # sources only: outputs are refreshed by the integrator
            import json

            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        for n, line in enumerate(text.splitlines(), 1):
            for m in pattern.finditer(line):
                hits.append(f"{rel}:{n}: {m.group(0)}")
    assert not hits, "\n".join(hits)


#: Words that assume the example's kind of site or target group. The catalogue says "the
#: site" / "platsen" (or names it: {site}) and "the target group" / "målgruppen" (or its
#: label: {group}); what a site and its people are comes from study.yaml.
ASSUMING = r"torg|torget|torgets|square|drogscenen?|drug scene|unga|ungdomarna|young people|flickorna|the girls"


def test_the_catalogue_assumes_no_kind_of_site_or_target_group():
    from evaluation import i18n

    word = re.compile(rf"(?<![\w-])({ASSUMING})(?![\w-])", re.I)
    # the glossary explains the term "open drug scene" of the literature
    allowed = {"methods.glossary.drug_scene.term"}
    hits = [
        f"{language}: {key}: {m.group(0)}"
        for language in i18n.LANGUAGES
        for key, text in i18n.catalogue(language).items()
        if key not in allowed
        for m in word.finditer(text)
    ]
    assert not hits, "\n".join(hits)
