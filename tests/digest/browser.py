"""A real headless Chromium driven over the DevTools protocol, for the web digest's tests.

The page's Content-Security-Policy forbids every script, so a script of the test's own could not run
inside it; DevTools' ``Runtime.evaluate`` is not a page script and reads the laid-out page as it is:
its width against the viewport's (horizontal overflow), its visible text, a screenshot. Chromium is
found the way the HTML screenshot test finds it, and the tests skip where there is none.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp


def chromium() -> str | None:
    return next(
        (
            found
            for name in ("chromium", "chromium-browser", "google-chrome")
            if (found := shutil.which(name))
        ),
        None,
    )


@dataclass
class Seen:
    scroll_width: int
    client_width: int
    text: str
    screenshot: bytes


def look(url: str, *, width: int, height: int, profile: Path, timeout: float = 60.0) -> Seen:
    """Open ``url`` at a ``width`` x ``height`` viewport (a phone's below 500 px) and read it."""
    browser = chromium()
    assert browser is not None
    profile.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port = _devtools_port(profile, timeout)
        return asyncio.run(asyncio.wait_for(_look(port, url, width, height), timeout))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _devtools_port(profile: Path, timeout: float) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists():
            first = marker.read_text().splitlines()[:1]
            if first and first[0].isdigit():
                return int(first[0])
        time.sleep(0.05)
    raise TimeoutError("Chromium did not open its DevTools port")


async def _look(port: int, url: str, width: int, height: int) -> Seen:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as listed:
            targets = await listed.json()
        page = next(t for t in targets if t.get("type") == "page")
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = itertools.count(1)

            async def call(method: str, **params: Any) -> dict[str, Any]:
                number = next(ids)
                await ws.send_json({"id": number, "method": method, "params": params})
                while True:
                    message = json.loads((await ws.receive()).data)
                    if message.get("id") == number:
                        if "error" in message:
                            raise RuntimeError(f"{method}: {message['error']}")
                        return dict(message.get("result", {}))

            async def loaded() -> None:
                while True:
                    message = json.loads((await ws.receive()).data)
                    if message.get("method") == "Page.loadEventFired":
                        return

            await call("Page.enable")
            await call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=width < 500,
            )
            await call("Page.navigate", url=url)
            await loaded()
            result = await call(
                "Runtime.evaluate",
                expression=(
                    "JSON.stringify({sw: document.documentElement.scrollWidth,"
                    " cw: document.documentElement.clientWidth, text: document.body.innerText})"
                ),
                returnByValue=True,
            )
            seen = json.loads(result["result"]["value"])
            shot = await call("Page.captureScreenshot", format="png")
            return Seen(seen["sw"], seen["cw"], seen["text"], base64.b64decode(shot["data"]))
