"""The learning-rate figure shows what Exercise 4 discusses: a linear loss axis from 0, on which
α = 50 visibly goes up and down and α = 200 sits flat at its plateau."""

import numpy as np
import pytest

import glassnet as gn

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def drawn():
    run = gn.course.learning_rate_run()
    return run, run.plot(steps=40)


def test_the_loss_axis_is_linear_from_zero_to_just_above_the_largest_loss(drawn):
    run, ax = drawn
    bottom, top = ax.get_ylim()
    assert ax.get_yscale() == "linear"
    assert bottom == 0.0                       # not the ~1e-34 a log axis reached
    largest = max(float(losses[:41].max()) for losses in run.losses)   # α = 200: ½·0.5² = 0.125
    assert largest <= top <= 1.1 * largest
    assert ax.get_xlim() == (0, 40)


def test_every_run_is_drawn_and_the_oscillation_at_alpha_50_is_in_view(drawn):
    run, ax = drawn
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [f"α = {a:g}" for a in run.alphas]
    swings = np.diff(lines[run.alphas.index(50.0)].get_ydata())
    bottom, top = ax.get_ylim()
    assert np.sum(swings > 0) >= 5             # up again and again: the overshoot
    assert np.abs(swings).max() > 0.25 * (top - bottom)   # by a visible part of the axis


def test_plot_draws_on_the_axes_it_is_given():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    run = gn.course.learning_rate_run(alphas=(0.5, 50.0), steps=10)
    assert run.plot(ax) is ax
    assert len(ax.get_lines()) == 2 and ax.get_xlim() == (0, 10)   # steps beyond the run: all 10
