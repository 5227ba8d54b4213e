"""The lecture's Exercises 1–4, solved step by step, with their discussion points answered.

Each exercise is a :class:`~glassnet.course.sheet.Sheet` built from the lecture's own numbers
(answers from the engine, or from the hand chain where the exercise gives loose numbers
rather than a network), plus the discussion, answered from computed values. Exercise 3
gives no inputs: the worked example's x = (0.05, 0.10) is assumed and said so. Exercise 4's
learning-rate question is answered with a run (:mod:`glassnet.course.learning_rate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._format import latex_document, latex_text, num, strip_math
from .errata_rows import EXERCISE1_GIVENS
from .generator import build_sheet
from .learning_rate import LearningRateRun, learning_rate_run
from .sheet import Sheet

__all__ = ["Exercise", "exercise", "exercises"]


@dataclass
class Exercise:
    """One exercise: the lecture's task, the worked solution, the discussion answered."""

    number: int
    title: str
    tasks: list[str]
    sheet: Sheet
    discussion: list[tuple[str, str]]         # (question, answer)
    notes: list[str] = field(default_factory=list)   # assumptions, slips of the exercise
    run: LearningRateRun | None = None

    def to_text(self) -> str:
        out = [f"Exercise {self.number}: {self.title}", ""]
        out += [f"Task {k}. {strip_math(t)}" for k, t in enumerate(self.tasks, 1)]
        out += [f"Note: {strip_math(n)}" for n in self.notes]
        out += ["", self.sheet.to_text(key=True), ""]
        for q, a in self.discussion:
            out += [f"Discussion: {strip_math(q)}", f"  {strip_math(a)}"]
        if self.run is not None:
            out += ["", self.run.to_text()]
        return "\n".join(out)

    def to_markdown(self) -> str:
        out = [f"## Exercise {self.number}: {self.title}", ""]
        out += [f"{k}. {t}" for k, t in enumerate(self.tasks, 1)]
        out += [""] + [f"> **Note.** {n}\n" for n in self.notes]
        out += [self.sheet.to_markdown(key=True).replace("## ", "### ", 1)]
        for q, a in self.discussion:
            out += [f"**Discussion.** {q}", "", a, ""]
        if self.run is not None:
            out += [self.run.to_markdown()]
        return "\n".join(out)

    def to_latex(self) -> str:
        """A complete LaTeX document with the solution and the discussion."""
        sheet = self.sheet.to_latex(key=True)
        body = sheet[sheet.index(r"\paragraph{Given}"):sheet.index(r"\end{document}")]
        extra = [r"\begin{enumerate}"] + [rf"\item {latex_text(t)}" for t in self.tasks]
        extra += [r"\end{enumerate}"] + [rf"\emph{{Note.}} {latex_text(n)}\par" for n in self.notes]
        for q, a in self.discussion:
            extra += [rf"\paragraph{{Discussion.}} {latex_text(q)}", "", latex_text(a)]
        return latex_document(f"Exercise {self.number}: {self.title}",
                              "\n".join(extra) + "\n" + body)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _exercise1() -> Exercise:
    # The slide asks for a1, a2 and ŷ; the z values are worth writing but not required.
    sheet = build_sheet("forward", EXERCISE1_GIVENS, title="Exercise 1: forward pass",
                        required=["a1[1]", "a2[1]", "a1[2]"])
    k = sheet.key
    c1, c2 = k["a1[1]"] * 0.40, k["a2[1]"] * 0.45
    act, weight = k["a2[1]"] / k["a1[1]"] - 1, 0.45 / 0.40 - 1
    answer = (f"$h_2$. Its contribution $a_2^{{[1]}} w_{{21}}^{{[2]}} = {num(k['a2[1]'], 5)} "
              f"\\cdot 0.45 = {num(c2, 5)}$ exceeds $a_1^{{[1]}} w_{{11}}^{{[2]}} = "
              f"{num(k['a1[1]'], 5)} \\cdot 0.40 = {num(c1, 5)}$. Both factors favour $h_2$, "
              f"but unequally: its activation is only {act:.2%} larger, its outgoing weight "
              f"{weight:.1%} larger, so the weight decides. (The slides agree: 0.2400 vs 0.2720.)")
    return Exercise(1, "Forward pass",
                    ["Compute $a_1^{[1]}$ and $a_2^{[1]}$ using the sigmoid.",
                     "Compute the output $\\hat{y}$."], sheet,
                    [("Which hidden neuron, $a_1^{[1]}$ or $a_2^{[1]}$, contributes more to the "
                      "final output? Why?", answer)],
                    ["The slides read $W^{[1]}$ with row $j$ = input $j$ here, as glassnet does: "
                     "$z_1^{[1]} = 0.10 \\cdot 0.12 + 0.20 \\cdot 0.22 + 0.35 = 0.406$."])


