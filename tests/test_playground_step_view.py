"""Step through in headless Chromium: predict-then-reveal (a right and a wrong answer, its order
and what it gives away), the diagram's box, its scale, the derivation panel's scrolling, share
links and labels.

Screenshots go to ``tests/artifacts/playground/`` (git-ignored); look at them.
"""

import json
import urllib.parse

import pytest
from test_playground_browser import ARGS, CHROMIUM, SHOTS, browser, url  # noqa: F401
from test_playground_layout import open_page

from playwright.sync_api import expect  # noqa: E402  (the import above skips without it)

pytestmark = pytest.mark.browser

# The top and bottom of an element in the window, and the window's height.
BOX = """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
  return [r.top, r.bottom, innerHeight]; }"""


def in_window(page, *selectors):
    for selector in selectors:
        top, bottom, height = page.evaluate(BOX, selector)
        assert top >= 0 and bottom <= height, f"{selector} is out of the window: {top}..{bottom}"


def zoom(page):
    return float(page.evaluate("document.querySelector('#diagram .stage').style.zoom"))


def answer(page, value):
    page.fill("#predict-answer", value)
    page.click("#predict-check")


def test_an_unreadable_answer_gives_nothing_away(browser, url):  # noqa: F811
    page, errors = open_page(browser, url, 1280, 720)
    page.get_by_label("predict, then reveal").check()
    page.click("#btn-forward")
    answer(page, "?")
    result = page.locator("#predict-result")
    expect(result).to_contain_text("Not read as a number")
    expect(result).to_contain_text("decimal number")
    assert "0.3775" not in result.text_content()              # z₁[1], the value asked for
    expect(page.locator("#predict-score")).to_be_hidden()      # not counted
    expect(page.locator("#z-1-1")).to_have_text("")            # nor revealed
    answer(page, "0.3775")
    expect(result).to_contain_text("✓ Right: z₁[1] = 0.3775")
    expect(page.locator("#predict-score")).to_contain_text("1 of 1 right")
    assert errors == []
    page.close()


def test_full_step_asks_one_number_per_step_in_order(browser, url):  # noqa: F811
    page, errors = open_page(browser, url, 1280, 720)
    page.get_by_label("predict, then reveal").check()
    question = page.locator("#predict-question")
    page.click("#btn-full")
    expect(question).to_contain_text("Before step 1 is shown: what is z₁[1]?")
    expect(page.locator("#z-1-1")).to_have_text("")
    answer(page, "0.3775")
    expect(page.locator("#z-1-1")).to_have_text("0.3775")      # forward shown, then the loss asked
    expect(question).to_contain_text("Before step 2 is shown: what is the loss L?")
    expect(page.locator("#predict-result")).to_contain_text("✓ Right")  # the last mark stays up
    expect(page.locator("#loss-value")).to_have_text("")
    page.click("#predict-skip")
    expect(page.locator("#loss-value")).to_have_text("0.27481")
    expect(question).to_contain_text("Before step 3 is shown: what is δ₁[2]?")
    page.click("#predict-skip")
    expect(question).to_contain_text("Before step 4 is shown: what is w₁₁[1] after the update?")
    expect(page.locator("#w-1-1-1")).to_have_value("0.15")
    answer(page, "0.1497")                                      # 0.15 − 0.5 · 0.0006684
    expect(page.locator("#w-1-1-1")).to_have_value("0.14967")
    expect(page.locator("#predict")).to_be_hidden()
    expect(page.locator("#predict-score")).to_contain_text("2 of 2 right")
    # Update pressed before Forward asks Forward's question first
    page.click("#btn-reset")
    page.click("#btn-update")
    expect(question).to_contain_text("Before step 1 is shown")
    assert errors == []
    page.close()


def test_the_question_leaves_the_diagram_in_view_at_1024(browser, url):  # noqa: F811
    page, errors = open_page(browser, url, 1024, 768)
    page.get_by_label("predict, then reveal").check()
    page.click("#btn-full")
    expect(page.locator("#predict-answer")).to_be_focused()
    what = ("#node-0-1", "#w-1-1-1", "#node-1-1", "#predict-answer")   # x₁, w₁₁[1], a₁[1]
    in_window(page, *what)
    page.screenshot(path=str(SHOTS / "step-predict-1024-q1.png"))
    answer(page, "0.3775")
    expect(page.locator("#predict-question")).to_contain_text("step 2")
    page.wait_for_timeout(50)
    in_window(page, *what, "#predict-result")
    assert zoom(page) >= 1                      # and at full size: its numbers 14 px or more
    page.screenshot(path=str(SHOTS / "step-predict-1024-q2.png"))
    assert errors == []
    page.close()


