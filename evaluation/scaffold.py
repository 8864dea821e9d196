"""``evaluation new-study DIR``: a new data folder to fill in.

Writes a commented ``study.yaml`` with every value still empty, every CSV of
the data contract with its header row (CSV has no comment lines: the example
row of each file is in the folder's README), an empty codebook and a README
that says what to collect. ``evaluation validate --data DIR`` on the untouched
folder lists exactly what is still missing: the empty values of
``study.yaml``, the files without rows and the codebook without codes.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ParameterError
from .sources.files import empty_files  # the check lives with the loaders (issue 17)

__all__ = ["new_study", "STUDY_TEMPLATE", "empty_files"]

STUDY_TEMPLATE = """\
# study.yaml: what this study is about. Fill in every empty value ("", {}, []);
# `evaluation validate --data <this folder>` lists what is still missing.
# Every text the report shows is given in Swedish and English: {sv: ..., en: ...}.
# Codes are lower-case identifiers (a-z, 0-9, _). See docs/data-contract.md.
study:
  id: ""                      # e.g. main_square_2025
  title: {sv: "", en: ""}     # the study's title
  site: {sv: "", en: ""}      # the site's name, as the report names it
  period: {start: "", end: ""}  # YYYY-MM-DD
  intervention: ""            # the first month of the activation, YYYY-MM (03's time series;
                              # null if you have no crime statistics)
  codebook: focus_groups/codebook.yaml  # the focus groups' codebook (null without focus groups)

target_group:
  gender: ""                  # female, male or unknown
  age_band: ""                # one of vocabularies.age_bands, e.g. "13-18"
  label: {sv: "", en: ""}     # how the report names them, e.g. {sv: pojkar 16–20 år, en: boys aged 16–20}

# The study's codes with their labels: code: {sv: label, en: label}. The data files may
# use only these codes.
vocabularies:
  zones: {}                   # the zones observers count in (observations/zones.csv)
  #   north_steps: {sv: norra trappan, en: the north steps}
  activation_kinds: {}        # kinds of activation (besides none); calendar.csv kinds
  #   art: {sv: konst, en: art}
  roles: {}                   # the professionals' roles (focus_groups/participants.csv)
  #   outreach: {sv: fältassistent, en: field worker}
  incident_kinds: {}          # what observers record (observations/incidents.csv)
  #   drug_sale: {sv: narkotikaförsäljning, en: drug sales}
  crime_categories: {}        # crime/reported.csv categories
  #   violence: {sv: våldsbrott, en: violent crime}
  age_bands: {}               # observations/counts.csv age bands
  #   "13-18": {sv: 13–18 år, en: aged 13–18}
  areas: {}                   # crime/ and survey/ areas: the site's and the comparisons'
  #   site_area: {sv: Torget, en: the square}
  #   district: {sv: Stadsdelen, en: the district}
  # survey_items:             # optional: the items of survey/safety.csv with their labels
  #   safe_at_night: {sv: trygg på kvällen, en: safe in the evening}

crime_areas:
  site: ""                    # the area (of vocabularies.areas) that is the site
  comparisons: []             # comparison areas, e.g. [district, city]
  categories: null            # crime categories analysed (null: every crime_categories code)
  survey_reference: null      # the area the survey answers are compared with (optional)
  survey_item: null           # the survey item 03 analyses (an item of survey/safety.csv;
                              # one of vocabularies.survey_items when you list them)

# Which incident kinds play which part in the analyses (optional).
analysis: {}
#   dealing: drug_sale
#   drug_use: drug_use
#   outreach: outreach_contact

# The evaluation questions: which results and which codebook codes bear on each.
# Results: target_staying_rate_ratio, dealing_rate_ratio, outreach_rate_ratio, co_presence,
# method_conflict, themes, reliability, its, per_hectare, survey_trend.
questions: []
#   - id: exposure
#     text: {sv: "...?", en: "...?"}
#     results: [dealing_rate_ratio, method_conflict]
#     codes: [method_conflict]

# The site's goals and the results bearing on each (none: "not assessed by these data").
goals: []
#   - id: safe
#     text: {sv: Tryggt, en: Safe}
#     results: [its, survey_trend]
"""

_CODEBOOK = """\
# The codebook of the focus groups: add codes (see codebooks/focus_groups.yaml for a
# complete one and docs/data-contract.md); check it with `evaluation codebook check FILE`.
codebook:
  id: focus_groups
  title: Kodbok för fokusgrupperna
  version: "0.1"
  language: sv
