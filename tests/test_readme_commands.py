"""README and --help agree with the code (issue 20.9): every command in the README's code
blocks parses, names existing options, notebooks, parameters and make targets, and every
subcommand of `evaluation` is shown in the README."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from evaluation.cli import build_parser
from evaluation.config import check_value, load_schema, parse_override

from .conftest import ROOT, cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(prefix: str) -> list[list[str]]:
    """The command lines in the README's ```sh blocks that start with ``prefix``."""
    out = []
    for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", README, flags=re.S):
        block = re.sub(r"\\\n\s*", " ", block)  # a line ending in \ continues on the next
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            words = shlex.split(line) if line else []
            if words and words[0] in (prefix, f".venv/bin/{prefix}"):
                out.append(words[1:])
    return out


EVALUATION = _commands("evaluation")
MAKE = _commands("make")


def test_readme_has_commands():
    assert len(EVALUATION) >= 10 and MAKE


def _subcommands() -> dict[str, object]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return sub.choices


@pytest.mark.parametrize("args", EVALUATION, ids=[" ".join(a)[:60] for a in EVALUATION])
def test_each_evaluation_command_parses_and_is_valid(args):
    parsed = build_parser().parse_args(args)  # an unknown option exits 2 (SystemExit)
    if args[0] == "run":
        schema = load_schema(ROOT / "notebooks" / "params.schema.yaml")
        for text in parsed.p or []:
            key, value = parse_override(text)
            assert key in schema, f"README: -p {text}: no parameter {key}"
            assert check_value(key, value, schema[key]) is None, text
        stems = {p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
        for nb in parsed.only or []:
            assert nb.removesuffix(".ipynb") in stems, nb


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_subcommand_has_help_and_is_in_the_readme(name):
    assert re.search(rf"evaluation {re.escape(name)}\b", README), f"README: evaluation {name}"
    res = cli(name, "--help")
    assert res.returncode == 0 and "usage:" in res.stdout, res.stderr
    for action in _subcommands()[name]._actions:
        if action.option_strings and action.dest != "help":
            assert action.help, f"evaluation {name} {action.option_strings[0]}: no help text"


def test_readme_commands_against_the_example_data():
    """The commands that only read run as shown, on the example data."""
    for args in EVALUATION:
        if args[0] == "validate":
            args = ["validate", "--data", "data/example"]
            res = cli(*args)
            assert res.returncode == 0 and res.stdout.startswith("VALID"), res.stdout
        elif args[:2] == ["codebook", "check"]:
            res = cli(*args)
            assert res.returncode == 0 and res.stdout.startswith("OK"), res.stdout + res.stderr


def test_make_targets_exist():
    import shutil

    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    targets = subprocess.run(
        ["make", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    for args in MAKE:
        assert f"make {args[0]} " in targets, args
    for row in re.findall(r"^\| `make ([a-z-]+)`", README, flags=re.M):
        assert f"make {row} " in targets, row