@pytest.mark.parametrize("width,height", [(1024, 768), (1280, 720), (1920, 1080)])
def test_the_diagram_box_fits_its_drawing_and_uses_its_width(browser, url, width, height):  # noqa: F811
    page, errors = open_page(browser, url, width, height)
    top, bottom, _ = page.evaluate(BOX, "#diagram")
    cards = page.evaluate("""() => [...document.querySelectorAll(
        '#diagram .node, #diagram .target, #diagram .weight')].map((e) => e.getBoundingClientRect())
        .reduce(([t, b], r) => [Math.min(t, r.top), Math.max(b, r.bottom)], [1e9, -1e9])""")
    assert cards[0] - top <= 30 and bottom - cards[1] <= 30, (top, bottom, cards)
    drawn = page.evaluate("""() => { const s = document.querySelector('#diagram .stage');
      return [s.getBoundingClientRect().width, document.querySelector('#diagram').clientWidth]; }""")
    if width == 1920:   # the lecture's diagram grows to use its box, up to 1.5 times
        assert zoom(page) >= 1.4 and drawn[0] >= 0.9 * drawn[1], (zoom(page), drawn)
    normal = zoom(page)
    page.get_by_label("presentation (larger type, fewer panels)").check()
    page.wait_for_timeout(50)
    presented = zoom(page)
    if width == 1280:   # the presentation setting enlarges it (the derivation moves under it)
        assert presented >= 1.2 and presented >= 1.25 * normal, (normal, presented)
    in_window(page, "#diagram")
    page.screenshot(path=str(SHOTS / f"step-present-{width}.png"))
    assert errors == []
    page.close()


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_after_update_its_heading_comes_to_the_top_of_the_panel(browser, url, width, height):  # noqa: F811
    page, errors = open_page(browser, url, width, height)
    page.click("#btn-full")
    expect(page.locator("#derivation section.update")).to_be_visible()
    page.wait_for_timeout(50)
    panel_top, panel_bottom, window = page.evaluate(BOX, ".derivation-col")
    heading, _, _ = page.evaluate(BOX, "#derivation section.update h3")
    assert panel_bottom <= window, f"the panel ends below the window: {panel_bottom} > {window}"
    assert 0 <= heading - panel_top <= 40, (heading, panel_top)
    page.screenshot(path=str(SHOTS / f"step-update-top-{width}.png"))
    assert errors == []
    page.close()


def test_a_mismatched_link_says_the_example_is_shown_and_labels_are_distinct(browser, url):  # noqa: F811
    bad = {"layers": [{"activation": "sigmoid", "W": [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]],
                       "b": [0.1]}], "x": [1, 2], "y": [0, 1, 0], "lr": 0.5}
    fragment = "#step?setup=" + urllib.parse.quote(json.dumps(bad))
    page, errors = open_page(browser, url, 1280, 720, fragment)
    expect(page.locator("#error")).to_contain_text("layer 1 b must have 3 numbers")
    expect(page.locator("#error")).to_contain_text("the lecture's example is shown instead")
    expect(page.locator("#w-1-1-1")).to_have_value("0.15")
    expect(page.get_by_label("seed", exact=True)).to_have_count(1)          # Train's
    expect(page.get_by_label("starting-weights seed")).to_have_count(1)    # Step's
    names = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
      .filter((e) => e.type !== 'hidden').map((e) => {
        const by = e.getAttribute('aria-labelledby');
        if (e.getAttribute('aria-label')) return e.getAttribute('aria-label');
        if (by) return by.split(' ').map((id) => document.getElementById(id).textContent.trim()).join(' ');
        return e.labels.length ? e.labels[0].textContent.trim() : `(none: ${e.id})`;
      })""")
    shared = sorted({n for n in names if names.count(n) > 1})
    assert shared == [], f"controls that share a label: {shared}"
    assert errors == []
    page.close()


def test_predict_then_reveal_marks_a_right_and_a_wrong_answer(browser, url):  # noqa: F811
    page, errors = open_page(browser, url, 1280, 720)
    page.get_by_label("predict, then reveal").check()
    page.click("#btn-forward")
    # the first number of Forward is asked; nothing is shown before the answer
    expect(page.locator("#predict-question")).to_contain_text("what is z₁[1]?")
    expect(page.locator("#z-1-1")).to_have_text("")
    page.get_by_label("your value of z₁[1] (4 decimals)").fill("0.3775")
    page.click("#predict-check")
    expect(page.locator("#predict-result")).to_contain_text("✓ Right: z₁[1] = 0.3775")
    expect(page.locator("#z-1-1")).to_have_text("0.3775")          # revealed
    expect(page.locator("#predict-score")).to_contain_text("1 of 1 right")
    page.click("#btn-loss")
    expect(page.locator("#predict-question")).to_contain_text("what is the loss L?")
    page.fill("#predict-answer", "0.5496")                       # (y − ŷ)², no ½
    page.press("#predict-answer", "Enter")
    result = page.locator("#predict-result")
    expect(result).to_contain_text("✗ Not quite: the loss L = 0.27481")
    expect(result).to_contain_text("The ½ of the squared error is dropped")
    expect(page.locator("#loss-value")).to_have_text("0.27481")
    expect(page.locator("#predict-score")).to_contain_text("1 of 2 right")
    page.click("#btn-backward")
    page.click("#predict-skip")                                  # shown, not scored
    expect(page.locator("#derivation section.backward")).to_be_visible()
    expect(page.locator("#predict-score")).to_contain_text("1 of 2 right")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "predict.png"))
    assert errors == []
    page.close()