def _exercise2() -> Exercise:
    givens = {"a1[2]": 0.80, "y": 0.10, "a1[1]": 0.60, "a2[1]": 0.55}
    sheet = build_sheet("output_gradients", givens, title="Exercise 2: output-layer gradients",
                        steps=["dy_hat", "dsig1[2]", "delta1[2]", "dw11[2]", "dw21[2]"],
                        required=["dy_hat", "dsig1[2]", "dw11[2]", "dw21[2]"])
    k = sheet.key
    answer = (f"Yes, for this sample. Both gradients are $\\delta_{{out}} a_i^{{[1]}}$ with the "
              f"same $\\delta_{{out}} = {num(k['delta1[2]'])}$, and a sigmoid activation is always "
              f"positive, so both are positive ({num(k['dw11[2]'])} and {num(k['dw21[2]'])}) and "
              f"gradient descent lowers both weights, $w_{{11}}^{{[2]}}$ a little more because "
              f"$a_1^{{[1]}} = 0.60 > a_2^{{[1]}} = 0.55$. Lowering them lowers $\\hat{{y}} = 0.80$ "
              f"towards $y = 0.10$. Over a batch, or with activations that can be negative "
              f"(tanh), the directions can differ.")
    return Exercise(2, "Output-layer gradients",
                    ["Compute $\\partial \\mathcal{L}/\\partial \\hat{y}$.",
                     "Compute $\\partial \\hat{y}/\\partial z_1^{[2]}$.",
                     "Compute $\\partial \\mathcal{L}/\\partial w_{11}^{[2]}$ and "
                     "$\\partial \\mathcal{L}/\\partial w_{21}^{[2]}$."], sheet,
                    [("Should we update $w_{11}^{[2]}$ and $w_{21}^{[2]}$ in the same direction? "
                      "Why or why not?", answer)])


def _exercise3() -> Exercise:
    givens = {"delta1[2]": 0.14, "w11[2]": 0.42, "a1[1]": 0.60, "x1": 0.05, "x2": 0.10}
    sheet = build_sheet("hidden_gradients", givens, title="Exercise 3: hidden-layer gradients",
                        steps=["da1[1]", "dsig1[1]", "delta1[1]", "dw11[1]", "dw21[1]"],
                        required=["delta1[1]", "dw11[1]", "dw21[1]"],
                        # The slide's ∂L/∂w11^[2], read literally: δ_out · a1^[1].
                        also_accepted={"dw11[1]": [(
                            givens["delta1[2]"] * givens["a1[1]"],
                            "the slide's literal ∂L/∂w11^[2] = δ_out·a1^[1] (the slide writes "
                            "^[2]); the layer-1 gradient it means is δ1·x1")]},
                        aliases={"dw11[2]": "dw11[1]", "dw21[2]": "dw21[1]",
                                 "dL/dw11[2]": "dw11[1]", "dL/dw21[2]": "dw21[1]"})
    k = sheet.key
    answer = (f"$x_2$. Every weight into neuron 1 shares the same $\\delta_1 = {num(k['delta1[1]'])}$, "
              f"so $\\partial \\mathcal{{L}}/\\partial w_{{j1}}^{{[1]}} = \\delta_1 x_j$ scales with "
              f"the input: {num(k['dw21[1]'])} for $x_2 = 0.10$ against {num(k['dw11[1]'])} for "
              f"$x_1 = 0.05$, twice as much. In general the input with the larger $|x_j|$ moves its "
              f"weight more; an input of 0 leaves its weight untouched. The answer depends on $x$, "
              f"which the exercise does not give.")
    return Exercise(3, "Hidden-layer gradients",
                    ["Compute $\\delta_1 = \\delta_{out} \\cdot w_{11}^{[2]} \\cdot "
                     "a_1^{[1]}(1 - a_1^{[1]})$.",
                     "Compute $\\partial \\mathcal{L}/\\partial w_{11}^{[1]}$ and "
                     "$\\partial \\mathcal{L}/\\partial w_{21}^{[1]}$ (the slide writes $^{[2]}$)."],
                    sheet,
                    [("Which input, $x_1$ or $x_2$, has a larger influence on the gradients of "
                      "$a_1^{[1]}$'s weights? Why?", answer)],
                    ["The slide asks for $\\partial \\mathcal{L}/\\partial w_{11}^{[2]}$ and "
                     "$\\partial \\mathcal{L}/\\partial w_{21}^{[2]}$, but $\\delta_1 x_j$ are the "
                     "gradients of the layer-1 weights $w_{11}^{[1]}, w_{21}^{[1]}$.",
                     "The exercise gives no $x_1, x_2$; the worked example's $x = (0.05, 0.10)$ "
                     "is assumed."])


