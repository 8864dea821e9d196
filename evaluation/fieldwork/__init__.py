"""Field data: the observers' form, the import of their submissions, the schedule, precision.

One module per concern:

- :mod:`.vocab`: the study's codes and their sv/en labels;
- :mod:`.form`: the observation protocol as an XLSForm (ODK Collect, KoBoToolbox);
- :mod:`.exports`: reading KoBoToolbox and ODK Central exports;
- :mod:`.submission`: checking one submission and turning it into rows of the contract;
- :mod:`.importer`: merging submissions into ``observations/*.csv``;
- :mod:`.central`: pulling the export from an ODK Central server (optional, pyodk);
- :mod:`.schedule`: the stratified random observation schedule;
- :mod:`.weekpages`: the schedule as printable weekly HTML pages;
- :mod:`.design`: the parameters of the precision simulation (pilot or defaults);
- :mod:`.precision`: the expected CI width of a planned schedule, by simulation.

The command line is ``evaluation observations form|import|schedule|precision``
(:mod:`.cli`).
"""

from .exports import Export, read_export
from .form import build_form, check_form, write_form
from .importer import ImportReport, import_submissions, session_id_for
from .precision import design_from_pilot, expected_precision, sessions_for_width
from .schedule import make_schedule, write_week_pages
from .vocab import Vocabulary, load_vocabulary

__all__ = [
    "Vocabulary",
    "load_vocabulary",
    "build_form",
    "write_form",
    "check_form",
    "Export",
    "read_export",
    "ImportReport",
    "import_submissions",
    "session_id_for",
    "make_schedule",
    "write_week_pages",
    "design_from_pilot",
    "expected_precision",
    "sessions_for_width",
]
