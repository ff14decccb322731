"""Look at a report the way a person does: headless Chromium renders an HTML page to PNG.

Chromium is optional (Debian: ``apt-get install chromium``); :func:`find_chromium` returns
``None`` when it is absent and the browser test is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ecomanalysis.errors import InputError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Flags that keep a headless Chromium quiet on a machine with no network (see README).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """Path of a Chromium-family browser, or None."""
    env = os.environ.get("ECOMANALYSIS_CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(
    html_path: str | os.PathLike,
    png_path: str | os.PathLike,
    *,
    width: int = 1280,
    height: int = 1600,
    timeout_s: float = 120,
) -> Path:
    """Render ``html_path`` in headless Chromium and save a PNG of the first ``height`` pixels."""
    browser = find_chromium()
    if browser is None:
        raise InputError("no Chromium found; install it (Debian: apt-get install chromium)")
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise InputError(f"{html_path}: file not found")
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="ecom-chromium-")
    try:
        tmp_png = Path(profile) / "shot.png"
        cmd = [
            browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
            f"--screenshot={tmp_png}", html_path.as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
        if not tmp_png.exists():
            raise RuntimeError(f"chromium wrote no screenshot (exit {proc.returncode}): {proc.stderr[-500:]}")
        shutil.move(str(tmp_png), png_path)
    finally:
        remove_profile(profile)
    return png_path


#: Seconds to keep trying to remove a Chromium profile folder after the browser exits.
PROFILE_REMOVE_S = 5.0


def remove_profile(path) -> None:
    """Remove a Chromium profile folder.  Chromium's helper processes (crash handler, GPU) may
    still write into it for a moment after the browser has exited ("Directory not empty" once
    failed a test run): retry for :data:`PROFILE_REMOVE_S`, then leave what is left of the
    temporary folder rather than fail the caller."""
    deadline = time.monotonic() + PROFILE_REMOVE_S
    while True:
        try:
            shutil.rmtree(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                shutil.rmtree(path, ignore_errors=True)
                return
            time.sleep(0.1)
