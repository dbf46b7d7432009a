"""search.js in a real browser: the demo markup, URL state, filters (headless Chromium)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from disclosure_search.index import build_index, search
from disclosure_search.static_export import export_static

from search_fixtures import RECORDS, SEARCH_JS

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title></head>
<body>{fragment}</body></html>"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("site")
    build_index(RECORDS, root / "_ix")
    export_static(root / "_ix", root / "search")
    fragment = SEARCH_JS.with_name("search.html").read_text(encoding="utf-8")
    (root / "index.html").write_text(PAGE.format(fragment=fragment), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root / "_ix"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def driver():  # type: ignore[no-untyped-def]
    from support import browser_or_skip

    chromium, chromedriver = browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def shown(driver) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d):  # type: ignore[no-untyped-def]
        out = d.find_element(By.ID, "search-results")
        if out.get_attribute("aria-busy") == "true":
            return False
        return out.find_elements(By.CSS_SELECTOR, ".search-summary")

    WebDriverWait(driver, 10).until(ready)
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results .search-hit-title a")
    return [link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] for link in links]


def test_query_from_the_url(site, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, ix = site
    driver.get(f"{base}/index.html?q={quote('495号')}")
    assert shown(driver) == ["kp-2022"]
    hit = driver.find_element(By.CSS_SELECTOR, ".search-hit")
    assert hit.find_element(By.CSS_SELECTOR, ".status-badge").text == "现行有效"
    assert hit.find_element(By.CSS_SELECTOR, ".search-hit-number").text == "示知办函字〔2022〕495号"
    assert hit.find_element(By.CSS_SELECTOR, "time").get_attribute("datetime") == "2022-05-30"
    assert driver.find_element(By.NAME, "q").get_attribute("value") == "495号"


def test_typing_a_query_updates_the_url_and_matches_python(site, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, ix = site
    driver.get(f"{base}/index.html")
    box = driver.find_element(By.NAME, "q")
    box.clear()
    box.send_keys("知識產權公共服務")
    box.submit()
    ids = shown(driver)
    assert ids == [h.id for h in search(ix, "知識產權公共服務", limit=10)]
    assert "q=" in driver.current_url
    snippet_html = driver.find_element(By.CSS_SELECTOR, ".search-hit-snippet").get_attribute("innerHTML")
    assert "<mark>" in snippet_html


def test_filters_sort_and_in_force(site, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, ix = site
    driver.get(f"{base}/index.html?q={quote('规范')}")
    shown(driver)
    WebDriverWait(driver, 10).until(lambda d: len(Select(d.find_element(By.NAME, "type")).options) > 1)
    Select(driver.find_element(By.NAME, "type")).select_by_value("normative")
    WebDriverWait(driver, 10).until(lambda d: "type=normative" in d.current_url)
    assert shown(driver) == [h.id for h in search(ix, "规范", type="normative", limit=10)]
    driver.find_element(By.NAME, "inforce").click()
    WebDriverWait(driver, 10).until(lambda d: "inforce=1" in d.current_url)
    assert shown(driver) == ["window-2023"]
    driver.get(f"{base}/index.html?q={quote('窗口')}&sort=date")
    assert shown(driver) == [h.id for h in search(ix, "窗口", sort="date", limit=10)]
    assert Select(driver.find_element(By.NAME, "sort")).first_selected_option.get_attribute("value") == "date"


def test_no_results_message(site, driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, _ = site
    driver.get(f"{base}/index.html?q={quote('没有这样的词语组合')}")
    assert shown(driver) == []
    assert "没有找到" in driver.find_element(By.CSS_SELECTOR, ".search-none").text
