"""End to end in headless Chromium: `medpolicy serve` over a store of the demo corpus, driven like a user.

Needs Chromium at /usr/bin/chromium (Debian's `chromium` package): without it these tests skip,
unless $CI is set, when they fail. With $MEDPOLICY_SCREENSHOTS set to a folder, the picture test
writes the README's screenshots there.
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

import medpolicy
from medpolicy.demo import corpus_dir
from medpolicy.web import features

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "browser-test-token"
HOSTILE_POLICY = (  # names no payer and no code, so the demo's pages look as they would without it
    "Medical Policy\n\n<script>window.injected = 1</script> Cell Counts\n\n"
    "Policy Number: EM-<b>7</b>\nEffective Date: 2024-03-01\n\nPolicy Coverage Criteria\n"
    'Cell counts <img src=x onerror="window.injected = 2"> are considered investigational.\n'
)

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (install Debian's chromium package)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; $CI is set, so the browser tests must run")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base: str
    hostile_policy_id: int  # the uploaded policy whose text holds markup


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`medpolicy serve` in a subprocess over the demo corpus and one hostile upload."""
    _require_chromium()
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    with medpolicy.open(db) as store:
        summary = store.ingest([corpus_dir()], jobs=2)
        assert summary.new, summary.to_dict()
    port = _free_port()
    command = [sys.executable, "-m", "medpolicy", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(
        command, env=os.environ | {"MEDPOLICY_TOKEN": TOKEN}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        upload = httpx.post(
            f"{base}/api/v1/documents",
            files={"file": ("hostile.txt", HOSTILE_POLICY.encode())},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert upload.status_code == 201, upload.text
        yield Server(base, upload.json()["policy_id"])
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"medpolicy serve exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base}/api/v1/stats", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("medpolicy serve did not start within 30 s")


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: Server):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=server.base, accept_downloads=True, viewport={"width": 1280, "height": 860}
    )
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_searching_a_code_from_the_home_page_opens_its_page(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/")
    search_box = page.get_by_label("Code or words")
    search_box.fill("86357")
    search_box.press("Enter")
    expect(page).to_have_url("/codes/86357")
    expect(page.get_by_role("heading", level=1)).to_have_text("86357")
    expect(page.locator(".payer-tile").first).to_be_visible()
    expect(page.locator(".policy-hit").first).to_be_visible()


def test_suggestions_work_from_the_keyboard(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/")
    search_box = page.get_by_role("combobox", name="Code or words")
    search_box.press_sequentially("8635", delay=20)
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    expect(search_box).to_have_attribute("aria-expanded", "true")
    search_box.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    expect(search_box).to_have_attribute("aria-activedescendant", first_id or "")
    code = options.first.locator(".suggest-label").inner_text()
    search_box.press("Enter")
    expect(page).to_have_url(f"/codes/{code}")
    page.goto("/")
    page.get_by_role("combobox", name="Code or words").press_sequentially("8635", delay=20)
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()


def test_clicking_a_fact_scrolls_to_its_highlight_in_the_policy_text(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/codes/86357")
    page.locator(".policy-hit h4 a").first.click()
    expect(page).to_have_url(re.compile(r"/policies/\d+$"))
    link = page.locator(".fact-list a[data-fact-link]").last
    target_id = (link.get_attribute("href") or "#")[1:]
    mark = page.locator(f"mark#{target_id}")
    link.click()
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    expect(mark).to_have_class(re.compile(r"\bis-active\b"))
    expect(page).to_have_url(re.compile(f"#{target_id}$"))


def test_the_matrix_downloads_as_csv(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/matrix")
    page.get_by_label("Codes", exact=True).fill("86357\n0537T")
    page.get_by_role("button", name="Show matrix").click()
    expect(page.locator("table.matrix")).to_be_visible()
    expect(page.locator("table.matrix tbody tr")).to_have_count(2)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    saved = tmp_path / "matrix.csv"
    download_info.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows[0][0] == "code" and len(rows[0]) > 2
    assert [row[0] for row in rows[1:]] == ["86357", "0537T"]
    assert {"no policy found"} < {cell for row in rows[1:] for cell in row[1:]}


def test_the_code_report_downloads_as_pdf(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not features.available(features.REPORT):
        pytest.skip("medpolicy.report is not installed")
    page.goto("/codes/86357")
    with page.expect_download() as download_info:
        page.get_by_role("group", name="Download the coverage report").get_by_role("link", name="PDF").click()
    assert download_info.value.suggested_filename == "medpolicy-report-86357.pdf"
    saved = tmp_path / "report.pdf"
    download_info.value.save_as(saved)
    import pypdfium2

    document = pypdfium2.PdfDocument(saved)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "86357" in text


def test_markup_in_a_document_never_runs(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(f"/policies/{server.hostile_policy_id}")
    text = page.locator(".doc-text")
    expect(text).to_contain_text("<script>window.injected = 1</script> Cell Counts")
    expect(text).to_contain_text('<img src=x onerror="window.injected = 2">')
    page.goto("/search?q=injected")
    expect(page.locator(".results")).to_contain_text("window.injected")
    assert page.evaluate("window.injected") is None
    assert page.dialogs == []


def test_pages_fit_a_phone_screen(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=server.base, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = context.new_page()
    for url in ("/", "/codes/86357", "/matrix?codes=86357,0537T", "/changes"):
        phone.goto(url)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} is {overflow}px wider than the screen"
    context.close()


def test_keyboard_users_can_skip_to_the_content(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/codes/86357")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


SCREENSHOTS = [
    ("screenshot-home.png", "/", 1280, None),
    ("screenshot-code.png", "/codes/86357", 1280, None),
    ("screenshot-policy.png", None, 1280, "fact"),
    (
        "screenshot-matrix.png",
        "/matrix?codes=86357,86356,0165U,63650,L8687,90867,95806"
        "&payers=Cascade+Summit+Health+Plan&payers=Keystone+Harbor+Health&payers=Prairie+Mutual+Health"
        "&payers=Highland+Plains+Health+Cooperative&payers=CMS+(Medicare)",
        1280,
        None,
    ),
    ("screenshot-changes.png", "/changes", 1280, None),
    ("screenshot-code-phone.png", "/codes/86357", 390, None),
]


def test_main_pages_render_as_pictures(browser, server: Server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every main page renders to a picture with real content (and into $MEDPOLICY_SCREENSHOTS when set)."""
    folder = Path(os.environ.get("MEDPOLICY_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, url, width, action in SCREENSHOTS:
        phone = width < 600
        context = browser.new_context(
            base_url=server.base,
            viewport={"width": width, "height": 844 if phone else 860},
            device_scale_factor=2 if phone else 1,
            is_mobile=phone,
        )
        shot = context.new_page()
        if action == "fact":
            shot.goto("/codes/86357")
            shot.locator(".policy-hit h4 a").first.click()
            shot.locator(".fact-list a[data-fact-link]").first.click()
            shot.wait_for_timeout(800)
            shot.mouse.move(0, 0)
            shot.evaluate(
                "document.querySelector('mark.is-active').scrollIntoView({block: 'end'}); scrollBy(0, 60)"
            )
        else:
            shot.goto(url)
        shot.screenshot(path=str(folder / name))
        context.close()
        _assert_not_blank(folder / name)


def _assert_not_blank(png: Path) -> None:
    from PIL import Image, ImageStat

    with Image.open(png) as image:
        grey = image.convert("L")
        spread = ImageStat.Stat(grey).stddev[0]
        dark = sum(grey.histogram()[:200]) / (grey.width * grey.height)
    assert spread > 10 and dark > 0.01, f"{png.name} looks blank (stddev {spread:.1f}, dark {dark:.3f})"
