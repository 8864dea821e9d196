"""``study.yaml`` of the synthetic example studies (written by ``evaluation make-example-data``).

Kept apart from the generator's effects (:mod:`evaluation.synthetic`): this
module only holds the fixed text of each example's ``study.yaml``, written
byte for byte the same every time.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["STUDIES", "DEFAULT_STUDY", "write_study", "AGE_BANDS"]

#: The age bands of the example studies (the generator counts people in each).
AGE_BANDS = ("0-12", "13-18", "19-29", "30-64", "65+")

#: The target group of both example studies.
_TARGET_GROUP = """\
target_group:
  gender: female
  age_band: "13-18"
  label: {sv: flickor 13–18 år, en: girls aged 13–18}
"""

#: The vocabularies every example study shares (official crime categories, the age bands,
#: the safety survey's items).
_SHARED_VOCABULARIES = """\
  crime_categories:
    violence: {sv: våldsbrott, en: violent crime}
    robbery: {sv: rån, en: robbery}
    drug_offences: {sv: narkotikabrott, en: drug offences}
    theft: {sv: stöld, en: theft}
    vandalism: {sv: skadegörelse, en: vandalism}
    sexual_offences: {sv: sexualbrott, en: sexual offences}
    other: {sv: annan, en: other}
  age_bands:
    "0-12": {sv: 0–12 år, en: aged 0–12}
    "13-18": {sv: 13–18 år, en: aged 13–18}
    "19-29": {sv: 19–29 år, en: aged 19–29}
    "30-64": {sv: 30–64 år, en: aged 30–64}
    "65+": {sv: 65 år och äldre, en: aged 65 and over}
  survey_items:
    safe_evening: {sv: trygg på kvällen, en: safe in the evening}
    safe_daytime: {sv: trygg dagtid, en: safe in daytime}
"""

_SERGELS_TORG = (
    """\
# study.yaml: what this study is about (docs/data-contract.md). SYNTHETIC example.
study:
  id: sergels_torg
  title:
    sv: Platsaktivering av Sergels torg
    en: Place activation of Sergels torg
  site: {sv: Sergels torg, en: Sergels torg}
  period: {start: 2016-01-01, end: 2023-12-31}
  intervention: "2019-06"  # the first month of the activation (03's time series)
  its_end: "2022-12"  # the series' last month: the area counted was redrawn in 2023

"""
    + _TARGET_GROUP
    + """
vocabularies:
  zones:
    plattan: {sv: Plattan, en: Plattan}
    trapporna: {sv: trapporna, en: the stairs}
    kulturhuset: {sv: Kulturhuset, en: Kulturhuset}
    tunnelbanan: {sv: tunnelbaneentrén, en: the metro entrance}
    sergelgatan: {sv: Sergelgatan, en: Sergelgatan}
  activation_kinds:
    art: {sv: konst, en: art}
    event: {sv: evenemang, en: events}
    park: {sv: tillfällig park, en: temporary park}
    pilot: {sv: pilot, en: pilot}
  roles:
    polis: {sv: polis, en: police}
    ungdomsjour: {sv: Ungdomsjouren, en: Ungdomsjouren}
    faltassistent: {sv: fältassistent, en: field assistant}
    ordningsvakt: {sv: ordningsvakt, en: security guard}
    other: {sv: annan, en: other}
  incident_kinds:
    drug_sale: {sv: narkotikaförsäljning, en: drug sales}
    drug_use: {sv: narkotikabruk, en: drug use}
    conflict: {sv: konflikt, en: conflict}
    guard_intervention: {sv: ordningsvakts ingripande, en: security guard intervention}
    police_intervention: {sv: polisingripande, en: police intervention}
    outreach_contact: {sv: uppsökande kontakt, en: outreach contact}
"""
    + _SHARED_VOCABULARIES
    + """  areas:
    sergels_torg: {sv: Sergels torg, en: Sergels torg}
    norrmalm: {sv: Norrmalm, en: Norrmalm}
    stockholm: {sv: Stockholm, en: Stockholm}
    odenplan: {sv: Odenplan, en: Odenplan}
    klara: {sv: Klara, en: Klara}

crime_areas:
  site: sergels_torg
  comparisons: [odenplan, stockholm]
  categories: [violence, drug_offences]  # the crime categories analysed (default: all)
  survey_reference: stockholm
  survey_item: safe_evening  # the item of survey/safety.csv that 03 analyses

# which codes of the study play which part in the analyses
analysis:
  dealing: drug_sale
  drug_use: drug_use
  outreach: outreach_contact

questions:
  - id: girls
    text:
      sv: Kommer målgruppen oftare och stannar längre under aktivering?
      en: Does the target group come and stay more during activation?
    results: [target_staying_rate_ratio]
    codes: [flickor_narvaro]
  - id: method_conflict
    text:
      sv: Utsätts flickorna mer för narkotikahandel (metodkonflikten)?
      en: Are girls more exposed to drug dealing (the method conflict)?
    results: [dealing_rate_ratio, co_presence, method_conflict]
    codes: [metodkonflikt]
  - id: professionals
    text:
      sv: Hur påverkar aktiveringen de professionellas arbete?
      en: How does activation affect the professionals' work?
    results: [outreach_rate_ratio, themes, reliability]
    codes: [professionellt_arbete]
  - id: crime_safety
    text:
      sv: Vad hände med brottsligheten och den upplevda tryggheten?
      en: What happened to crime and perceived safety?
    results: [its, per_hectare, survey_trend]
    codes: [trygghet_risk]

