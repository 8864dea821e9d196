"""Run one Python case of the hostile corpus: ``run_case.py module:function ARGS_JSON KWARGS_JSON``.

Exit status 3 and the message on stdout when the call raises ``DataError`` (what the
corpus expects); 0 when it returns; any other exception leaves Python's traceback
(and status 1), which the test reports.
"""

import importlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from evaluation.errors import DataError  # noqa: E402


def main() -> int:
    module, _, name = sys.argv[1].partition(":")
    args, kwargs = json.loads(sys.argv[2]), json.loads(sys.argv[3])
    fn = getattr(importlib.import_module(module), name)
    try:
        fn(*args, **kwargs)
    except DataError as exc:
        print(f"{type(exc).__name__}: {exc}")
        return 3
    print("returned without an error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
