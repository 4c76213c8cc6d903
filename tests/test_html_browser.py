"""The example's web page in headless Chromium: axe-core's WCAG 2.2 AA rules, a phone's width, the filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import ARTEFACTS, chromium, describe, run_axe

from perfreport.build import PdfMode, build_paper
from perfreport.core.periods import Period
from perfreport.core.project import load_project

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "somerset"
NO_SCRIPT = {"value": True}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example's page, built as `perfreport build Q2-2024 --no-pdf` writes it."""
    out = tmp_path_factory.mktemp("html") / "Q2-2024"
    result = build_paper(load_project(EXAMPLE), Period(2024, 2), out_dir=out, pdf=PdfMode.OFF)
    (html,) = (p for name, p in result.outputs.items() if name.endswith(".html"))
    return html.as_uri()


def _rows(driver, rag: str | None = None) -> list:
    from selenium.webdriver.common.by import By

    selector = ".appendix tr[data-rag]" + (f'[data-rag="{rag}"]' if rag else "")
    return driver.find_elements(By.CSS_SELECTOR, selector)


def _visible(elements: list) -> list:
    return [e for e in elements if e.is_displayed()]


def _choose(driver, input_id: str) -> None:
    from selenium.webdriver.common.by import By

    label = driver.find_element(By.CSS_SELECTOR, f'label[for="{input_id}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
    label.click()


def _csp_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security" in e["message"]]


def test_the_example_page_has_no_wcag_22_aa_violations(page: str) -> None:
    for width in (1280, 320):
        with chromium(width, 900) as driver:
            driver.get(page)
            violations = run_axe(driver)
            assert violations == [], f"at {width} CSS px:\n{describe(violations)}"


def test_at_320_css_px_only_the_appendix_tables_scroll_sideways(page: str) -> None:
    from selenium.webdriver.common.by import By

    # 320 CSS px is a small phone, and what a 1280 px screen shows at 400% zoom (WCAG 1.4.10).
    with chromium(320, 640) as driver:
        driver.get(page)
        page_width = driver.execute_script("return document.documentElement.scrollWidth")
        viewport = driver.execute_script("return document.documentElement.clientWidth")
        assert (page_width, viewport) == (320, 320)
        regions = driver.find_elements(By.CSS_SELECTOR, ".appendix .table-scroll")
        assert len(regions) == 5
        for region in regions:
            assert region.get_attribute("role") == "region"
            assert region.get_attribute("tabindex") == "0"
            assert region.get_attribute("aria-label").startswith("Indicators: ")
            inner, outer = driver.execute_script(
                "return [arguments[0].scrollWidth, arguments[0].clientWidth]", region
            )
            assert inner > outer  # the table scrolls inside its region, not the page
        assert _csp_errors(driver) == []


def test_screenshots_of_the_first_screen_and_an_appendix_table_are_saved(page: str) -> None:
    from selenium.webdriver.common.by import By

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for name, width, height in (("desktop", 1280, 900), ("phone", 375, 740)):
        with chromium(width, height) as driver:
            driver.get(page)
            first = ARTEFACTS / f"first-screen-{name}.png"
            assert driver.save_screenshot(str(first))
            table = driver.find_element(By.CSS_SELECTOR, "#group-2 .table-scroll")
            driver.execute_script("arguments[0].scrollIntoView()", table)
            shot = ARTEFACTS / f"appendix-table-{name}.png"
            assert table.screenshot(str(shot))
            for path in (first, shot):
                assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
                assert path.stat().st_size > 5000


@pytest.mark.parametrize("script", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_appendix_filters_by_rating_and_by_group(page: str, script: bool) -> None:
    from selenium.webdriver.common.by import By

    with chromium(1280, 900) as driver:
        if not script:
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", NO_SCRIPT)
        driver.get(page)
        status = driver.find_element(By.ID, "filter-status")
        everything = _rows(driver)
        assert len(everything) == 114 and len(_visible(everything)) == 114

        _choose(driver, "rag-red")
        red = _rows(driver, "red")
        assert len(red) == 15
        assert _visible(_rows(driver)) == red
        shown_sections = _visible(driver.find_elements(By.CSS_SELECTOR, ".appendix .group"))
        assert all(s.find_elements(By.CSS_SELECTOR, 'tr[data-rag="red"]') for s in shown_sections)
        expected = "Showing 15 of 114 indicators." if script else "Choose a rating"
        assert status.text.startswith(expected)

        _choose(driver, "rag-all")
        _choose(driver, "show-group-2")
        sections = driver.find_elements(By.CSS_SELECTOR, ".appendix .group")
        assert [s.get_attribute("id") for s in _visible(sections)] == ["group-2"]
        in_second = sections[1].find_elements(By.CSS_SELECTOR, "tr[data-rag]")
        assert _visible(_rows(driver)) == in_second
        if script:
            assert status.text == f"Showing {len(in_second)} of 114 indicators."
        assert _csp_errors(driver) == []


def test_axe_finds_what_a_careless_page_gets_wrong(tmp_path: Path) -> None:
    # The check above can fail: the same run of axe on a page without a language, a title, alt
    # text or contrast reports each.
    careless = tmp_path / "careless.html"
    careless.write_text(
        '<!DOCTYPE html><html><body><img src="data:,"><p style="color:#bbb">Grey</p></body></html>',
        encoding="utf-8",
    )
    with chromium(1280, 900) as driver:
        driver.get(careless.as_uri())
        found = {v["id"] for v in run_axe(driver)}
    assert {"html-has-lang", "document-title", "image-alt", "color-contrast"} <= found