# the city's goals for the square
goals:
  - id: whole_clean
    text: {sv: Helt och rent, en: Whole and clean}
    results: []
  - id: safe
    text: {sv: Tryggt, en: Safe}
    results: [its, survey_trend]
  - id: welcoming
    text: {sv: Välkomnande, en: Welcoming}
    results: [target_staying_rate_ratio]
  - id: art_scene
    text:
      sv: Känt som en öppen konst- och kulturscen
      en: Known as an open art and culture scene
    results: []
"""
)

_ODENPLAN = (
    """\
# study.yaml: what this study is about (docs/data-contract.md). SYNTHETIC example.
study:
  id: odenplan
  title:
    sv: Platsaktivering av Odenplan och Observatorielunden
    en: Place activation of Odenplan and Observatorielunden
  site: {sv: Odenplan, en: Odenplan}
  period: {start: 2016-01-01, end: 2023-12-31}
  intervention: "2019-06"  # the first month of the activation (03's time series)
  its_end: "2022-12"  # the series' last month: the area counted was redrawn in 2023
  codebook: focus_groups/codebook.yaml

"""
    + _TARGET_GROUP
    + """
vocabularies:
  zones:
    lunden: {sv: Observatorielunden, en: Observatorielunden}
    kullen: {sv: kullen, en: the hill}
    biblioteket: {sv: Stadsbiblioteket, en: Stadsbiblioteket}
    pendeltaget: {sv: pendeltågsentrén, en: the commuter rail entrance}
    odengatan: {sv: Odengatan, en: Odengatan}
  activation_kinds:
    musik: {sv: musik, en: music}
    marknad: {sv: marknad, en: market}
    lekplats: {sv: tillfällig lekplats, en: temporary playground}
    pilot: {sv: pilot, en: pilot}
  roles:
    kvarterspolis: {sv: kvarterspolis, en: community police}
    fritidsledare: {sv: fritidsledare, en: youth leader}
    socialsekreterare: {sv: socialsekreterare, en: social worker}
    vaktare: {sv: väktare, en: guard}
    other: {sv: annan, en: other}
  incident_kinds:
    langning: {sv: langning, en: drug dealing}
    narkotikabruk: {sv: narkotikabruk, en: drug use}
    brak: {sv: bråk, en: fight}
    vaktingripande: {sv: väktare ingriper, en: guard intervenes}
    polisingripande: {sv: polisen ingriper, en: police intervene}
    uppsokande_kontakt: {sv: uppsökande kontakt, en: outreach contact}
"""
    + _SHARED_VOCABULARIES
    + """  areas:
    odenplan: {sv: Odenplan, en: Odenplan}
    vasastan: {sv: Vasastan, en: Vasastan}
    sankt_eriksplan: {sv: Sankt Eriksplan, en: Sankt Eriksplan}
    sveaplan: {sv: Sveaplan, en: Sveaplan}
    stockholm: {sv: Stockholm, en: Stockholm}

crime_areas:
  site: odenplan
  comparisons: [sankt_eriksplan, stockholm]
  categories: [violence, drug_offences]  # the crime categories analysed (default: all)
  survey_reference: stockholm
  survey_item: safe_evening  # the item of survey/safety.csv that 03 analyses

analysis:
  dealing: langning
  drug_use: narkotikabruk
  outreach: uppsokande_kontakt

questions:
  - id: who_stays
    text:
      sv: Kommer målgruppen oftare och stannar längre när platsen aktiveras?
      en: Does the target group come and stay more when the place is activated?
    results: [target_staying_rate_ratio]
    codes: [malgrupp_narvaro]
  - id: exposure
    text:
      sv: Utsätts målgruppen mer för langning när platsen aktiveras?
      en: Is the target group more exposed to dealing when the place is activated?
    results: [dealing_rate_ratio, co_presence, method_conflict]
    codes: [risk_av_aktivering]
  - id: professionals
    text:
      sv: Hur förändras de professionellas arbete?
      en: How does the professionals' work change?
    results: [outreach_rate_ratio, themes, reliability]
    codes: [yrkesarbete]
  - id: crime_and_safety
    text:
      sv: Vad hände med brotten och tryggheten kring Odenplan?
      en: What happened to crime and safety around Odenplan?
    results: [its, per_hectare, survey_trend]
    codes: [trygghet_och_risk]

# the district's goals for the place
goals:
  - id: no_open_scene
    text: {sv: Ingen öppen drogscen, en: No open drug scene}
    results: [dealing_rate_ratio, its]
  - id: safe_evenings
    text: {sv: Trygga kvällar, en: Safe evenings}
    results: [survey_trend]
  - id: meeting_place
    text: {sv: En mötesplats för unga, en: A meeting place for young people}
    results: [target_staying_rate_ratio]
  - id: green_park
    text: {sv: En grön och skött park, en: A green and well-kept park}
    results: []
"""
)

#: Example study id -> the text of its ``study.yaml``.
STUDIES = {"sergels_torg": _SERGELS_TORG, "odenplan": _ODENPLAN}


#: The first example study (``data/example``); the others are made from it by renaming.
DEFAULT_STUDY = "sergels_torg"


def write_study(out: str | Path, study: str = "sergels_torg") -> Path:
    """Write the example study's ``study.yaml`` into ``out`` (LF line ends, UTF-8).

    Examples
    --------
    >>> import tempfile
    >>> from evaluation.paths import EXAMPLE_DATA, project_root
    >>> path = write_study(tempfile.mkdtemp())
    >>> path.read_bytes() == (project_root() / EXAMPLE_DATA / "study.yaml").read_bytes()
    True
    """
    path = Path(out) / "study.yaml"
    path.write_bytes(STUDIES[study].encode("utf-8"))
    return path
