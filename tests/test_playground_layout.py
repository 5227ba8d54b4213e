"""The playground on a projector: at 1024×768, 1280×720 and 1920×1080 nothing is cut off.

In headless Chromium (Playwright, Debian's chromium), both modes: no element of the diagram or
the derivation is wider than its box (``scrollWidth ≤ clientWidth``), the page needs no
horizontal scrollbar, the step just revealed is in view, values made stale by an update are
marked, and the numbers on the diagram are at least 14 px at 1024 px. Screenshots of each mode
at each size go to ``tests/artifacts/playground/`` (git-ignored); look at them.
"""

import re

import numpy as np
import pytest
from test_playground_browser import ARGS, CHROMIUM, SHOTS, browser, url  # noqa: F401

from playwright.sync_api import expect  # noqa: E402  (the import above skips without it)

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]

# Every element of a panel whose content is wider than its own box, as "tag#id.class W>w".
OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
  .flatMap((root) => [root, ...root.querySelectorAll('*')])
  .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth)
  .map((e) => `${e.tagName}#${e.id}.${e.className.baseVal ?? e.className} ${e.scrollWidth}>${e.clientWidth}`)"""

NO_SCROLLBAR = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def open_page(browser, url, width, height, fragment=""):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + fragment)
    page.wait_for_selector("body[data-step-ready]")
    return page, errors


def assert_fits(page, where):
    for panel in ("#diagram", ".derivation-col"):
        assert page.evaluate(OVERFLOWING, panel) == [], f"{where}: {panel} cuts something off"
    assert page.evaluate(NO_SCROLLBAR), f"{where}: the page scrolls sideways"


def in_view(page, selector):
    """The top of ``selector`` lies inside both the window and its scrolling panel."""
    return page.evaluate("""(selector) => {
      const box = document.querySelector(selector).getBoundingClientRect();
      const panel = document.querySelector('.derivation-col').getBoundingClientRect();
      return box.top >= Math.max(0, panel.top) - 1 && box.top < Math.min(innerHeight, panel.bottom) - 20;
    }""", selector)


@pytest.mark.parametrize("width,height", SIZES)
def test_both_modes_fit_the_window(browser, url, width, height):  # noqa: F811
    page, errors = open_page(browser, url, width, height)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for button, key in [("#btn-forward", "forward"), ("#btn-loss", "loss"),
                        ("#btn-backward", "backward"), ("#btn-update", "update")]:
        page.click(button)
        expect(page.locator(f"#derivation section.{key}")).to_be_visible()
        page.wait_for_timeout(50)   # the scroll follows the drawing
        assert_fits(page, f"{width}×{height} after {key}")
        # the step just revealed starts in view: after Backward its δ lines, not the panel's end
        assert in_view(page, f"#derivation section.{key}"), f"{key} is out of view at {width}"
        page.screenshot(path=str(SHOTS / f"layout-step-{key}-{width}.png"))
    expect(page.locator("#w-2-1-1")).to_have_value("0.35892")      # 0.40 − 0.5 · 0.082167
    if width == 1024:
        assert_numbers_are_14_px(page)
    else:
        assert_stale_values_marked(page)
    if width != 1280:  # a deeper, wider network: scaled, and its long numbers still whole
        page.click("#setup summary")
        page.fill("#setup-sizes", "3-4-4-2" if width == 1024 else "8-8-8-8-8")
        page.click("#setup-build")
        expect(page.locator("#node-3-2")).to_be_visible()
        page.click("#btn-full")
        expect(page.locator("#derivation section.update")).to_be_visible()
        assert_fits(page, f"{width}×{height}, a bigger network after an update")
    page.click("#tab-train")
    expect(page.locator("#t-steps")).to_have_text("0")
    page.click("#t-step")
    expect(page.locator("#t-steps")).to_have_text("1")
    assert page.evaluate(NO_SCROLLBAR), f"Train at {width} scrolls sideways"
    assert page.evaluate(OVERFLOWING, ".train-layout .panel, #t-plane") == []
    page.screenshot(path=str(SHOTS / f"layout-train-{width}.png"))
    assert errors == []
    page.close()


def assert_stale_values_marked(page):
    """After Update z, a, δ and L were computed with the old weights: struck through, with a
    sentence; and the loss chart's x-axis names its one update once ("1", not "1 … 1")."""
    for selector in ("#z-1-1", "#a-2-1", "#delta-2-1", "#loss-value"):
        expect(page.locator(selector)).to_have_class(re.compile(r"\bstale\b"))
    expect(page.locator("#stale-note")).to_contain_text("still those of the old weights")
    labels = page.locator("#step-history text").all_text_contents()
    assert labels.count("1") == 1, labels
    page.click("#btn-forward")                                     # the new network's values
    expect(page.locator("#z-1-1")).not_to_have_class(re.compile(r"\bstale\b"))
    expect(page.locator("#stale-note")).to_have_count(0)


