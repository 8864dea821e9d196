"""Pulling the submissions straight from an ODK Central server, with pyodk (optional).

:func:`download_central_export` logs in with pyodk (ODK's Python client; its
configuration file ``pyodk_config.toml`` holds the server, the user and the
password, so that no credential is typed on the command line) and downloads
the same CSV zip that Central's "Download" button gives
(``GET /v1/projects/{project}/forms/{form}/submissions.csv.zip``, without
attachments). The import then reads it like a downloaded export.

pyodk is an optional dependency: ``pip install pyodk`` (or the ``odk`` extra).

References
----------
pyodk, https://getodk.github.io/pyodk/; ODK Central API, "Exporting form
submissions to CSV", https://docs.getodk.org/central-api-submission-management/
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ..errors import DataError, ParameterError, Problem

__all__ = ["download_central_export"]


def download_central_export(
    form_id: str,
    out: str | Path,
    *,
    project_id: int | None = None,
    config_path: str | Path | None = None,
    cache_path: str | Path | None = None,
) -> Path:
    """Download a form's submissions from ODK Central as its CSV zip.

    Parameters
    ----------
    form_id : str
        The form's id (``site_observation`` for the generated form).
    out : path
        A new ``.zip`` file to write.
    project_id : int, optional
        Central project; default ``default_project_id`` of the pyodk config.
    config_path, cache_path : path, optional
        pyodk's configuration and token cache (pyodk's defaults otherwise).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ParameterError
        pyodk is missing or not configured, ``out`` exists, no project id.
    DataError
        The server refused or answered with something other than a zip.

    Examples
    --------
    Nothing is asked of a server when the download could not be written (or
    pyodk is missing):

    >>> import pathlib, tempfile
    >>> existing = pathlib.Path(tempfile.mkdtemp()) / "submissions.csv.zip"
    >>> _ = existing.write_bytes(b"")
    >>> try:
    ...     download_central_export("site_observation", existing)
    ... except ParameterError:
    ...     print("refused")
    refused
    """
    try:
        from pyodk.client import Client
        from pyodk.errors import PyODKError
    except ImportError:
        raise ParameterError(
            "pulling from ODK Central needs pyodk: pip install pyodk "
            "(or download the CSV zip in Central and import that file)"
        ) from None
    out = Path(out)
    if out.exists():
        raise ParameterError(f"{out} exists; give a new file for the download")
    try:
        client = Client(config_path=config_path, cache_path=cache_path)
    except PyODKError as exc:
        raise ParameterError(f"pyodk configuration: {exc}") from None
    pid = project_id if project_id is not None else client.project_id
    if pid is None:
        raise ParameterError(
            "no ODK Central project: give --project or set default_project_id in the pyodk config"
        )
    url = f"projects/{int(pid)}/forms/{quote(form_id, safe='')}/submissions.csv.zip"
    try:
        with client:
            response = client.session.get(url, params={"attachments": "false"})
    except PyODKError as exc:
        raise DataError(
            [Problem(client.session.base_url, None, None, f"ODK Central: {exc}", "a login")]
        ) from None
    if response.status_code != 200 or not response.content.startswith(b"PK"):
        raise DataError(
            [
                Problem(
                    client.session.urljoin(url),
                    None,
                    None,
                    f"ODK Central answered {response.status_code} "
                    f"({response.headers.get('Content-Type', '?')})",
                    "200 with the submissions CSV zip (check the form id, project and rights)",
                )
            ]
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(response.content)
    return out
