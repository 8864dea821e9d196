"""The data dictionary (``data/README.md``), generated from the file specifications.

The same :class:`~evaluation.sources._schema.FileSpec` objects validate the
data and describe it, so the dictionary cannot drift from the checks; a test
compares ``data/README.md`` with :func:`render`.
"""

from __future__ import annotations

from .codes import CO_INTERVENTIONS, GENDERS, NO_ACTIVATION
from .files import FILE_SPECS
from .study import ANALYSIS_ROLES, RESULTS, VOCABULARIES

__all__ = ["render"]

_KIND = {
    "str": "text",
    "code": "code (lower-case snake_case)",
    "int": "integer",
    "float": "number",
    "date": "date YYYY-MM-DD",
    "time": "time HH:MM",
    "month": "month YYYY-MM",
    "year": "year YYYY",
}

_HEAD = """# Data dictionary

A data set is a folder. `data/example/` holds the bundled **synthetic** example
(see its README for the planted effects); real data go in `data/private/`
(ignored by git) in exactly the same shape, and are used with
`evaluation run --data data/private/<set>` and checked with
`evaluation validate --data data/private/<set>`.

Conventions: every file is UTF-8 (a byte-order mark is tolerated), CSV with a
header row and comma separators, decimal point `.`. Identifiers are
lower-case snake_case codes; their human labels (Swedish and English) live in
`study.yaml` and the codebook, not in the data files. Only pseudonyms enter a data set:
never names of the people observed, professionals or observers. A source whose folder is
absent is reported as missing and its analyses are skipped; a folder that is
present must be complete.

Dates, months, times and years are written in the ISO 8601 form with leading
zeros: `YYYY-MM-DD` (`2023-06-05`), `YYYY-MM` (`2023-06`), `HH:MM` on the
24-hour clock (`09:15`), `YYYY`. A value such as `2023-6-5` or `9:15` is an
error whose message names the file, line, column, the value and how to write it.

Cross-checks between files (errors stop the run, warnings are listed by
`evaluation validate` and notebook 00):

- every session in `observations/sessions.csv` has at least one row in
  `observations/counts.csv` (error): a session in which nobody was seen is
  recorded with rows whose count is 0, never with no rows, so that it cannot be
  confused with a session whose counts were lost;
- a session that crosses midnight keeps the date it started and has an `end`
  earlier than its `start` (`23:30` to `00:30` is 60 minutes); it may last at
  most 12 hours, and `end` equal to `start` is an error;
- the activation state of a session agrees with `calendar.csv` (warning): `none`
  on a day inside an activation period, or `art`, `event` or `park` on a day
  that no calendar period of that kind covers (a `pilot` period covers every
  kind), is flagged with its line.

Line numbers in error messages count the header as line 1.

This file is generated from the checks themselves
(`python -m evaluation.sources.dictionary > data/README.md`); edit
`evaluation/sources/*.py`, not this file.

"""

_TAIL = """
## focus_groups/transcripts/&lt;group&gt;.txt

One file per focus group; the file name without `.txt` is the group id used in
`participants.csv` and `codings.csv`. One turn per paragraph, paragraphs
separated by a blank line:

```
[00:01:12] MOD: Hur ser ni på konsten på torget?

[00:01:20] POL1: Den har gjort stor skillnad, det är mer folk här nu.
```

The timestamp `[hh:mm:ss]` is optional. The speaker is `MOD` (the moderator) or
a participant pseudonym listed for that group in `participants.csv`. A turn may
run over several lines. A *segment* is one turn, numbered from 1 in the order
of the file; its id is `<group>:<n>`. Coding offsets count characters of the
utterance (the text after `SPEAKER:`), end exclusive.

Roles: the codes of `roles` in `study.yaml`.

## codebooks/*.yaml

See `codebooks/focus_groups.yaml` and `docs/data-contract.md`: a header
`codebook: {id, title, version, language}` and `codes:`, a tree of codes with
`id`, `label` (`sv`, `en`), `definition`, `include`, `exclude`, `examples`,
optional `keywords` (suggested auto-coding only) and `children`. Ids are
unique across the tree. Check one with `evaluation codebook check FILE`.

## SYNTHETIC (generated data only)

A file `SYNTHETIC` at the top of a folder marks data made by
`evaluation make-example` (`evaluation.synthetic`): a note, the seed, and
`fingerprint: sha256:...`, a hash of every other file of the folder as it was
generated (names and contents; hidden files ignored, line endings normalised).
The report calls its data "synthetic example data" only while the files still
match that fingerprint. A folder copied from `data/example/` and then filled
with real data keeps the file but no longer matches: the report does not call
it synthetic, and `evaluation run` notes that the marker does not match. Delete
`SYNTHETIC` from any folder of real data; never write one by hand.

## identifiers.txt (optional)

The identifier register for the leak scan: one real name or other identifier
per line (`#` starts a comment). For real data it lives in
`data/private/identifiers.txt` and never enters git; the example has a
fictional one. Nothing in it may appear in a released report.
"""


