"""Train mode's extras in headless Chromium: inspect a neuron, compare two set-ups, copy as code.

At the three window sizes of a classroom (1024×768, 1280×720, 1920×1080): every control is
reached by its label, the inspector's derivation fits its panel, compare shows both boundaries
and the loss curves on one screen, and the copied glassnet script, run in a subprocess, prints
the training loss the page shows. Screenshots go to ``tests/artifacts/playground/``.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_module

require_module("playwright.sync_api")
require_module("uvicorn")
from playwright.sync_api import expect  # noqa: E402
from test_playground_browser import browser, shot, url  # noqa: E402,F401  (shared fixtures)
from test_playground_train_features import CUT_OPTIONS  # noqa: E402

import glassnet  # noqa: E402

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
SETUP = "dataset=spiral&n_samples=150&hidden=4%2C%203&seed=2&batch_size=16"
# Regression on TF Playground's bumps, with x1² among the inputs and an L2 penalty
REGRESSION = ("problem=regression&dataset=gaussians_regression&n_samples=100&noise=0.1"
              "&features=x1,x2,x1sq&penalty=l2&penalty_rate=0.003&hidden=4&batch_size=10&seed=3")


@pytest.fixture()
def open_page(browser, url):  # noqa: F811
    """``open_page(width, height)``: Train mode at that window size; JavaScript errors fail."""
    pages, errors = [], []

    def make(width, height, setup=SETUP):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{url}#train?{setup}")
        page.wait_for_selector("body[data-train-ready]")
        expect(page.locator("#t-steps")).to_have_text("0", timeout=20_000)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def steps(page, count):
    start = int(page.locator("#t-steps").text_content())
    for k in range(1, count + 1):
        page.get_by_role("button", name="Step", exact=True).click()
        expect(page.locator("#t-steps")).to_have_text(str(start + k))


def overflowing(page, selector):
    """The elements under ``selector`` wider than their parent's content box."""
    return page.eval_on_selector_all(selector, """nodes => nodes
        .filter(n => n.scrollWidth > n.parentElement.clientWidth + 1)
        .map(n => n.textContent.slice(0, 60))""")


@pytest.mark.parametrize("width, height", SIZES)
def test_inspect_then_compare_at_each_window_size(open_page, width, height):
    page = open_page(width, height)
    inspect_a_neuron(page, width, height)
    page.get_by_role("button", name="Close Inspect a neuron").click()
    compare_two_setups(page, width, height)


def inspect_a_neuron(page, width, height):
    steps(page, 3)
    page.locator('.net-node[data-layer="1"][data-neuron="2"]').click()
    panel = page.get_by_role("dialog", name="Inspect a neuron")
    expect(panel).to_be_visible()
    expect(page.get_by_label("neuron", exact=True)).to_have_value("1,2")
    expect(page.locator("#x-inspect-point-text")).to_contain_text("training point 0")
    a = page.locator("#x-inspect-a").text_content()
    # the table and the derivation show the same number: the forward line ends ≈ a
    forward = page.locator("#x-inspect-lines section.forward").text_content()
    assert forward.replace("−", "-").endswith(f"≈{a}")  # MathML writes a true minus sign
    # a click on the plane picks the nearest point, and the numbers follow it
    box = page.locator("#t-plane").bounding_box()
    page.mouse.click(box["x"] + 0.8 * box["width"], box["y"] + 0.2 * box["height"])
    expect(page.locator("#x-inspect-point-text")).not_to_contain_text("training point 0:")
    page.get_by_label("neuron", exact=True).select_option("3,1")  # the output ŷ1
    expect(page.locator("#x-inspect-point-text")).to_contain_text("ŷ")
    page.get_by_label("point from").select_option("test")
    page.get_by_label("point number").fill("5")
    page.get_by_label("point number").press("Enter")
    expect(page.locator("#x-inspect-point-text")).to_contain_text("test point 5")
    assert overflowing(page, "#x-inspect-lines math, #x-inspect-values") == []
    panel_box = panel.bounding_box()
    assert panel_box["x"] >= 0 and panel_box["x"] + panel_box["width"] <= width
    shot(page, f"extras-inspect-{width}x{height}")
    # training on leaves these numbers behind: the panel says so, and catches up on request
    # (the panel may dock over the controls: here Train's Step is pressed from the keyboard)
    page.get_by_role("button", name="Step", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#t-steps")).to_have_text("4")
    expect(page.locator("#x-inspect-stale")).to_be_visible()
    page.get_by_role("button", name="Show the current step").click()
    expect(page.locator("#x-inspect-stale")).to_be_hidden()
    # the panel's own step button trains one more step and shows its numbers at once
    before = page.locator("#x-inspect-a").text_content()
    page.get_by_role("button", name="Train one step, then show it").click()
    expect(page.locator("#t-steps")).to_have_text("5")
    expect(page.locator("#x-inspect-a")).not_to_have_text(before)
    expect(page.locator("#x-inspect-stale")).to_be_hidden()


def compare_two_setups(page, width, height):
    page.get_by_role("button", name="Compare two set-ups").click()
    dialog = page.get_by_role("dialog", name="Compare two set-ups")
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="α 0.1 against 0.5").click()
    expect(page.get_by_label("set-up A: learning rate")).to_have_value("0.1")
    expect(page.get_by_label("set-up B: learning rate")).to_have_value("0.5")
    expect(page.get_by_label("set-up B: optimizer")).to_have_value("sgd")
    expect(page.locator("#x-cmp-a-train-loss")).not_to_be_empty()
    for k in range(1, 4):
        page.get_by_role("button", name="Step both").click()
        expect(page.locator("#x-cmp-a-metrics")).to_contain_text(f"step {k}")
        expect(page.locator("#x-cmp-b-metrics")).to_contain_text(f"step {k}")
    # same data and seed, same starting weights: only α differs, so the losses part ways
    a = page.locator("#x-cmp-a-train-loss").text_content()
    b = page.locator("#x-cmp-b-train-loss").text_content()
    assert a != b
    assert page.locator("#x-cmp-curves polyline").count() == 4
    # both boundaries and the curves on one screen, with nothing cut off
    box = dialog.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
    assert page.eval_on_selector("#x-compare", "d => d.scrollHeight <= d.clientHeight + 1"), \
        "the dialog scrolls: not everything is on one screen"
    for selector in ("#x-cmp-a-plane", "#x-cmp-b-plane", "#x-cmp-curves"):
        part = page.locator(selector).bounding_box()
        assert part["y"] >= box["y"] and part["y"] + part["height"] <= box["y"] + box["height"]
        assert part["x"] >= 0 and part["x"] + part["width"] <= width, selector
    assert overflowing(page, "#x-compare .x-cmp-side, #x-compare fieldset") == []
    shot(page, f"extras-compare-{width}x{height}")
    # Play both runs the two in lock-step until paused
    page.get_by_role("button", name="▶ Play both").click()
    expect(page.locator("#x-cmp-a-metrics")).not_to_contain_text("step 3", timeout=15_000)
    page.get_by_role("button", name="❚❚ Pause").click()
    expect(page.get_by_role("button", name="▶ Play both")).to_be_visible()
    page.wait_for_timeout(300)  # the frame in flight lands
    step_a = re.search(r"step (\d+)", page.locator("#x-cmp-a-metrics").text_content()).group(1)
    expect(page.locator("#x-cmp-b-metrics")).to_contain_text(f"step {step_a}")
    page.get_by_role("button", name="sigmoid against ReLU").click()
    expect(page.get_by_label("set-up A: activation")).to_have_value("sigmoid")
    expect(page.get_by_label("set-up B: activation")).to_have_value("relu")
    assert page.evaluate(CUT_OPTIONS) == []  # "SGD + momentum", "L2": readable and whole


