"""Browser tests in headless Chromium: the built embedded site as people use it.

Needs /usr/bin/chromium and /usr/bin/chromedriver; the accessibility checks also need
axe-core's ``axe.min.js`` (env ``AXE_JS``, else ``.test-assets/axe/axe.min.js`` or
``.test-assets/axe/node_modules/axe-core/axe.min.js``).  Install it with

    npm install --no-save --no-package-lock --prefix .test-assets/axe axe-core@4.10.2

Without them the tests are skipped with the reason, except when ``CI=true``: then they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Iterator

import pytest

from site_kit import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROME_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE_CANDIDATES = [ROOT / ".test-assets" / "axe" / "axe.min.js", ROOT / ".test-assets" / "axe" / "node_modules" / "axe-core" / "axe.min.js"]
IN_CI = os.environ.get("CI", "").lower() == "true"

# One page of every template.
TEMPLATE_PAGES = {
    "index": "index.html",
    "register": "register/index.html",
    "register_archive": "register/repealed/index.html",
    "catalogue": "catalogue/index.html",
    "guide": "guide/index.html",
    "search": "search/index.html",
    "doc_list": "status/effective/page/2/index.html",
    "document": "documents/demo-2015-window-service-rules/index.html",
    "document-versions": "documents/demo-patent-agency-supervision-rule/v1/index.html",
    "document-keypoints": "documents/sipo-2019-disclosure-keypoints/index.html",
    "document-draft": "documents/demo-2026-agency-credit-draft/index.html",
    "compare": "documents/demo-patent-agency-supervision-rule/v2/compare/index.html",
    "ledger": "ledger/index.html",
    "annual_report": "annual-report/2025/index.html",
    "tasks": "documents/sipo-2025-disclosure-keypoints/tasks/index.html",
    "404": "404.html",
}


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_url(embedded_site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(embedded_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        unavailable(f"browser tests need {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS + [f"--user-data-dir={profile}", "--window-size=1280,900"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_script_timeout(120)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def desktop(browser):  # type: ignore[no-untyped-def]
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    return browser


@pytest.fixture(scope="session")
def axe_source() -> str:
    configured = os.environ.get("AXE_JS")
    candidates = [Path(configured)] if configured else AXE_CANDIDATES
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    unavailable(f"axe-core not found at {', '.join(map(str, candidates))}: run "
                "`npm install --no-save --no-package-lock --prefix .test-assets/axe axe-core@4.10.2` or set AXE_JS")
    return ""


def test_home_page(desktop, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    desktop.get(site_url + "index.html")
    assert "国家知识产权局政府信息公开" in desktop.title
    for selector in ("header", "nav", "main", "footer", "form[role=search] input[name=q]"):
        assert desktop.find_elements(By.CSS_SELECTOR, selector), selector
    assert desktop.find_element(By.PARTIAL_LINK_TEXT, "现行有效规范性文件和规章库").is_displayed()


def test_skip_link_is_first_and_moves_focus(desktop, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    desktop.get(site_url + "documents/gf-2016-55/index.html")
    desktop.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = desktop.switch_to.active_element
    assert active.get_attribute("class") == "skip-link" and active.is_displayed()
    active.send_keys(Keys.ENTER)
    assert desktop.execute_script("return document.activeElement.id") == "main"


def test_register_filter_by_issuer(desktop, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    desktop.get(site_url + "register/index.html")
    form = desktop.find_element(By.ID, "register-filter")
    assert form.is_displayed(), "the script shows the filters"
    rows = desktop.find_elements(By.CSS_SELECTOR, "#register-table tbody tr")
    assert len(rows) == 7 and all(r.is_displayed() for r in rows)
    Select(desktop.find_element(By.ID, "filter-issuer")).select_by_value("国务院")
    visible = [r for r in rows if r.is_displayed()]
    assert len(visible) == 1 and "国务院关于加快推进" in visible[0].text
    assert desktop.find_element(By.ID, "register-count").text == "显示 1 / 7 件"
    assert "issuer=" in desktop.current_url, "the filter is kept in the address for sharing"
    Select(desktop.find_element(By.ID, "filter-year")).select_by_value("2023")
    assert not any(r.is_displayed() for r in rows) and desktop.find_element(By.ID, "register-count").text == "显示 0 / 7 件"
    desktop.find_element(By.CSS_SELECTOR, "#register-filter button[type=reset]").click()
    # the form resets its fields after the reset event, so the script filters on the next tick
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(desktop, 5).until(lambda _: all(r.is_displayed() for r in rows))
    desktop.get(site_url + "register/index.html?topic=专利代理")
    shown = [r for r in desktop.find_elements(By.CSS_SELECTOR, "#register-table tbody tr") if r.is_displayed()]
    assert len(shown) == 1 and "专利代理监督检查规定" in shown[0].text


def test_repealed_document_banner(desktop, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    desktop.get(site_url + "documents/demo-2015-window-service-rules/index.html")
    banner = desktop.find_element(By.CSS_SELECTOR, ".banner")
    assert banner.is_displayed()
    assert "本文件已废止" in banner.text and "国知发演字〔2023〕906号" in banner.text and "2023-07-01" in banner.text


def test_comparison_shows_insertions_and_deletions(desktop, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    desktop.get(site_url + "documents/demo-patent-agency-supervision-rule/v2/compare/index.html")
    inserted = desktop.find_elements(By.CSS_SELECTOR, ".diff ins")
    deleted = desktop.find_elements(By.CSS_SELECTOR, ".diff del")
    assert inserted and deleted and inserted[0].is_displayed() and deleted[0].is_displayed()
    assert "underline" in inserted[0].value_of_css_property("text-decoration-line")
    assert "line-through" in deleted[0].value_of_css_property("text-decoration-line")
    label = inserted[0].find_element(By.CSS_SELECTOR, ".visually-hidden")
    assert label.get_attribute("textContent") == "插入：" and label.size["width"] <= 1


@pytest.mark.parametrize("page", ["index.html", "register/index.html", "documents/demo-2015-window-service-rules/index.html",
                                  "documents/sipo-2019-disclosure-keypoints/index.html",
                                  "documents/demo-patent-agency-supervision-rule/index.html",
                                  "documents/demo-patent-agency-supervision-rule/v2/compare/index.html",
                                  "catalogue/index.html", "types/normative/index.html"])
def test_phone_width_has_no_horizontal_scroll(browser, site_url: str, page: str) -> None:  # type: ignore[no-untyped-def]
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    try:
        browser.get(site_url + page)
        assert browser.execute_script("return window.innerWidth") == 360
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 360, f"{page}: {width}px wide"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_print_keeps_status_and_metadata_hides_navigation(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.get(site_url + "documents/demo-2015-window-service-rules/index.html")
        assert not browser.find_element(By.CSS_SELECTOR, ".site-nav").is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, ".site-search").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".banner").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".metadata").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".body").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.parametrize("template", sorted(TEMPLATE_PAGES))
def test_axe_no_serious_violations(desktop, site_url: str, axe_source: str, template: str) -> None:  # type: ignore[no-untyped-def]
    desktop.get(site_url + TEMPLATE_PAGES[template])
    desktop.execute_script(axe_source)
    result = desktop.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                           resultTypes: ['violations']})
           .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))}))
           .catch(e => done({error: String(e)}));
    """)
    assert "error" not in result, result
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in serious)