def _study_section() -> str:
    vocab = "\n".join(f"| `{k}` | {v} |" for k, v in VOCABULARIES.items())
    results = "\n".join(f"| `{k}` | {v} |" for k, v in RESULTS.items())
    roles = "\n".join(f"| `{k}` | `{v[0]}` | {v[1]} |" for k, v in ANALYSIS_ROLES.items())
    return f"""## study.yaml

What the study is about; every data folder has one at its root (`evaluation
new-study DIR` writes one to fill in; `docs/data-contract.md` explains it).
Every text the report shows about the study is given in Swedish and English
(`{{sv: ..., en: ...}}`). Problems are reported as `study.yaml:line: key: what;
expected ...`.

| key | required | meaning |
|---|---|---|
| `study.id` | yes | identifier of the study |
| `study.title` | yes | the study's title (sv, en) |
| `study.site` | yes | the site's name (sv, en), as the report names it |
| `study.period` | yes | `{{start: YYYY-MM-DD, end: YYYY-MM-DD}}` |
| `study.intervention` | no | the first month of the activation, `YYYY-MM`: where 03's time series is interrupted (the `intervention` parameter; without it, give `-p intervention=YYYY-MM`) |
| `study.its_end` | no | the last month of 03's time series, `YYYY-MM` (the `its_end` parameter; without it: all data), e.g. the month before the drug scene's area was redrawn |
| `study.codebook` | no | the codebook, a path inside the data folder (default: the project's `codebooks/focus_groups.yaml`) |
| `target_group` | yes | `gender` (one of {", ".join(f"`{g}`" for g in GENDERS)}), `age_band` (a code of `age_bands`), `label` (sv, en) |
| `vocabularies` | yes | the study's codes with their labels, `code: {{sv: ..., en: ...}}` per vocabulary below (every one required but `survey_items`) |
| `crime_areas` | yes | `site` (the area that is the site), `comparisons` (list), `survey_reference` (optional): codes of `areas`; `categories` (optional list of `crime_categories` codes analysed; default all); `survey_item` (optional: the `item` of `survey/safety.csv` 03 analyses; a code of `survey_items` when the study lists them) |
| `analysis` | no | which codes play which part in the analyses (below) |
| `questions` | yes | the evaluation questions: `id`, `text` (sv, en), `results` and `codes` (codebook code ids) bearing on it |
| `goals` | yes | the site's goals: `id`, `text` (sv, en), `results` bearing on it (none: the report says *not assessed by these data*) |
| `texts` | no | study-specific report texts, `key: {{sv: ..., en: ...}}` |

Vocabularies (each a mapping `code: {{sv: label, en: label}}`; the data files may
only use these codes; `{NO_ACTIVATION}` is always an activation state and
{", ".join(f"`{c}`" for c in CO_INTERVENTIONS)} always a calendar kind):

| vocabulary | what it lists |
|---|---|
{vocab}

Results that questions and goals can name:

| result | what it is |
|---|---|
{results}

`analysis` keys:

| key | vocabulary | meaning |
|---|---|---|
{roles}

"""


def render() -> str:
    """The data dictionary as Markdown (``data/README.md``).

    Examples
    --------
    >>> text = render()
    >>> text.startswith("# Data dictionary"), "## calendar.csv" in text
    (True, True)
    """
    out = [_HEAD, _study_section()]
    for spec in FILE_SPECS:
        out.append(f"## {spec.path}\n\n{spec.description}")
        if spec.key:
            out.append(f"\nKey (unique): `{', '.join(spec.key)}`.")
        out.append(
            "\n| column | type | required | allowed values / range | meaning | example |\n|---|---|---|---|---|---|"
        )
        for f in spec.fields:
            allowed = (
                ", ".join(f"`{a}`" for a in f.allowed)
                if f.allowed
                else (f">= {f.min:g}" if f.min is not None else "")
            )
            req = (
                "yes"
                if f.required
                else ("optional column" if f.optional_column else "may be empty")
            )
            out.append(
                f"| `{f.name}` | {_KIND[f.kind]} | {req} | {allowed} | {f.description} | `{f.example}` |"
            )
        header = ",".join(f.name for f in spec.fields)
        example = ",".join(f.example for f in spec.fields)
        out.append(f"\nExample:\n\n```\n{header}\n{example}\n```\n")
    out.append(_TAIL)
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
