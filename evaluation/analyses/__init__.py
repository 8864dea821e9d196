"""The study's analyses, one module per notebook.

Each module turns a :class:`~evaluation.sources.Dataset` and the notebook's
parameters into the tables, models and key results that the notebook shows;
the notebook itself only calls, shows and draws. The synthesis uses the same
functions when it has no run folder to read results from.
"""

__all__: list[str] = []  # the analyses are imported by module: evaluation.analyses.site, ...
