"""The playground in headless Chromium (Playwright, Debian's chromium): what a student sees.

Screenshots of each mode go to ``tests/artifacts/playground/`` (git-ignored); look at them.
Needs Debian's ``/usr/bin/chromium`` (``make test`` installs it); never ``playwright install``.
Without it the tests skip, except under CI=true, where they fail.
"""

import math
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import require_module, require_tool

require_module("playwright.sync_api")
uvicorn = require_module("uvicorn")
from playwright.sync_api import expect, sync_playwright  # noqa: E402

import glassnet.persistence as persistence  # noqa: E402
from glassnet.playground import create_app  # noqa: E402
from glassnet.playground.server import bind  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).parent / "artifacts" / "playground"


@pytest.fixture(scope="module")
def url():
    sock = bind("127.0.0.1", 0)  # a free port: tests running side by side never collide
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the playground server did not start within 20 s"
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    require_tool(CHROMIUM)
    # A step of the largest network takes 2–3 s on a loaded 2-core machine (two test workers,
    # each with a browser and a server): assertions wait up to 15 s for the page, not 5.
    expect.set_options(timeout=15_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors, elsewhere = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # No CDN, no fonts, no analytics: every request goes to the playground's own server.
    page.on("request", lambda request: None if request.url.startswith((url, "data:", "blob:"))
            or request.url == "about:blank" else elsewhere.append(request.url))
    page.goto(url)
    page.wait_for_selector("body[data-step-ready]")
    yield page
    page.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
    assert elsewhere == [], f"requests that left the playground: {elsewhere}"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_forward_shows_the_lecture_output(page):
    page.click("#btn-forward")
    expect(page.locator("#a-2-1")).to_have_text("0.75137")       # ŷ = σ(1.10591)
    expect(page.locator("#a-1-1")).to_have_text("0.59327")       # a₁[1] = σ(0.3775)
    expect(page.locator("#loss-value")).to_have_text("")          # not revealed yet
    expect(page.locator("#derivation section.forward .eq")).to_have_count(3)      # one per line
    shot(page, "step-forward")
    page.click("#btn-loss")
    expect(page.locator("#loss-value")).to_have_text("0.27481")  # ½(0.01 − 0.75137)²


def test_names_are_the_servers_and_no_global_is_left(page):
    assert page.evaluate("typeof GN") == "undefined"  # ES modules: nothing on the global scope
    assert page.inner_html("#node-1-2 .name .sym-name") == "a<sub>2</sub><sup>[1]</sup>"
    assert page.inner_html("#node-2-1 .name .sym-name") == "ŷ"  # one output: no index
    assert page.inner_html("#node-0-1 .name .sym-name") == "x<sub>1</sub>"
    expect(page.locator("#w-2-2-1")).to_have_attribute("aria-label", "w₂₁[2]")
    expect(page.locator("#m-b-1-2")).to_have_attribute("aria-label", "b₂[1] in b[1]")
    page.fill("#b-1-2", "?")
    page.press("#b-1-2", "Tab")
    expect(page.locator("#error")).to_contain_text('b₂[1] must be a number, got "?"')


def test_full_step_updates_the_weight(page):
    page.click("#btn-full")
    # w₁₁[2] ← 0.40 − 0.5 · 0.082167 = 0.35892
    expect(page.locator("#w-2-1-1")).to_have_value("0.35892")
    expect(page.locator("#derivation section.update")).to_be_visible()
    expect(page.locator("#step-status")).to_contain_text("1 update so far; last loss 0.27481")
    shot(page, "step-update")
    page.click("#btn-reset")
    expect(page.locator("#w-2-1-1")).to_have_value("0.40")


def test_editing_a_weight_changes_the_forward_values(page):
    page.click("#btn-forward")
    expect(page.locator("#a-1-1")).to_have_text("0.59327")
    page.fill("#w-1-1-1", "0.5")
    page.press("#w-1-1-1", "Tab")
    # z₁ = 0.05 · 0.5 + 0.10 · 0.20 + 0.35 = 0.395, a₁ = σ(0.395)
    a1 = 1 / (1 + math.exp(-0.395))
    expect(page.locator("#a-1-1")).to_have_text(f"{a1:.5f}")
    expect(page.locator("#a-2-1")).not_to_have_text("0.75137")
    page.fill("#w-1-1-1", "abc")
    page.press("#w-1-1-1", "Tab")
    expect(page.locator("#error")).to_contain_text("must be a number, got \"abc\"")
    page.select_option("#step-loss", "cross_entropy")  # the server refuses: output is sigmoid
    expect(page.locator("#error")).to_contain_text("cross_entropy expects a softmax output layer")
    page.select_option("#step-loss", "squared_error")
    page.click("#btn-forward")
    expect(page.locator("#error")).to_be_hidden()


def test_a_bigger_network_can_be_set_up(page):
    page.click("#setup summary")
    page.fill("#setup-sizes", "3-four-2")
    page.click("#setup-build")
    expect(page.locator("#error")).to_contain_text("sizes must list 2 to 5 layer sizes")
    page.fill("#setup-sizes", "3-4-4-2")
    page.select_option("#setup-output", "softmax")
    page.select_option("#setup-loss", "cross_entropy")
    page.click("#setup-build")
    expect(page.locator("#node-3-2")).to_be_visible()
    page.click("#btn-backward")
    expect(page.locator("#delta-1-4")).not_to_have_text("")
    shot(page, "step-bigger")
    # Dense layers are edited in the matrix view; the diagram follows.
    before = page.text_content("#z-1-1")
    page.fill("#m-b-1-1", "1.5")
    page.press("#m-b-1-1", "Tab")
    expect(page.locator("#z-1-1")).not_to_have_text(before)
    expect(page.locator("#b-1-1")).to_have_value("1.50")


def test_train_xor_to_full_accuracy(page, url, tmp_path):
    setup = ("dataset=xor&hidden=4&activation=tanh&loss=cross_entropy&optimizer=adam&lr=0.1"
             "&batch_size=4&test_fraction=0&seed=0")
    page.goto("about:blank")  # a new load: from the same page only the fragment would change
    page.goto(f"{url}#train?{setup}")
    page.wait_for_selector("body[data-train-ready]")
    expect(page.locator("#t-steps")).to_have_text("0")
    page.select_option("#t-speed", "20")
    page.click("#t-play")
    expect(page.locator("#t-train-acc")).to_have_text("100.0%", timeout=20_000)
    page.click("#t-play")
    shot(page, "train-xor")
    with page.expect_download() as download:
        page.click("#t-download")
    path = tmp_path / "xor.safetensors"
    download.value.save_as(path)
    net = persistence.load(path)
    y_hat = net.forward(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
    assert ((y_hat[:, 0] > 0.5) == [False, True, True, False]).all()  # XOR, from the file


def test_train_spiral_and_share_the_setup(page, browser):
    page.click("#tab-train")
    expect(page.locator("#t-steps")).to_have_text("0")
    page.click("#t-step")
    expect(page.locator("#t-steps")).to_have_text("1")  # Step is one mini-batch update
    page.select_option("#t-speed", "100")
    page.click("#t-play")
    page.wait_for_function("parseFloat(document.querySelector('#t-train-acc').textContent) >= 90",
                           timeout=30_000)
    page.click("#t-play")
    expect(page.locator("#t-network .net-node.hidden canvas")).to_have_count(16)
    assert (page.inner_html("#t-network .net-node.hidden >> nth=9 >> figcaption")
            == "a<sub>2</sub><sup>[2]</sup>")
    shot(page, "train-spiral")
    page.fill("#t-hidden", "8, x")
    page.press("#t-hidden", "Tab")
    expect(page.locator("#error")).to_contain_text("hidden must list 0 to 4 hidden layer sizes")
    page.fill("#t-hidden", "6")
    page.press("#t-hidden", "Tab")
    page.click("#t-share")
    link = page.input_value("#t-share-url")
    assert "dataset=spiral" in link and "hidden=6" in link
    other = browser.new_page()
    other.goto(link)
    other.wait_for_selector("body[data-train-ready]")
    expect(other.locator("#t-hidden")).to_have_value("6")
    expect(other.locator("#mode-train")).to_be_visible()
    other.close()


def test_malformed_csv_shows_the_error(page):
    page.click("#tab-train")
    page.set_input_files("#t-csv", files=[{"name": "bad.csv", "mimeType": "text/csv",
                                           "buffer": b"x1,x2,label\n1,2,a\n3,4\n"}])
    expect(page.locator("#error")).to_contain_text("CSV line 3: expected 3 columns")
    expect(page.locator("#t-upload-status")).to_contain_text("bad.csv was not loaded")
    shot(page, "train-bad-csv")
    page.set_input_files("#t-csv", files=[{"name": "good.csv", "mimeType": "text/csv",
                                           "buffer": b"0,0,a\n0,1,b\n1,0,b\n1,1,a\n"}])
    expect(page.locator("#t-upload-status")).to_contain_text("good.csv: 4 points")
    expect(page.locator("#error")).to_be_hidden()
