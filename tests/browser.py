"""Headless Chromium (/usr/bin/chromium, Debian package `chromium`) for the site tests: serve a folder
on 127.0.0.1 from a thread, load a page, return its DOM after the scripts ran, the console lines
Chromium logged, and write a screenshot. No WebDriver or downloaded browser."""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--window-size=1200,1600",
         "--hide-scrollbars", "--lang=zh-CN"]
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?[:\]]\s*\]?\s*(.*)")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):   # keep pytest's output clean
        pass


@contextmanager
def serve(folder: Path):
    """Serve `folder` on http://127.0.0.1:<free port>/ for the duration of the block; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def load(url: str, profile: Path, screenshot: Path | None = None) -> tuple[str, list[str]]:
    """Load `url` in headless Chromium with a fresh profile under `profile`; returns (the DOM after
    the page's scripts ran, the console messages Chromium logged: any console.log/warn/error call
    and any uncaught exception). With `screenshot`, a second load writes a PNG there."""
    args = [CHROMIUM, *FLAGS, f"--user-data-dir={profile / 'dom'}", "--dump-dom", url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    console = [m.group(1) for line in done.stderr.splitlines() if (m := CONSOLE.search(line))]
    if screenshot is not None:
        shot = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile / 'shot'}", f"--screenshot={screenshot}", url],
                              capture_output=True, text=True, timeout=120)
        console += [m.group(1) for line in shot.stderr.splitlines() if (m := CONSOLE.search(line))]
    return done.stdout, console