def assert_numbers_are_14_px(page):
    sizes = page.evaluate("""() => {
      const zoom = parseFloat(document.querySelector('#diagram .stage').style.zoom || '1');
      const numbers = [...document.querySelectorAll(
        '#diagram input, #diagram .row span[id], #diagram .weight .grad, #diagram .weight .delta')];
      return numbers.map((e) => parseFloat(getComputedStyle(e).fontSize) * zoom);
    }""")
    # 12 inputs (x₁, x₂, y, 6 weights, 3 biases), 10 values (z, a, δ of 3 neurons, L),
    # 12 labels on the 6 edges (∂L and Δ each)
    assert len(sizes) == 12 + 10 + 12
    assert min(sizes) >= 14, sorted(sizes)[:5]


def test_labels_and_the_presentation_setting(browser, url):  # noqa: F811
    page, _ = open_page(browser, url, 1024, 768)
    expect(page.get_by_label("learning rate α")).to_have_value("0.50")
    expect(page.get_by_label("loss function")).to_have_value("squared_error")
    expect(page.get_by_label("predict, then reveal")).not_to_be_checked()
    expect(page.get_by_role("button", name="Share set-up").first).to_be_visible()
    expect(page.get_by_label("w₁₁[1]", exact=True).first).to_have_value("0.15")
    page.get_by_label("presentation (larger type, fewer panels)").check()
    expect(page.locator("#setup")).to_be_hidden()
    expect(page.locator("#matrices")).to_be_hidden()
    page.click("#btn-backward")
    expect(page.locator("#derivation section.backward")).to_be_visible()
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.eq')).fontSize)")
    assert size == 20                                           # 16 px without the setting
    assert_fits(page, "presentation at 1024")
    page.screenshot(path=str(SHOTS / "layout-presentation-1024.png"))
    page.close()


def test_a_step_through_set_up_travels_in_its_link(browser, url):  # noqa: F811
    page, _ = open_page(browser, url, 1280, 720)
    page.fill("#w-1-1-1", "0.5")
    page.press("#w-1-1-1", "Tab")
    page.fill("#step-lr", "0.25")
    page.press("#step-lr", "Tab")
    page.get_by_label("predict, then reveal").check()
    page.click("#step-share")
    link = page.get_by_label("link to this step-through set-up").input_value()
    assert link.startswith(url + "#step?setup=") and "predict=1" in link  # the page's own address
    other = browser.new_page(viewport={"width": 1280, "height": 720})
    other.goto(link)
    other.wait_for_selector("body[data-step-ready]")
    expect(other.locator("#w-1-1-1")).to_have_value("0.50")
    expect(other.locator("#step-lr")).to_have_value("0.25")
    expect(other.get_by_label("predict, then reveal")).to_be_checked()
    other.close()
    broken = browser.new_page()
    broken.goto(url + "#step?setup=%7Bnot-json")
    broken.wait_for_selector("body[data-step-ready]")
    expect(broken.locator("#error")).to_contain_text("not readable JSON")
    expect(broken.locator("#w-1-1-1")).to_have_value("0.15")     # the lecture's example instead
    broken.close()
    page.close()


def test_a_small_uploaded_csv_travels_in_the_link_and_a_large_one_says_it_does_not(browser, url):  # noqa: F811
    page, _ = open_page(browser, url, 1280, 720)
    page.click("#tab-train")
    small = "".join(f"{x / 10},{y / 10},{'a' if x + y < 10 else 'b'}\n"
                    for x in range(10) for y in range(10)).encode()   # 100 points, ~1 KB
    page.set_input_files("#t-csv", files=[{"name": "small.csv", "mimeType": "text/csv",
                                           "buffer": small}])
    expect(page.locator("#t-upload-status")).to_contain_text("small.csv: 100 points")
    page.click("#t-share")
    expect(page.locator("#t-share-url")).to_be_visible()
    link = page.input_value("#t-share-url")
    assert "dataset=upload" in link and "csv=" in link
    other = browser.new_page()
    other.goto(link)
    other.wait_for_selector("body[data-train-ready]")
    expect(other.locator("#t-upload-status")).to_contain_text("100 points")
    expect(other.locator("#t-dataset")).to_have_value("upload")
    other.close()
    # 1,500 points of random digits do not deflate below the link's limit
    rng = np.random.default_rng(0)
    large = "".join(f"{a:.6f},{b:.6f},{int(c)}\n" for a, b, c in
                    zip(rng.random(1500), rng.random(1500), rng.integers(0, 2, 1500))).encode()
    page.set_input_files("#t-csv", files=[{"name": "large.csv", "mimeType": "text/csv",
                                           "buffer": large}])
    expect(page.locator("#t-upload-status")).to_contain_text("large.csv: 1500 points")
    page.click("#t-share")
    expect(page.locator("#error")).to_contain_text("too large to travel in a link")
    assert "csv=" not in page.input_value("#t-share-url")
    page.close()
