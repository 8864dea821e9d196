"""Pulling from ODK Central with pyodk, against a stub server on localhost.

The stub implements the three calls pyodk and the import make, as the ODK
Central API documents them: ``POST /v1/sessions`` (log in, returns a token),
``GET /v1/users/current`` (pyodk checks a cached token) and ``GET
/v1/projects/{id}/forms/{form}/submissions.csv.zip`` (the export).
"""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from evaluation.cli import main
from evaluation.errors import DataError
from evaluation.fieldwork.importer import session_id_for

from .exports import odk_zip, submission, uuid

pytest.importorskip("pyodk")

TOKEN = "stub-token-123"


@pytest.fixture
def central(tmp_path):
    zip_bytes = odk_zip(tmp_path / "export.zip", [submission(1), submission(2)]).read_bytes()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def _send(self, code, body=b"", ctype="application/json"):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            seen.append(f"POST {self.path}")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path == "/v1/sessions" and body == {
                "email": "me@example.org",
                "password": "pw",
            }:
                self._send(200, json.dumps({"token": TOKEN, "expiresAt": "2999-01-01"}).encode())
            else:
                self._send(401, b'{"code": 401.2, "message": "Could not authenticate"}')

        def do_GET(self):
            seen.append(f"GET {self.path}")
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(403, b'{"code": 403.1}')
            elif self.path == "/v1/users/current":
                self._send(200, b'{"id": 5, "email": "me@example.org"}')
            elif (
                self.path
                == "/v1/projects/7/forms/site_observation/submissions.csv.zip?attachments=false"
            ):
                self._send(200, zip_bytes, "application/zip")
            else:
                self._send(404, b'{"code": 404.1}')

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    config = tmp_path / "pyodk_config.toml"
    config.write_text(
        "[central]\n"
        f'base_url = "http://127.0.0.1:{server.server_address[1]}"\n'
        'username = "me@example.org"\npassword = "pw"\ndefault_project_id = 7\n',
        encoding="utf-8",
    )
    yield config, seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def folder(tmp_path, example_dir):
    d = tmp_path / "study"
    (d / "observations").mkdir(parents=True)
    shutil.copy(example_dir / "study.yaml", d / "study.yaml")
    shutil.copy(example_dir / "observations" / "zones.csv", d / "observations" / "zones.csv")
    return d


def test_import_straight_from_central(central, folder, tmp_path, monkeypatch, capsys):
    config, seen = central
    monkeypatch.setenv("PYODK_CACHE_FILE", str(tmp_path / "pyodk_cache.toml"))
    saved = tmp_path / "pulled.zip"
    args = [
        "observations",
        "import",
        "--central",
        "site_observation",
        "--into",
        str(folder),
        "--pyodk-config",
        str(config),
        "--save",
        str(saved),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "2 added" in out and saved.exists()
    assert "POST /v1/sessions" in seen
    sessions = (folder / "observations" / "sessions.csv").read_text()
    assert session_id_for(uuid(1)) in sessions and session_id_for(uuid(2)) in sessions
    # a second pull: the cached token is checked, nothing changes
    saved.unlink()
    assert main(args) == 0
    assert "2 already imported" in capsys.readouterr().out
    assert "GET /v1/users/current" in seen


def test_a_wrong_form_is_a_clear_error(central, folder, tmp_path, monkeypatch):
    from evaluation.fieldwork.central import download_central_export

    config, _ = central
    monkeypatch.setenv("PYODK_CACHE_FILE", str(tmp_path / "pyodk_cache.toml"))
    with pytest.raises(DataError, match="answered 404"):
        download_central_export("no_such_form", tmp_path / "x.zip", config_path=config)
    assert not (tmp_path / "x.zip").exists()


def test_import_needs_an_export_or_a_form(folder, tmp_path):
    assert main(["observations", "import", "--into", str(folder)]) == 2
    both = [
        "observations",
        "import",
        str(tmp_path / "x.zip"),
        "--central",
        "f",
        "--into",
        str(folder),
    ]
    assert main(both) == 2
