"""JupyterLab as ``make lab`` starts it: each notebook listed once, the .py twin kept in sync."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ecomanalysis import config

ROOT = config.PROJ_ROOT
JUPYTER = Path(sys.executable).with_name("jupyter")


def test_makefile_lab_uses_the_project_config_and_allows_root_only_as_root():
    make = (ROOT / "Makefile").read_text()
    assert "$(filter 0,$(shell id -u)),--allow-root" in make
    lab = re.search(r"^lab:.*\n\t(.*)$", make, re.M).group(1)
    assert "$(JUPYTER_ENV)" in lab and "$(ROOT_FLAG)" in lab and "--notebook-dir=notebooks" in lab
    assert 'JUPYTER_CONFIG_PATH="$(CURDIR)/etc/jupyter' in make
    out = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True).stdout
    assert ("--allow-root" in out) == (os.getuid() == 0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, method: str = "GET", body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


@pytest.fixture
def server(tmp_path):
    """A Jupyter server on a copy of two notebook pairs, configured like ``make lab``."""
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    for stem in ("01_roles_and_teams", "02_growth_stages"):
        for ext in (".ipynb", ".py"):
            shutil.copy(config.NOTEBOOKS_DIR / (stem + ext), nbdir)
    port, token = _free_port(), "t0ken"
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(ROOT / "etc" / "jupyter")}
    args = [str(JUPYTER), "server", f"--ServerApp.root_dir={nbdir}", f"--port={port}",
            "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", "--no-browser"]
    if os.getuid() == 0:
        args.append("--allow-root")
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}/api/contents"
    deadline = time.monotonic() + 90
    while True:
        try:
            _get(f"{base}?token={token}")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("jupyter server did not start: " + proc.stderr.read().decode()[-2000:])
            time.sleep(0.5)
    yield base, token, nbdir
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def test_each_notebook_is_listed_once_and_saving_updates_the_twin(server):
    base, token, nbdir = server
    names = sorted(c["name"] for c in _get(f"{base}?token={token}")["content"])
    assert names == ["01_roles_and_teams.ipynb", "02_growth_stages.ipynb"]
    model = _get(f"{base}/02_growth_stages.ipynb?token={token}")
    assert model["type"] == "notebook"
    nb = model["content"]
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "Saved from the lab"})
    _get(f"{base}/02_growth_stages.ipynb?token={token}", "PUT",
         {"type": "notebook", "format": "json", "content": nb})
    assert "Saved from the lab" in (nbdir / "02_growth_stages.py").read_text(encoding="utf-8")