codes: []
#   - id: presence
#     label: {sv: Närvaro, en: Presence}
#     definition: {sv: Vilka som är på platsen., en: Who is at the site.}
#     include: {sv: Iakttagelser av vilka som är där., en: Observations of who is there.}
#     exclude: {sv: Risker (risk)., en: Risks (risk).}
#     examples: ["Det är fler här på kvällarna nu."]
#     children: []
"""


def _readme() -> str:
    from .sources import FILE_SPECS

    out = [
        "# A new study: what to collect\n",
        "Fill in `study.yaml` first (the site, the target group, the codes of every",
        "vocabulary, the questions and the goals), then the data files below, then the",
        "codebook `focus_groups/codebook.yaml`. Check the folder at any time with",
        "",
        "    evaluation validate --data <this folder>",
        "",
        "which lists exactly what is still missing, and run the report with",
        "",
        "    evaluation run --data <this folder>",
        "",
        "Only pseudonyms enter this folder: never names of the people observed, the",
        "professionals or the observers. A source you do not have can be left out: delete its folder",
        "(`observations/`, `focus_groups/`, `crime/`, `survey/`) or `calendar.csv`, and",
        "the report says that the source is missing. Such a run ends *incomplete* (exit",
        "status 3, naming what is missing); `evaluation run --allow-incomplete` accepts it.",
        "",
        "## The files (header row written; one example row each)",
        "",
    ]
    for spec in FILE_SPECS:
        header = ",".join(f.name for f in spec.fields)
        example = ",".join(f.example for f in spec.fields)
        out += [f"### {spec.path}", "", spec.description, "", "```", header, example, "```", ""]
    out += [
        "### focus_groups/transcripts/<group>.txt",
        "",
        "One file per focus group (the file name is the group id of `participants.csv` and",
        "`codings.csv`), one turn per paragraph, paragraphs separated by a blank line:",
        "",
        "```",
        "[00:01:12] MOD: What has changed since the activation began?",
        "",
        "[00:01:20] P1: More people stay in the evenings now.",
        "```",
        "",
        "The speaker is `MOD` (the moderator) or a pseudonym of `participants.csv`. The",
        "turns are numbered from 1 in the order of the file (the moderator's too): that",
        "number is the `segment` of `codings.csv`, and `start`/`end` count characters of",
        "the text after `SPEAKER:` (end exclusive).",
        "",
        "### focus_groups/codebook.yaml",
        "",
        "The codes of `codings.csv`, each with `id`, `label`, `definition`, `include`,",
        "`exclude` (each `{sv: ..., en: ...}`), `examples` and optional `children`; the",
        "scaffold's codebook has one commented example code. The codes a question of",
        "`study.yaml` names (`codes:`) must be codes of this codebook. Check it with",
        "`evaluation codebook check focus_groups/codebook.yaml`.",
        "",
        "See the data dictionary (`data/README.md` of the project) for every column.",
        "",
    ]
    return "\n".join(out)


def new_study(folder: str | Path) -> Path:
    """Write a new data folder to fill in (see the module docstring).

    Raises
    ------
    ParameterError
        When ``folder`` exists and is not empty (nothing is overwritten).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = new_study(pathlib.Path(tempfile.mkdtemp()) / "new")
    >>> sorted(p.name for p in d.iterdir())[:4]
    ['README.md', 'calendar.csv', 'crime', 'focus_groups']
    """
    from .sources import FILE_SPECS

    out = Path(folder)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ParameterError(f"{out} exists and is not empty: new-study writes only a new folder")
    for sub in ("observations", "focus_groups/transcripts", "crime", "survey"):
        (out / sub).mkdir(parents=True, exist_ok=True)

    def write(rel: str, text: str) -> None:
        (out / rel).write_text(text, encoding="utf-8", newline="\n")

    write("study.yaml", STUDY_TEMPLATE)
    for spec in FILE_SPECS:
        write(spec.path, ",".join(f.name for f in spec.fields) + "\n")
    write("focus_groups/codebook.yaml", _CODEBOOK)
    write("README.md", _readme())
    return out
