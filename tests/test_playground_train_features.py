"""Train mode's TensorFlow Playground features in headless Chromium: every control by its
label, a regression run, a run with L2 and extra features, changes while training, clicked
points, the epoch counter, and no overflowing element at three window sizes.

Uses the server, browser and screenshot helpers of test_playground_browser.py; screenshots go
to ``tests/artifacts/playground/`` (look at them). Skips without Chromium, except under CI=true.
"""

import re

import pytest
from test_playground_browser import browser, shot, url  # noqa: F401  (fixtures)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
# Every control issue 18 names, by the text of its label (its accessible name).
LABELS = ["problem type", "data set", "noise", "test split %", "batch size", "learning rate",
          "activation", "regularisation", "regularisation rate", "x1", "x2", "x1²", "x2²",
          "x1·x2", "sin x1", "sin x2", "discretize output", "show test data",
          "a click on the plane adds"]
# Count the distinct colours of a canvas, and the elements wider than their box.
COLOURS = """(id) => { const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, seen = new Set();
  for (let k = 0; k < d.length; k += 16) seen.add(d[k] << 16 | d[k + 1] << 8 | d[k + 2]);
  return seen.size; }"""
# The share of a canvas's pixels in the colour scale's two ends, −1 orange and +1 blue.
ENDS = """(id) => { const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ends = 0;
  for (let k = 0; k < d.length; k += 4) {
    const rgb = `${d[k]},${d[k + 1]},${d[k + 2]}`;
    if (rgb === '245,158,11' || rgb === '37,99,235') ends += 1;
  }
  return ends / (d.length / 4); }"""
OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.scrollWidth > e.clientWidth + 1)
  .map((e) => `${e.tagName}#${e.id}.${e.className} ${e.scrollWidth} > ${e.clientWidth}`)"""


# A select's options that are raw ids or wider than the select shows (less its arrow).
CUT_OPTIONS = """() => { const ctx = document.createElement('canvas').getContext('2d'), out = [];
  for (const s of document.querySelectorAll('#mode-train select, .x-cmp-setup select')) {
    const style = getComputedStyle(s);
    ctx.font = `${style.fontSize} ${style.fontFamily}`;
    const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18;
    for (const o of s.options) {
      if (o.text.includes('_') || ctx.measureText(o.text).width > room) out.push(`${s.id}: ${o.text}`);
    }
  }
  return out; }"""


def open_train(browser, url, setup="", size=(1600, 1000)):  # noqa: F811
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}#train?{setup}" if setup else url)
    page.wait_for_selector("body[data-train-ready]")
    if not setup:
        page.click("#tab-train")
    expect(page.locator("#t-steps")).to_have_text("0")
    return page, errors


def train_for(page, steps_at_least: int):
    page.select_option("#t-speed", "100")
    page.click("#t-play")
    page.wait_for_function(f"Number(document.querySelector('#t-steps').textContent) >= "
                           f"{steps_at_least}", timeout=30_000)
    page.click("#t-play")


def loss(page) -> float:
    return float(page.text_content("#t-train-loss"))


def test_every_control_is_reachable_by_its_label(browser, url):  # noqa: F811
    page, errors = open_train(browser, url)
    for label in LABELS:
        control = page.get_by_label(label, exact=True)
        expect(control).to_have_count(1)
        assert control.evaluate("e => ['INPUT', 'SELECT'].includes(e.tagName)"), label
    page.get_by_label("x1²", exact=True).check()   # a feature: a new network reads it
    expect(page.locator("#t-network .net-node.input")).to_have_count(3)
    page.get_by_label("problem type", exact=True).select_option("regression")
    expect(page.get_by_label("data set", exact=True)).to_have_value("plane")
    expect(page.locator("#t-metrics")).to_contain_text("mean squared error")
    page.close()
    assert errors == []


def test_a_regression_run_trains_and_draws(browser, url):  # noqa: F811
    page, errors = open_train(browser, url, "problem=regression&dataset=gaussians_regression"
                              "&hidden=8,6&lr=0.03&batch_size=10&seed=1")
    first = loss(page)
    train_for(page, 200)
    assert loss(page) < 0.5 * first
    assert page.evaluate(COLOURS, "t-plane") > 20       # a colour field, not one flat colour
    expect(page.locator("#t-network .net-node.output canvas")).to_have_count(1)
    shot(page, "train-regression")
    assert page.evaluate(ENDS, "t-plane") < 0.2                 # shades of ŷ
    page.get_by_label("discretize output", exact=True).check()   # ŷ's sign: ±1 only
    assert page.evaluate(ENDS, "t-plane") > 0.5
    page.close()
    assert errors == []


def test_l2_with_extra_features_trains_and_draws(browser, url):  # noqa: F811
    page, errors = open_train(browser, url, "dataset=circles&hidden=4&lr=0.1&penalty=l2"
                              "&penalty_rate=0.001&features=x1,x2,x1sq,x2sq,sinx1")
    assert page.get_by_label("sin x1", exact=True).is_checked()
    expect(page.locator("#t-network .net-node.input")).to_have_count(5)
    first = loss(page)
    train_for(page, 100)
    assert loss(page) < 0.5 * first
    assert float(page.text_content("#t-penalty-value")) > 0          # (λ/2) Σ w² is shown
    assert page.evaluate(COLOURS, "t-plane") > 2
    # every weight an edge: 5·4 + 4·1, each coloured by its sign and thickened by its size
    edges = page.locator("#t-network svg.net-edges line")
    expect(edges).to_have_count(24)
    widths = {edges.nth(k).get_attribute("stroke-width") for k in range(24)}
    colours = {edges.nth(k).get_attribute("stroke") for k in range(24)}
    assert len(widths) > 5 and colours <= {"#f59e0b", "#2563eb"}
    shot(page, "train-l2-features")
    page.click("#t-share")                                   # the link carries the new fields
    link = page.input_value("#t-share-url")
    for field in ("problem=classification", "penalty=l2", "penalty_rate=0.001",
                  "features=x1%2Cx2%2Cx1sq%2Cx2sq%2Csinx1"):
        assert field in link, field
    page.close()
    assert errors == []


def test_settings_change_while_training_runs(browser, url):  # noqa: F811
    page, errors = open_train(browser, url, "dataset=moons&hidden=6&seed=3")
    page.select_option("#t-speed", "5")
    page.click("#t-play")
    page.wait_for_function("Number(document.querySelector('#t-steps').textContent) >= 20")
    for label, value in [("learning rate", "0.1"), ("batch size", "8"), ("noise", "0.3"),
                         ("test split %", "40")]:
        page.get_by_label(label, exact=True).fill(value)
        page.get_by_label(label, exact=True).dispatch_event("change")
    page.get_by_label("activation", exact=True).select_option("relu")
    page.get_by_label("regularisation", exact=True).select_option("l1")
    page.get_by_label("regularisation rate", exact=True).select_option("0.01")
    steps = int(page.text_content("#t-steps"))
    page.wait_for_function(f"Number(document.querySelector('#t-steps').textContent) > {steps}")
    page.click("#t-play")
    assert int(page.text_content("#t-steps")) > 20        # the session ran on: no reset
    expect(page.locator("#t-penalty-value")).to_be_visible()
    expect(page.locator("#error")).to_be_hidden()
    page.close()
    assert errors == []


def test_a_click_adds_a_point_and_the_epoch_counter_is_right(browser, url):  # noqa: F811
    page, errors = open_train(browser, url, "dataset=xor&hidden=4&batch_size=32&test_fraction=0")
    page.click("#t-step")
    expect(page.locator("#t-epoch")).to_have_text("1.00")   # 4 points, batch 32: one pass
    page.get_by_label("a click on the plane adds", exact=True).select_option(label="a point of "
                                                                            "class 1")
    box = page.locator("#t-plane").bounding_box()
    with page.expect_response(re.compile(r"/points$")) as answer:
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    point = answer.value.json()
    assert len(point["train"]["X"]) == 5 and point["train"]["y"][-1] == 1
    centre = point["train"]["X"][-1]                        # the middle of XOR's square
    assert centre == pytest.approx([0.5, 0.5], abs=0.02)
    page.click("#t-step")
    expect(page.locator("#t-epoch")).to_have_text("2.00")
    page.close()
    assert errors == []


def test_nothing_overflows_at_classroom_sizes(browser, url):  # noqa: F811
    page, errors = open_train(browser, url, "dataset=spiral&hidden=8,8&features=x1,x2,x1sq,"
                              "x2sq,x1x2,sinx1,sinx2", size=SIZES[0])
    train_for(page, 20)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.click("#t-step")                               # drawn again at this size
        assert page.evaluate(OVERFLOWING, "#mode-train, #mode-train *") == [], width
        scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll[0] <= scroll[1], f"a horizontal scrollbar at {width} px"
        nodes = page.locator("#t-network canvas")
        expect(nodes).to_have_count(7 + 16 + 3)
        diagram = page.locator("#t-network").bounding_box()
        for k in (0, 7 + 16 + 2):                           # first input, last output
            box = nodes.nth(k).bounding_box()
            assert diagram["x"] <= box["x"]
            assert box["x"] + box["width"] <= diagram["x"] + diagram["width"]
        caption = page.locator("#t-network figcaption").first
        assert caption.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 13
        page.evaluate("window.scrollTo(0, 0)")
        # the run controls sit on top: Play never scrolls the diagram or the plane away
        for control in ("#t-play", "#t-step", "#t-reset", "#t-speed", "#t-steps"):
            box = page.locator(control).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (control, width, box)
        for picture in ("#t-network", "#t-plane"):                 # both begin on screen
            assert page.locator(picture).bounding_box()["y"] < height - 100, (picture, width)
        assert page.evaluate(CUT_OPTIONS) == [], width
        shot(page, f"train-{width}x{height}")
    page.close()
    assert errors == []


def test_leaving_xor_gives_back_the_test_split(browser, url):  # noqa: F811
    page, errors = open_train(browser, url, "dataset=moons&test_fraction=30")
    split, data = page.get_by_label("test split %", exact=True), page.get_by_label("data set", exact=True)
    expect(split).to_have_value("30")
    data.select_option("xor")                        # four points: all of them train
    expect(split).to_have_value("0")
    data.select_option("circles")
    expect(split).to_have_value("30")
    data.select_option("xor")
    page.get_by_label("problem type", exact=True).select_option("regression")
    expect(split).to_have_value("30")
    expect(page.locator("#t-test-loss")).not_to_have_text("—")     # a test split again
    page.close()
    assert errors == []


def test_readable_choices_and_metrics_kept_whole_at_1280(browser, url):  # noqa: F811
    page, errors = open_train(browser, url, "problem=regression&dataset=gaussians_regression"
                              "&hidden=4&penalty=l2&penalty_rate=0.003", size=(1280, 720))
    data = page.get_by_label("data set", exact=True)
    expect(data.locator("option:checked")).to_have_text("Gaussian bumps")
    expect(page.get_by_label("loss", exact=True).locator("option:checked")).to_have_text("MSE")
    assert page.evaluate(CUT_OPTIONS) == []
    page.click("#t-step")
    expect(page.locator("#t-steps")).to_have_text("1")
    # "train … · test …" stays on one line: it wraps only between whole items
    tops = [page.locator(f"#t-{part}-loss").bounding_box()["y"] for part in ("train", "test")]
    assert tops[0] == tops[1]
    shot(page, "train-regression-1280x720")
    page.close()
    assert errors == []
