"""``evaluation observations form|import|schedule|precision``: the field tools' commands.

Registered in :func:`evaluation.cli.build_parser` by :func:`add_parser`; errors
are the package's own (``DataError``, ``ParameterError``), which the main
command turns into a message and an exit status.
"""

from __future__ import annotations

import argparse

__all__ = ["add_parser"]


def cmd_form(a) -> int:
    from .form import check_form, write_form

    out = write_form(a.out, data=a.data)
    warnings = check_form(out)
    for w in warnings:
        print(f"pyxform warning: {w}")
    print(f"wrote {out} (XLSForm; converts with pyxform, {len(warnings)} warning(s))")
    return 1 if warnings else 0


def cmd_import(a) -> int:
    import tempfile
    from pathlib import Path

    from ..errors import ParameterError
    from .importer import import_submissions

    if (a.export is None) == (a.central is None):
        raise ParameterError("observations import: give either EXPORT or --central FORM_ID")
    if a.rejected and a.export and Path(a.rejected).resolve() == Path(a.export).resolve():
        raise ParameterError("observations import: --rejected must not be the export itself")
    with tempfile.TemporaryDirectory(prefix="central-") as tmp:
        export = a.export
        if a.central:
            from .central import download_central_export

            export = download_central_export(
                a.central,
                a.save or Path(tmp) / f"{a.central}.csv.zip",
                project_id=a.project,
                config_path=a.pyodk_config,
            )
            print(f"downloaded the submissions of {a.central!r} from ODK Central")
        report = import_submissions(export, a.into)
    print(report.summary())
    if a.rejected:
        report.rejected_table().to_csv(a.rejected, index=False)
        print(f"rejected submissions listed in {a.rejected}")
    return 1 if report.conflicts or report.rejected else 0


