"""SVG diagrams: valid XML, the engine's numbers in the right places, summaries, a real render."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import LECTURE_X, LECTURE_Y, make_lecture_net, require_module, require_tool

import glassnet as gn
from glassnet.explain import step
from glassnet.explain.notation import fmt

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = "/usr/bin/chromium"  # Debian's, never one that Playwright downloads
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)   # raises on invalid XML
    assert root.tag == f"{SVG}svg"
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def trace():
    return step(make_lecture_net(), LECTURE_X, LECTURE_Y, lr=0.5)


def test_forward_view_shows_activations_and_weights(trace):
    labels = texts(trace.to_svg("forward"))
    hidden, out = trace.layers
    for value in [*hidden.a[0], out.a[0, 0], *LECTURE_X[0]]:      # 0.593, 0.597, 0.751, 0.05, 0.10
        assert fmt(value, 3) in labels
    for value in [*hidden.W.old.ravel(), *out.W.old.ravel()]:     # 0.15, 0.25, 0.20, 0.30, 0.40, 0.45
        assert fmt(value, 3) in labels
    assert f"z = {fmt(hidden.z[0, 0], 3)}" in labels                # z = 0.378 (0.3775 rounded)


def test_backward_view_shows_deltas_and_weight_gradients(trace):
    labels = texts(trace.to_svg("backward", digits=4))
    hidden, out = trace.layers
    assert fmt(out.delta[0, 0], 4) in labels                          # δ_out = 0.1385
    assert [fmt(g, 4) for g in out.W.grad.ravel()] == ["0.08217", "0.08267"]
    for g in [*out.W.grad.ravel(), *hidden.W.grad.ravel()]:          # ∂L/∂w on every edge
        assert fmt(g, 4) in labels
    assert f"∂L/∂a = {fmt(hidden.da[0, 1], 4)}" in labels


def test_update_view_shows_old_and_new(trace):
    labels = texts(trace.to_svg("update"))
    # w_11^[2]: 0.40 − 0.5·0.08217 = 0.35892 → "0.40 → 0.359"
    assert "0.40 → 0.359" in labels
    assert "b: 0.60 → 0.531" in labels
    # w_11^[1]: 0.15 − 0.5·0.00066840 = 0.1496658; at 3 digits both ends read 0.15, so the
    # label takes digits until the change shows.
    assert "0.15 → 0.1497" in labels and "0.15 → 0.15" not in labels


def test_logistic_regression_draws_one_neuron():
    net = gn.Network([gn.Dense(3, 1, "sigmoid", seed=0)], loss="bce")
    svg = step(net, [1.0, 2.0, -1.0], 1, lr=0.1).to_svg("backward")
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}circle")) == 4 and len(root.findall(f"{SVG}line")) == 3
    assert "ŷ" in "".join(texts(svg))


def test_large_networks_are_summarised():
    layers = [gn.Dense(30, 25, "relu")] + [gn.Dense(25, 25, "relu") for _ in range(7)]
    net = gn.Network(layers + [gn.Dense(25, 3, "softmax")], loss="cross_entropy", seed=0)
    trace = step(net, np.random.default_rng(0).normal(size=(2, 30)), [0, 2], lr=0.1)
    svg = trace.to_svg("forward")
    labels = texts(svg)
    assert "⋮ +21 more" in labels and "⋮ +16 more" in labels       # 30 inputs, 25 neurons: 9 drawn
    assert "4 layers not drawn" in labels
    root = ET.fromstring(svg)
    # input, layers 1–3, layer 8 and the output: 9 + 9·4 + 3 circles
    assert len(root.findall(f"{SVG}circle")) == 9 + 9 * 4 + 3
    assert len(svg) < 200_000


def test_network_svg_shows_its_weights_and_biases():
    svg = make_lecture_net()._repr_svg_()
    assert {"0.15", "0.40", "0.60"} <= set(texts(svg))


@pytest.mark.slow
@pytest.mark.browser
def test_svg_renders_to_png_in_chromium(trace, tmp_path):
    require_tool(CHROMIUM)
    sync_api = require_module("playwright.sync_api")
    image = require_module("matplotlib.image")
    views = {view: trace.to_svg(view) for view in ("forward", "backward", "update")}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        for view, svg in views.items():
            page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
            page.locator("svg").screenshot(path=str(tmp_path / f"{view}.png"))
        browser.close()
    for view, svg in views.items():
        pixels = image.imread(tmp_path / f"{view}.png")
        root = ET.fromstring(svg)
        assert pixels.shape[:2] == (int(root.get("height")), int(root.get("width")))
        rgb = pixels[..., :3]
        dark = (rgb.mean(axis=2) < 0.5).mean()      # text and outlines
        blue = ((rgb[..., 2] > 0.5) & (rgb[..., 0] < 0.4)).mean()  # positive edges
        assert 0.005 < dark < 0.2 and blue > 0.001, view