@pytest.mark.parametrize("setup, click", [(SETUP, False), (REGRESSION, False), (SETUP, True)],
                         ids=["spiral", "regression-l2-x1sq", "spiral-point-after-the-last-step"])
def test_copy_as_code_reproduces_the_loss_the_page_shows(open_page, tmp_path, setup, click):
    page = open_page(1280, 720, setup)
    steps(page, 11)  # more than one epoch of 120 (80) training points in batches of 16 (10)
    if click:  # a point clicked after the last step changed no update: still the same run
        box = page.locator("#t-plane").bounding_box()
        with page.expect_response(re.compile(r"/points$")):
            page.mouse.click(box["x"] + 0.3 * box["width"], box["y"] + 0.7 * box["height"])
        page.wait_for_timeout(100)  # the answer is drawn
    shown = page.locator("#t-train-loss").text_content()
    page.get_by_role("button", name="Copy as code").click()
    expect(page.get_by_role("dialog", name="Copy as code")).to_be_visible()
    expect(page.locator("#x-code-note")).to_contain_text("11 steps: the same data")  # exact
    script = page.locator("#x-code-text").text_content()
    assert script.startswith('"""The glassnet playground') and "import torch" not in script
    shot(page, f"extras-code-1280x720-{setup[:7]}")
    path = tmp_path / "copied.py"
    path.write_text(script, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(glassnet.__file__).parents[1]),
           "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    printed = float(re.fullmatch(r"step 11: training loss (\S+)\n", done.stdout).group(1))
    decimals = len(shown.split(".")[1])
    assert f"{printed:.{decimals}f}" == shown  # the page's digits, every one of them
    page.get_by_role("tab", name="PyTorch").click()
    expect(page.locator("#x-code-text")).to_contain_text("torch.optim.Adam(")
    expect(page.get_by_role("button", name="Copy to clipboard")).to_be_visible()


# The reviewer's case: a regression with x1·x2, whose derivation lines are long sums
PRODUCT = ("problem=regression&dataset=plane&n_samples=100&features=x1,x2,x1x2,x1sq,x2sq"
           "&hidden=5&batch_size=10&seed=3")


@pytest.mark.parametrize("width, height", [(1024, 768), (1920, 1080)])
def test_inspect_wraps_long_lines_between_pieces_at_readable_size(open_page, width, height):
    page = open_page(width, height, PRODUCT)
    steps(page, 2)
    page.locator('.net-node[data-layer="1"][data-neuron="1"]').click()
    panel = page.get_by_role("dialog", name="Inspect a neuron")
    expect(panel).to_be_visible()
    expect(page.locator("#x-inspect-lines .eq").first).to_be_visible()
    lines = page.locator("#x-inspect-lines .eq, #x-inspect-lines .piece, #x-inspect-values")
    wide = lines.evaluate_all("""nodes => nodes.filter(n => n.scrollWidth > n.clientWidth + 1
        || n.getBoundingClientRect().right > n.closest('dialog').getBoundingClientRect().right)
        .map(n => `${n.className} ${n.scrollWidth} > ${n.clientWidth}`)""")
    assert wide == []
    sizes = page.locator("#x-inspect-lines .piece").evaluate_all(
        "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))")
    assert min(sizes) >= 13, sizes                   # wrapped, not shrunk
    # the forward line of a neuron with five inputs wraps between the "+" terms of its sum
    forward = page.locator("#x-inspect-lines section.forward .eq").first
    assert forward.locator(".piece").count() >= 7
    if width >= 1900:
        assert panel.bounding_box()["width"] >= 700  # a wide screen gives it room
    shot(page, f"extras-inspect-product-{width}x{height}")