def cmd_schedule(a) -> int:
    from pathlib import Path

    from ..errors import ParameterError
    from .schedule import make_schedule, write_week_pages
    from .vocab import load_vocabulary

    out = Path(a.out)
    if out.suffix.lower() != ".csv":
        raise ParameterError(f"observations schedule: --out {out} must end in .csv")
    if out.exists() and not a.force:
        raise ParameterError(f"observations schedule: {out} exists; use --force to replace it")
    html_dir = Path(a.html) if a.html else out.with_name(out.stem + "_weeks")
    if html_dir.exists() and any(html_dir.iterdir()) and not a.force:
        raise ParameterError(f"observations schedule: {html_dir} exists and is not empty")
    vocab = load_vocabulary(a.data)
    observers = [o.strip() for o in a.observers.split(",") if o.strip()] if a.observers else None
    s = make_schedule(
        a.date_from,
        a.date_to,
        a.sessions,
        vocab=vocab,
        seed=a.seed,
        double_share=a.double_share,
        minutes=a.minutes,
        observers=observers,
        max_per_day=a.max_per_day,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    s.to_csv(out, index=False, lineterminator="\n")
    if html_dir.exists() and a.force:
        import shutil

        shutil.rmtree(html_dir)
    pages = write_week_pages(s, html_dir, vocab=vocab, language=a.language)
    margins = "; ".join(
        f"{col}: " + ", ".join(f"{k} {v}" for k, v in s[col].value_counts().sort_index().items())
        for col in ("activation", "daypart", "zone", "weekday")
    )
    print(
        f"wrote {out}: {len(s)} sessions, {int((s['observers'] == 2).sum())} double-observed "
        f"(seed {a.seed})\n{margins}\nweekly pages: {pages[0]} ({len(pages) - 1} weeks)"
    )
    return 0


def cmd_precision(a) -> int:
    import pandas as pd

    from ..errors import ParameterError
    from .precision import OUTCOMES, design_from_pilot, expected_precision, sessions_for_width

    schedule = None
    if a.schedule:
        schedule = pd.read_csv(a.schedule, dtype=str, keep_default_na=False)
        missing = {"zone", "start", "end", "activation", "date"} - set(schedule.columns)
        if missing:
            raise ParameterError(
                f"precision: {a.schedule} lacks column(s) {', '.join(sorted(missing))}; "
                "expected a schedule from 'evaluation observations schedule'"
            )
        if a.sessions is None:
            a.sessions = len(schedule)
    if a.sessions is None:
        raise ParameterError("precision: give --sessions N or --schedule FILE")
    rr = {
        k: v
        for k, v in (("target_staying", a.target_rr), ("drug_sale", a.drug_sale_rr))
        if v is not None
    }
    model = {"family": a.family}
    if a.covariates is not None:
        model["covariates"] = [c.strip() for c in a.covariates.split(",") if c.strip()]
    design = design_from_pilot(a.pilot, rate_ratio=rr, schedule=schedule, **model)
    p = expected_precision(a.sessions, design=design, n_sim=a.n_sim, seed=a.seed)
    print(f"expected 95% CI of the activation rate ratios with {a.sessions} sessions")
    print(f"parameters: {design.source}; {a.n_sim} simulated data sets (seed {a.seed})")
    print(
        f"model of the analysis: activated + {', '.join(design.covariates) or 'no covariates'}; "
        f"family {design.family_rule}; cluster-robust errors by {design.cluster}"
    )
    for r in p.to_dict("records"):
        print(
            f"  {r['outcome']} ({OUTCOMES[r['outcome']]}): rate ratio {r['rate_ratio']:.2f}, "
            f"base rate {r['rate_per_hour']:.2f}/h, overdispersion {r['alpha']:.2f}: "
            f"expected CI width {r['ci_width']:.2f} (80% of data sets {r['ci_width_p10']:.2f} "
            f"to {r['ci_width_p90']:.2f}); high/low {r['ci_ratio']:.2f}; "
            f"family chosen {r['family']}"
        )
    if a.width is not None:
        for o in OUTCOMES:
            n = sessions_for_width(p, a.width, o)
            check = expected_precision(n, design=design, n_sim=a.n_sim, seed=a.seed + 1)
            w = float(check.loc[check["outcome"] == o, "ci_width"].iloc[0])
            print(
                f"  sessions for an expected CI width of {a.width:g} ({o}): {n} "
                f"(simulated width at {n}: {w:.2f})"
            )
    if a.out:
        p.to_csv(a.out, index=False)
        print(f"wrote {a.out}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``observations`` and its four subcommands to the ``evaluation`` command.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="evaluation")
    >>> _ = add_parser(parser.add_subparsers())
    >>> a = parser.parse_args(["observations", "precision", "--sessions", "300"])
    >>> a.sessions, a.family, a.n_sim
    (300, 'auto', 200)
    """
    p = sub.add_parser(
        "observations",
        help="field work: observers' form, import of submissions, schedule, precision",
    )
    osub = p.add_subparsers(dest="observations_command", required=True)

    f = osub.add_parser("form", help="write the observation form as an XLSForm (ODK, KoBoToolbox)")
    f.add_argument(
        "--data", default="data/example", metavar="DIR", help="data folder with the study's zones"
    )
    f.add_argument("--out", required=True, metavar="FILE.xlsx")
    f.set_defaults(func=cmd_form)

    i = osub.add_parser(
        "import",
        help="import a KoBoToolbox (XLSX, CSV) or ODK Central (CSV zip) export into a data folder",
        description="Append the submissions of an export to observations/sessions.csv, "
        "counts.csv and incidents.csv of DIR. Re-importing changes nothing; a submission "
        "already imported with other values is reported, not overwritten; rejected "
        "submissions are listed. Exit status 1 when there are conflicts or rejections.",
    )
    i.add_argument(
        "export",
        metavar="EXPORT",
        nargs="?",
        help=".xlsx or .csv (KoBoToolbox), .zip (ODK Central)",
    )
    i.add_argument(
        "--into", required=True, metavar="DIR", help="data folder with observations/zones.csv"
    )
    i.add_argument(
        "--rejected", metavar="FILE.csv", help="also write the rejections to this CSV file"
    )
    i.add_argument(
        "--central",
        metavar="FORM_ID",
        help="instead of EXPORT: download the form's CSV zip from ODK Central with pyodk "
        "(server and login from the pyodk config file)",
    )
    i.add_argument("--project", type=int, metavar="N", help="ODK Central project id")
    i.add_argument("--pyodk-config", metavar="FILE", help="pyodk_config.toml (pyodk's default)")
    i.add_argument("--save", metavar="FILE.zip", help="keep the downloaded zip in this new file")
    i.set_defaults(func=cmd_import)

    s = osub.add_parser(
        "schedule",
        help="a stratified random observation schedule (CSV and printable weekly HTML pages)",
    )
    s.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    s.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    s.add_argument("--sessions", type=int, required=True, metavar="N")
    s.add_argument("--out", required=True, metavar="FILE.csv")
    s.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    s.add_argument(
        "--data", default="data/example", metavar="DIR", help="data folder: zones and calendar.csv"
    )
    s.add_argument(
        "--double-share",
        type=float,
        default=0.10,
        metavar="P",
        help="share of sessions with two observers (default 0.10)",
    )
    s.add_argument("--minutes", type=int, default=45, help="session length (default 45)")
    s.add_argument("--observers", metavar="A,B,...", help="observer pseudonyms to assign")
    s.add_argument("--max-per-day", type=int, default=None, metavar="K")
    s.add_argument(
        "--html", metavar="DIR", help="weekly pages folder (default: <out>_weeks beside the CSV)"
    )
    s.add_argument("--language", choices=("sv", "en"), default="sv")
    s.add_argument("--force", action="store_true", help="replace an existing schedule")
    s.set_defaults(func=cmd_schedule)

    q = osub.add_parser(
        "precision",
        help="expected 95%% CI width of the headline rate ratios for a planned schedule",
    )
    q.add_argument("--sessions", type=int, metavar="N", help="planned sessions")
    q.add_argument("--pilot", metavar="DIR", help="pilot data folder (default: stated defaults)")
    q.add_argument("--schedule", metavar="FILE.csv", help="planned schedule (zones, times, states)")
    q.add_argument("--width", type=float, metavar="W", help="also: sessions needed for this width")
    q.add_argument(
        "--target-rr", type=float, metavar="R", help="target group rate ratio to plan for"
    )
    q.add_argument(
        "--drug-sale-rr", type=float, metavar="R", help="drug-sale rate ratio to plan for"
    )
    q.add_argument(
        "--covariates",
        metavar="A,B",
        help="covariates of the analysis' model (default: those of notebook 01, "
        "zone,weather,temperature_c,observer)",
    )
    q.add_argument(
        "--family",
        default="auto",
        choices=("auto", "poisson", "quasipoisson", "negbin"),
        help="count family of the analysis (default: auto, as notebook 01)",
    )
    q.add_argument("--n-sim", type=int, default=200, metavar="K", help="simulated data sets")
    q.add_argument("--seed", type=int, default=1, metavar="S")
    q.add_argument("--out", metavar="FILE.csv", help="also write the table")
    q.set_defaults(func=cmd_precision)
    return p
