"""A live page in headless Chromium, driven over the DevTools protocol.

:func:`ecomanalysis.report.browser.screenshot` renders a static HTML file.  A page whose
content arrives later (a Voila app: the kernel runs the notebook, then widgets render over a
websocket) needs a browser that stays open: :class:`LivePage` opens a URL, waits until a
JavaScript condition holds, evaluates expressions (read text, change a control) and takes
screenshots.  Chromium is optional, as for reports (:func:`~ecomanalysis.report.browser.find_chromium`).
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from ecomanalysis.errors import InputError
from ecomanalysis.report.browser import FLAGS, find_chromium, remove_profile

#: Seconds between two checks of a condition in :meth:`LivePage.wait_for`.
POLL_S = 0.5


class LivePage:
    """``with LivePage(url) as page: page.wait_for("document.querySelector('svg')")``.

    Parameters
    ----------
    url
        The page to open.
    width, height
        Viewport in CSS pixels.
    timeout_s
        Default timeout of each step (browser start, a protocol call).
    """

    def __init__(self, url: str, *, width: int = 1280, height: int = 1600,
                 timeout_s: float = 60):
        self.url, self.width, self.height, self.timeout_s = url, width, height, timeout_s
        self._id = 0
        self._proc: subprocess.Popen | None = None
        self._profile: str | None = None
        self._ws = None

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> LivePage:
        import websocket  # websocket-client, a dependency of jupyter_server

        browser = find_chromium()
        if browser is None:
            raise InputError("no Chromium found; install it (Debian: apt-get install chromium)")
        self._profile = tempfile.mkdtemp(prefix="ecom-chromium-")
        profile = Path(self._profile)
        self._proc = subprocess.Popen(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--window-size={self.width},{self.height}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout_s
        while not (port_file.exists() and port_file.read_text().strip()):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            targets = json.loads(r.read())
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page")
        self._ws = websocket.create_connection(ws_url, timeout=self.timeout_s,
                                               suppress_origin=True)
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height,
                  deviceScaleFactor=1, mobile=False)
        self.call("Page.navigate", url=self.url)
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._ws is not None:
            try:
                self._ws.close()
            finally:
                self._ws = None
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
            self._proc = None
        if self._profile is not None:
            remove_profile(self._profile)
            self._profile = None

    # ------------------------------------------------------------------ protocol
    def call(self, method: str, **params) -> dict:
        """One DevTools command; events arriving meanwhile are skipped."""
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                        awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression!r}: {res['exceptionDetails'].get('text')}")
        return res.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout_s: float | None = None) -> Any:
        """Poll ``expression`` until it is truthy; its value, or TimeoutError."""
        deadline = time.monotonic() + (timeout_s if timeout_s is not None else self.timeout_s)
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"page {self.url}: {expression!r} still false")
            time.sleep(POLL_S)

    def screenshot(self, png_path: str | Path, *, full_page: bool = True) -> Path:
        """A PNG of the page (the whole page by default)."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth,"
                                 " document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
        data = self.call("Page.captureScreenshot", **params)["data"]
        path = Path(png_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path