def test_axe_on_phone_width(browser, site_url: str, axe_source: str) -> None:  # type: ignore[no-untyped-def]
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    try:
        for page in ("register/index.html", "documents/demo-patent-agency-supervision-rule/index.html"):
            browser.get(site_url + page)
            browser.execute_script(axe_source)
            result = browser.execute_async_script("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)))
                   .catch(e => done(['error: ' + e]));
            """)
            assert not result, (page, result)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _wait_for_hits(driver, minimum: int = 1):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#search-results .search-hit")) >= minimum
                                    or d.find_elements(By.CSS_SELECTOR, "#search-results .search-none"))
    return driver.find_elements(By.CSS_SELECTOR, "#search-results .search-hit")


def test_search_from_the_header_to_a_document(desktop, site_url: str, embedded_site: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    desktop.get(site_url + "index.html")
    box = desktop.find_element(By.CSS_SELECTOR, "header form[role=search] input[name=q]")
    box.send_keys("国知办函办字(2022)495号")
    box.submit()
    hits = _wait_for_hits(desktop)
    assert "2022年政务公开工作要点" in hits[0].text and "国知办函办字〔2022〕495号" in hits[0].text
    assert "q=" in desktop.current_url, "the query is in the URL so results can be linked"
    # the bytes this query downloaded: the search files only, a small part of the export
    fetched = desktop.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/search/'))"
        ".reduce((n, e) => n + (e.encodedBodySize || e.transferSize || 0), 0)")
    export = sum(p.stat().st_size for p in (embedded_site / "search").rglob("*") if p.is_file())
    assert 0 < fetched < export / 4, (fetched, export)
    hits[0].find_element(By.TAG_NAME, "a").click()
    assert "sipo-2022-disclosure-keypoints" in desktop.current_url


def test_search_filters_traditional_script_and_in_force(desktop, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    desktop.get(site_url + "search/index.html?q=" + "窗口服務規範")
    hits = _wait_for_hits(desktop, 2)
    titles = [h.find_element(By.TAG_NAME, "a").text for h in hits]
    assert any("窗口服务规范" in t for t in titles), titles
    Select(desktop.find_element(By.CSS_SELECTOR, "form[data-search-page] select[name=type]")).select_by_value("normative")
    hits = _wait_for_hits(desktop)
    assert all("行政规范性文件" in h.text for h in hits)
    desktop.find_element(By.CSS_SELECTOR, "form[data-search-page] input[name=inforce]").click()
    hits = _wait_for_hits(desktop)
    assert hits and all("已废止" not in h.text for h in hits)
    assert "type=normative" in desktop.current_url and "inforce=1" in desktop.current_url