def _exercise4() -> Exercise:
    givens = {"w11[1]": 0.15, "alpha": 0.1, "dw11[1]": 0.0008}
    sheet = build_sheet("weight_update", givens, title="Exercise 4: weight update",
                        steps=["w11[1]_new"])
    double = build_sheet("weight_update", {**givens, "alpha": 0.2}, steps=["w11[1]_new"])
    tenth = build_sheet("weight_update", {**givens, "alpha": 0.01}, steps=["w11[1]_new"])
    new, d2, d10 = (s.key["w11[1]_new"] for s in (sheet, double, tenth))
    change = (f"The step is $-\\alpha \\cdot 0.0008$: with $\\alpha = 0.1$ the weight moves by "
              f"{num(new - 0.15)} to {num(new)}; doubled ($\\alpha = 0.2$) it moves twice as far, "
              f"to {num(d2)}; ten times smaller ($\\alpha = 0.01$) a tenth as far, to {num(d10)}. "
              f"The direction never changes, only the size of the step.")
    run = learning_rate_run()
    lines = "; ".join(f"$\\alpha = {num(a)}$: {run.verdict(k)}" for k, a in enumerate(run.alphas))
    large = (f"Too small and training crawls; too large and the step jumps over the minimum, "
             f"and the loss rises; far too large and one step pushes the output neuron into "
             f"saturation, where $\\sigma' \\approx 0$ and learning stops. A run of the lecture "
             f"network for {len(run.losses[0]) - 1} steps with target $y = {run.target}$ (the "
             f"lecture's $y = 0.01$ lies in the sigmoid's flat tail, where overshooting hardly "
             f"shows) gives: {lines}.")
    return Exercise(4, "Weight updates",
                    ["Compute the new value of $w_{11}^{[1]}$.",
                     "Discuss: what happens if $\\alpha$ is too large? Too small?"], sheet,
                    [("How would your result change if the learning rate were doubled? What if "
                      "it were ten times smaller?", change),
                     ("What happens if $\\alpha$ is too large? Too small?", large)], run=run)


_EXERCISES = {1: _exercise1, 2: _exercise2, 3: _exercise3, 4: _exercise4}


def exercise(n: int) -> Exercise:
    """Exercise ``n`` (1–4) of the lecture, solved.

    Examples
    --------
    >>> ex = exercise(1)
    >>> round(ex.sheet.key["a1[1]"], 4), round(ex.sheet.key["a2[1]"], 4)
    (0.6001, 0.6044)
    """
    if isinstance(n, bool) or n not in _EXERCISES:
        raise ValueError(f"the lecture has exercises 1 to 4, got {n!r}")
    return _EXERCISES[n]()


def exercises() -> list[Exercise]:
    """All four exercises, in order."""
    return [exercise(n) for n in _EXERCISES]
