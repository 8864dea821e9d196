"""The synthetic example data set, with planted, documented effects.

``evaluation make-example-data --out DIR [--seed N]`` writes a complete data
folder in the shape of the real study (docs/data-contract.md). Everything in it
is **synthetic**: no person, observation or crime in it is real. The planted
effects below are the *true values* that the analyses must recover; tests and
``data/example/README.md`` quote them from :data:`TRUTH`.

The generator is deterministic: the same seed gives the same bytes.

``evaluation make-example-data --out DIR --reverse-effects`` writes the same
world with every planted effect turned the other way (:func:`planted_effects`):
fewer girls 13-18 staying during activation, more drug sales, violence up and
drug offences down after the intervention, feeling safe falling, and the
drug-scene area growing in 2023 (violence up in number, down per hectare). Its
README lists the reversed true values; its default seed is
:data:`REVERSED_SEED`. The report must state these directions: a test runs it
end to end (``tests/test_reversed_effects.py``).

The modules: :mod:`~evaluation.synthetic.truth` (the planted effects and the
seeds), :mod:`~evaluation.synthetic.world` (zones, plan, observers, groups,
calendar), :mod:`~evaluation.synthetic.observations`,
:mod:`~evaluation.synthetic.talk` (focus groups),
:mod:`~evaluation.synthetic.registers` (crime, survey),
:mod:`~evaluation.synthetic.readme` and :mod:`~evaluation.synthetic.example`
(writes the folder). The generator estimates nothing: the checks that the
analyses recover the planted effects live with the tests (``tests/recovery.py``).

Examples
--------
>>> TRUTH["observations"]["target_staying_rate_ratio"], DEFAULT_SEED
(1.8, 2036)
"""

from __future__ import annotations

from .example import make_example_data
from .readme import expected_confounding
from .truth import DEFAULT_SEED, REVERSED_SEED, SYNTHETIC_NOTE, TRUTH, planted_effects
from .world import PLAN, ZONES

__all__ = [
    "TRUTH",
    "DEFAULT_SEED",
    "REVERSED_SEED",
    "make_example_data",
    "planted_effects",
    "expected_confounding",
    "SYNTHETIC_NOTE",
    "PLAN",
    "ZONES",
]
