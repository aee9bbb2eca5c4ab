"""The public site in a real browser: `provenance serve` in a subprocess, headless Chromium.

The system's Chromium is driven through its chromedriver by Selenium (nothing
downloads a browser). Without Chromium the tests are skipped with the reason, except
in CI (``CI`` set), where they fail: .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import invoke
from test_publish import build_site_data

# the served copy is a SQLite file whatever the working database: one run is enough
pytestmark = pytest.mark.sqlite_only

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
START_TIMEOUT_S = 90


def _require_browser() -> None:
    missing = []
    if not CHROMIUM:
        missing.append("chromium")
    if not CHROMEDRIVER:
        missing.append("chromedriver (Debian: chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        reason = f"needs {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: .ci/run must install it")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_browser()
    folder = tmp_path_factory.mktemp("served")
    db = build_site_data(folder)
    # a third public answer to the seats question: the conflict page shows all of them
    third = folder / "third.yaml"
    third.write_text(
        "claims:\n- {source: s1, subject: Qais al-Khazali, property: seats_won, value: '16'}\n",
        encoding="utf-8",
    )
    invoke("import", third, db=db)
    port = _free_port()
    # open for the server's whole life, closed when the fixture tears down
    log = open(folder / "serve.log", "w+", encoding="utf-8")  # noqa: SIM115
    env = {**os.environ, "PROVENANCE_ACTOR": "browser test"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from provenance.cli import cli; cli()",
            "--db",
            str(db),
            "serve",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"provenance serve exited with {process.returncode}:\n{log.read()}")
            try:
                _get(base + "/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(
                        f"provenance serve did not answer within {START_TIMEOUT_S} s:\n{log.read()}"
                    )
                time.sleep(0.2)
        yield {"base": base, "folder": folder, "log": log}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1400",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _no_alert(driver) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        _ = driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def _claim_of(base: str, value: str) -> int:
    rows = json.loads(_get(base + "/public/answers.json?_shape=array"))
    return next(r["claim_id"] for r in rows if r["value"] == value)


def test_search_by_alias_then_claim_and_conflict_pages(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base = server["base"]
    browser.get(base + "/")
    assert "Provenance" in browser.title
    browser.save_screenshot(str(tmp_path / "home.png"))

    box = browser.find_element(By.ID, "provenance-search")
    box.send_keys("Qayis")
    box.submit()
    # the results page replaces the home page: wait for it rather than racing it
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda driver: "_search=Qayis" in driver.current_url)
    assert "_search=Qayis" in browser.current_url
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert "Qais al-Khazali" in table and "15 seats" in table and "14 seats" in table
    browser.save_screenshot(str(tmp_path / "search.png"))

    link = next(
        a for a in browser.find_elements(By.CSS_SELECTOR, "td.col-claim_id a") if ": 15" in a.text
    )
    link.click()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Claim ")
    assert "seats_won = 15 seats" in browser.title
    assert [m.text for m in browser.find_elements(By.TAG_NAME, "mark")] == [
        "won 15 seats in parliament"
    ]
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Footnote 1: Tactical Interrogation Report 16" in body
    assert "Party website" not in body
    browser.save_screenshot(str(tmp_path / "claim.png"))

    browser.find_element(By.CSS_SELECTOR, "a[href^='/-/conflict/']").click()
    answers = browser.find_elements(By.CSS_SELECTOR, "section.provenance-answer")
    assert [a.find_element(By.TAG_NAME, "h2").text for a in answers] == [
        "1. 15 seats",
        "2. 16 seats",
        "3. 14 seats",
    ]
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Leading answer: 15 (most likely true)" in body and "3 competing answers" in body
    # each answer names those it contradicts (every other one here), the leader is marked
    ids = {v: _claim_of(base, f"{v} seats") for v in ("14", "15", "16")}
    contradicts = [
        a.find_element(By.XPATH, ".//p[starts-with(., 'Contradicts:')]").text for a in answers
    ]
    assert contradicts == [
        "Contradicts: " + ", ".join(str(i) for i in sorted(ids[v] for v in others))
        for others in (("14", "16"), ("14", "15"), ("15", "16"))
    ], contradicts
    assert "provenance-leading" in answers[0].get_attribute("class")
    browser.save_screenshot(str(tmp_path / "conflict.png"))
    for name in ("home", "search", "claim", "conflict"):
        assert (tmp_path / f"{name}.png").stat().st_size > 5_000, name


def test_a_script_in_a_quote_is_text_and_never_runs(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base = server["base"]
    rows = json.loads(_get(base + "/public/claims_with_sources.json?property=slogan&_shape=array"))
    (row,) = rows
    payload = '<script>alert("xss")</script>'
    assert row["quote"] == payload
    for path in (
        f"/-/claim/{row['claim_id']}",
        "/public/claims_with_sources?property=slogan",
        f"/public/sources/{1}",
    ):
        browser.get(base + path)
        time.sleep(0.3)
        assert _no_alert(browser), f"{path} ran the quoted script"
        assert payload in browser.find_element(By.TAG_NAME, "body").text, path
        ran = browser.execute_script(
            "return Array.from(document.scripts).filter(s => s.textContent.includes('xss')).length"
        )
        assert ran == 0, path
    browser.get(base + f"/-/claim/{row['claim_id']}")
    assert [m.text for m in browser.find_elements(By.TAG_NAME, "mark")] == [payload]
    browser.save_screenshot(str(tmp_path / "script-quote.png"))


def test_serve_published_the_copy_beside_the_working_database(server):
    log = server["log"]
    log.flush()
    log.seek(0)
    text = log.read()
    assert f"published {server['folder'] / 'public.db'}: " in text, text
    assert "serving http://127.0.0.1:" in text, text
    assert (server["folder"] / "public.db").is_file()
    assert (server["folder"] / "public.db.state.json").is_file()
