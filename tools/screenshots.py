#!/usr/bin/env python3
"""PNG screenshots of the built site for design review.

    .venv/bin/python tools/screenshots.py [--as-of 2026-11-22] [--out screenshots]

Builds the embedded corpus (content/) into a temporary folder, serves it on
127.0.0.1 and saves full-page screenshots of the home page, a document page and
the register (plus a version comparison and a long document) at desktop (1280 px)
and phone (360 px) widths into ``screenshots/`` (git-ignored); for phones also the
first screen (``*-phone-top.png``).  Needs /usr/bin/chromium and /usr/bin/chromedriver.
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

PAGES = {
    "home": "index.html",
    "document": "documents/demo-2015-window-service-rules/index.html",
    "document-keypoints": "documents/sipo-2019-disclosure-keypoints/index.html",
    "compare": "documents/demo-patent-agency-supervision-rule/v2/compare/index.html",
    "register": "register/index.html",
    "ledger": "ledger/index.html",
    "annual-report": "annual-report/2025/index.html",
}
WIDTHS = {"desktop": 1280, "phone": 360}
CHROME_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def driver(profile: str):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in CHROME_ARGS + [f"--user-data-dir={profile}"]:
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def screenshot(browser, url: str, width: int, path: Path) -> None:  # type: ignore[no-untyped-def]
    mobile = width < 600
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": mobile})
    browser.get(url)
    height = browser.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 12000), "scale": 1},
    })
    path.write_bytes(base64.b64decode(shot["data"]))
    if mobile:  # what a phone shows first
        top = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        path.with_name(path.stem + "-top.png").write_bytes(base64.b64decode(top["data"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2026-11-22", help="build date (default 2026-11-22)")
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the PNGs")
    parser.add_argument("--content", default=str(ROOT / "content"))
    args = parser.parse_args(argv)

    from disclosure_pelican.build import build_site

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = Path(tmp) / "site"
        build_site(Path(args.content), site, date.fromisoformat(args.as_of), ROOT / "pelicanconf.py")
        server, base = serve(site)
        browser = driver(str(Path(tmp) / "profile"))
        try:
            for name, page in PAGES.items():
                for label, width in WIDTHS.items():
                    target = out / f"{name}-{label}.png"
                    screenshot(browser, base + page, width, target)
                    print(target)
        finally:
            browser.quit()
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
