"""An exercise sheet: the givens, the steps to compute, and the answer key with derivations.

A sheet renders as the student's page (``key=False``) or the answer key (``key=True``) in
plain text, Markdown with ``$…$`` math, LaTeX, and PDF where a TeX engine is installed. It
saves to JSON (numbers and names only, never code) so that it can be checked later.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import notation
from .._files import atomic_write, read_regular_text
from ._format import latex_document, latex_text, latex_to_pdf, num, strip_math
from .steps import Quantity, Step, build_chain, weight_name

__all__ = ["Sheet", "asked_tolerance", "precision_wording"]

_FORMAT = "glassnet.course.sheet/1"


@dataclass
class Sheet:
    """One exercise: what is given, what to compute, and the answers.

    Attributes
    ----------
    kind : str
        One of :data:`glassnet.course.generator.KINDS`.
    shape : tuple of int
        Layer widths of the network, input first.
    seed : int or None
        The seed that made the sheet (``None`` for sheets built from given numbers).
    givens : dict
        name → value of everything the student is given.
    steps : list of Step
        What the student computes, in order.
    key : dict
        name → the correct value of every step (from the engine where possible).
    """

    kind: str
    shape: tuple[int, ...]
    seed: int | None
    givens: dict[str, float]
    steps: list[Step]
    key: dict[str, float]
    quantities: dict[str, Quantity] = field(repr=False)
    title: str = "Exercise"
    notes: tuple[str, ...] = ()
    decimals: int = 4
    decimal_comma: bool = False  # write 0,5933 for 0.5933 (sheets and keys; not the JSON)
    #: name → ((value, note), …): other readings of the exercise a student may answer with,
    #: accepted as correct with the note (a slide that names the wrong layer, say).
    also_accepted: dict[str, tuple[tuple[float, str], ...]] = field(default_factory=dict)
    #: more names the checker reads for an answer, such as the slide's own name for it.
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The answer names, in the order a student computes them."""
        return [s.name for s in self.steps]

    # ---- derivations ---------------------------------------------------------------

    def derivation(self, name: str, values: dict | None = None, latex: bool = False,
                   result: float | None = None) -> str:
        """``label = formula = numbers plugged in = value`` for one step.

        ``values`` (name → number or the student's text) overrides the key's numbers, so the
        checker can show a formula with a student's own numbers plugged in.
        """
        step = next((s for s in self.steps if s.name == name), None)
        if step is None:
            raise ValueError(f"{name!r} is not a step of this sheet; expected one of {self.names}")
        look = {**self.givens, **self.key, **(values or {})}
        q = self.quantities
        symbols = [q[d].latex if latex else q[d].text for d in step.deps]
        bare = step.op in ("sigmoid", "copy")  # one argument: no brackets around a minus
        numbers = [_plug(look[d], bracket=not bare, comma=self.decimal_comma, math=latex)
                    for d in step.deps]
        value = self.key[name] if result is None else result
        parts = [q[name].latex if latex else q[name].text, step.formula(symbols, latex)]
        if step.op != "copy":
            parts.append(step.formula(numbers, latex))
        return " = ".join([*parts, _num(value, self.decimal_comma, latex)])

    # ---- renderings ----------------------------------------------------------------

    def _header(self) -> str:
        widths = "-".join(map(str, self.shape))
        seed = f", seed {self.seed}" if self.seed is not None else ""
        return f"{self.title} ({widths} sigmoid network, squared-error loss{seed})"

    def _precision(self) -> str:
        """How precisely to answer: the checker's rule, said in words."""
        point = "decimal comma" if self.decimal_comma else "decimal point"
        wording = precision_wording(self.decimals)
        if self.decimal_comma:
            wording = wording.replace(str(SMALL), _num(SMALL, comma=True))
        return f"Give each answer to {wording}, with a {point}."

    def _optional(self, step: Step) -> str:
        return " (optional)" if step.optional else ""

    def to_text(self, key: bool = False) -> str:
        lines = [self._header() + (" — answer key" if key else ""), "", "Conventions:"]
        lines += ["  " + c for c in CONVENTIONS["text"]]
        lines += ["", "Given:"]
        lines += ["  " + g for g in _given_lines(self, "text")]
        lines += [f"  note: {strip_math(n)}" for n in self.notes]
        lines += ["", "Compute, in order:" if not key else "Solution:"]
        for k, s in enumerate(self.steps, 1):
            label = self.quantities[s.name].text
            ask = label if label == s.name else f"{label}   [{s.name}]"
            lines.append(f"  {k:>2}. " + (self.derivation(s.name) if key else
                                          f"{ask}{self._optional(s)} = ____________"))
        if not key:
            lines += ["", self._precision()]
        return "\n".join(lines)

    def to_markdown(self, key: bool = False) -> str:
        lines = [f"## {self._header()}" + (" — answer key" if key else ""), "",
                 "**Conventions**", ""]
        lines += [f"- {c}" for c in CONVENTIONS["markdown"]]
        lines += ["", "**Given**", ""]
        lines += [f"- {g}" for g in _given_lines(self, "markdown")]
        lines += [f"- *Note*: {n}" for n in self.notes]
        lines += ["", "**Solution**" if key else "**Compute, in order**", ""]
        for k, s in enumerate(self.steps, 1):
            if key:
                lines.append(f"{k}. ${self.derivation(s.name, latex=True)}$ &nbsp; `{s.name}`"
                             f"{self._optional(s)}")
            else:
                lines.append(f"{k}. ${self.quantities[s.name].latex} =$ ____________ &nbsp; "
                             f"`{s.name}`{self._optional(s)}")
        if not key:
            lines += ["", f"{self._precision()} The names in `code` are what "
                          "`gn.course.check` reads."]
        return "\n".join(lines) + "\n"

    def to_latex(self, key: bool = False) -> str:
        """A complete LaTeX document (ASCII only, compiles with pdflatex)."""
        body = [r"\paragraph{Conventions}", r"\begin{itemize}"]
        body += [rf"\item {c}" for c in CONVENTIONS["latex"]]
        body += [r"\end{itemize}", r"\paragraph{Given}", r"\begin{itemize}"]
        body += [rf"\item {g}" for g in _given_lines(self, "latex")]
        body += [rf"\item \emph{{Note:}} {latex_text(n)}" for n in self.notes]
        body += [r"\end{itemize}", r"\paragraph{Solution}" if key else r"\paragraph{Compute}",
                 r"\begin{enumerate}"]
        for s in self.steps:
            tag = latex_text(s.name)
            optional = r" \emph{(optional)}" if s.optional else ""
            if key:
                body.append(rf"\item $\displaystyle {self.derivation(s.name, latex=True)}$ "
                            rf"\hfill\texttt{{{tag}}}{optional}")
            else:  # a line to write the answer on, and room for the working above it
                body.append(rf"\item ${self.quantities[s.name].latex} = $ "
                            rf"\underline{{\hspace{{5cm}}}}{optional} \hfill\texttt{{{tag}}}"
                            r"\vspace{1.2em}")
        body.append(r"\end{enumerate}")
        if not key:
            body.append(latex_text(self._precision()))
        title = self._header().replace("—", "--") + (" -- answer key" if key else "")
        return latex_document(title, "\n".join(body))

    def answer_template(self, path=None) -> str:
        """A CSV with one ``name,value`` row per answer, values blank, for a student to fill
        in and hand to ``gn.course.check``; written (atomically) to ``path`` if given."""
        text = "name,value\n" + "".join(f"{n},\n" for n in self.names)
        if path is not None:
            atomic_write(path, text, parents=True)
        return text

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_pdf(self, path, key: bool = False) -> Path:
        """Compile :meth:`to_latex` to ``path``; raises RuntimeError without a TeX engine."""
        return latex_to_pdf(self.to_latex(key), path)

    # ---- saving --------------------------------------------------------------------

    def to_dict(self) -> dict:
        return {"format": _FORMAT, "kind": self.kind, "shape": list(self.shape),
                "seed": self.seed, "title": self.title, "notes": list(self.notes),
                "decimals": self.decimals, "decimal_comma": self.decimal_comma,
                "givens": self.givens, "steps": self.names,
                "key": self.key, "optional": [s.name for s in self.steps if s.optional],
                "also_accepted": {n: [list(a) for a in alts]
                                  for n, alts in self.also_accepted.items()},
                "aliases": self.aliases}

    def save(self, path) -> Path:
        """Write the sheet as JSON (atomically)."""
        return atomic_write(path, json.dumps(self.to_dict(), indent=1, ensure_ascii=False),
                            parents=True)

    @classmethod
    def from_dict(cls, data: dict) -> Sheet:
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"not a glassnet exercise sheet: expected format {_FORMAT!r}")
        missing = [k for k in ("kind", "shape", "givens", "steps", "key") if k not in data]
        if missing:
            raise ValueError(f"exercise sheet is missing the fields {missing}")
        shape = tuple(int(n) for n in data["shape"])
        quantities, chain = build_chain(shape)
        by_name = {s.name: s for s in chain}
        unknown = [n for n in data["steps"] if n not in by_name]
        if unknown:
            raise ValueError(f"sheet lists steps {unknown} that a {shape} network does not have")
        steps = [by_name[n] for n in data["steps"]]
        if "optional" in data:  # which lines the exercise requires, as saved
            steps = [replace(s, optional=s.name in set(data["optional"])) for s in steps]
        givens = {k: float(v) for k, v in data["givens"].items()}
        return cls(kind=data["kind"], shape=shape, seed=data.get("seed"), givens=givens,
                   steps=steps, key={k: float(v) for k, v in data["key"].items()},
                   quantities={n: quantities[n] for n in [*givens, *data["steps"]]},
                   title=data.get("title", "Exercise"), notes=tuple(data.get("notes", ())),
                   decimals=int(data.get("decimals", 4)),
                   decimal_comma=bool(data.get("decimal_comma", False)),
                   also_accepted={n: tuple((float(v), str(note)) for v, note in alts)
                                  for n, alts in data.get("also_accepted", {}).items()},
                   aliases={str(k): str(v) for k, v in data.get("aliases", {}).items()})

    @classmethod
    def load(cls, path) -> Sheet:
        """Read a sheet written by :meth:`save` (plain JSON; nothing is executed)."""
        path = Path(path)
        text = read_regular_text(path, "a .json sheet file written by Sheet.save", missing=(
            f"sheet file {str(path)!r} does not exist; expected a .json file written by "
            "Sheet.save"))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"sheet file {path.name!r} is not valid JSON ({e.msg}, line "
                             f"{e.lineno})") from None
        return cls.from_dict(data)


SMALL = 0.01  # below this, decimals alone say too little: significant figures are asked too


def significant_figures(decimals: int) -> int:
    """Significant figures asked of a value below :data:`SMALL`: one fewer than the decimals,
    so that 4 decimals and 3 figures ask the same of a value of 0.01."""
    return max(decimals - 1, 1)


def asked_tolerance(decimals: int, reference: float) -> float:
    """Half a unit of the last digit the sheet asks for: ``decimals`` decimal places, or four
    significant digits where that is coarser (a loss of 12.3456 may be written 12.35), or
    ``decimals − 1`` significant figures below 0.01 (0.000209 is not 0.0002)."""
    if not reference:
        return 0.5 * 10.0 ** -decimals
    exponent = math.floor(math.log10(abs(reference)))
    if abs(reference) < SMALL:
        return min(0.5 * 10.0 ** -decimals,
                   0.5 * 10.0 ** (exponent - significant_figures(decimals) + 1))
    return max(0.5 * 10.0 ** -decimals, 0.5 * 10.0 ** (exponent - 3))


def precision_wording(decimals: int) -> str:
    """What the student page asks, in words."""
    return (f"at least {decimals} decimal places (a value below {SMALL} to at least "
            f"{significant_figures(decimals)} significant figures)")


CONVENTIONS = {
    "text": ["loss L = ½(y − ŷ)²", "sigmoid σ(z) = 1/(1 + e^−z), a = σ(z)",
             "z = x·W + b, where W[j, i] is the weight from input j to neuron i",
             "steps marked (optional) may be skipped without losing credit"],
    "markdown": [r"loss $\mathcal{L} = \frac{1}{2}(y - \hat{y})^2$",
                 r"sigmoid $\sigma(z) = \frac{1}{1 + e^{-z}}$, $a = \sigma(z)$",
                 r"$z = x W + b$, where $W[j, i] = w_{ji}$ is the weight from input $j$ to "
                 r"neuron $i$",
                 "steps marked *(optional)* may be skipped without losing credit"],
    "latex": [r"loss $\mathcal{L} = \frac{1}{2}(y - \hat{y})^2$",
              r"sigmoid $\sigma(z) = \frac{1}{1 + e^{-z}}$, $a = \sigma(z)$",
              r"$z = x W + b$, where $W[j, i] = w_{ji}$ is the weight from input $j$ to "
              r"neuron $i$",
              r"steps marked \emph{(optional)} may be skipped without losing credit"],
}


def _num(value: float, comma: bool = False, math: bool = False) -> str:
    """:func:`num`, with a decimal comma if asked (``{,}`` in maths, so TeX adds no space)."""
    text = num(value)
    return text.replace(".", "{,}" if math else ",") if comma else text


def _plug(value, bracket: bool, comma: bool = False, math: bool = False) -> str:
    text = value if isinstance(value, str) else _num(float(value), comma, math)
    return f"({text})" if bracket and text.lstrip().startswith(("-", "−")) else text


def _given_lines(sheet: Sheet, style: str) -> list[str]:
    """Group W and b of a layer into a matrix and a vector; list the rest one by one."""
    g, q, comma = sheet.givens, sheet.quantities, sheet.decimal_comma
    used: set[str] = set()
    lines = []
    for l in range(1, len(sheet.shape)):
        rows = [[weight_name(j, i, l, sheet.shape) for i in range(1, sheet.shape[l] + 1)]
                for j in range(1, sheet.shape[l - 1] + 1)]
        if all(n in g for row in rows for n in row):
            lines.append(_matrix(f"W[{l}]", f"W^{{[{l}]}}", [[g[n] for n in row] for row in rows],
                                 style, note=True, comma=comma))
            used.update(n for row in rows for n in row)
        bias = [notation.bias(l, i) for i in range(1, sheet.shape[l] + 1)]
        if all(n in g for n in bias):
            lines.append(_matrix(f"b[{l}]", f"b^{{[{l}]}}", [[g[n] for n in bias]], style,
                                 comma=comma))
            used.update(bias)
    rest = [n for n in g if n not in used]
    between = "; " if comma else ", "  # a comma between numbers would read as a decimal
    if rest:
        if style == "text":
            lines.insert(0, between.join(f"{q[n].text} = {_num(g[n], comma)}" for n in rest))
        else:
            lines.insert(0, between.join(f"${q[n].latex} = {_num(g[n], comma, True)}$"
                                         for n in rest))
    return lines


def _matrix(text_name, tex_name, rows, style, note=False, comma=False) -> str:
    if style == "text":
        sep = "; " if comma else ", "
        body = ("[" + sep.join("[" + sep.join(_num(v, comma) for v in r) + "]" for r in rows)
                + "]" if note else "[" + sep.join(_num(v, comma) for v in rows[0]) + "]")
        return f"{text_name} = {body}" + ("   (row j = input j, column i = neuron i)" if note else "")
    body = r" \\ ".join(" & ".join(_num(v, comma, True) for v in r) for r in rows)
    math = rf"${tex_name} = \begin{{bmatrix}} {body} \end{{bmatrix}}$"
    return math + (r" (row $j$ = input $j$, column $i$ = neuron $i$: $w_{ji}$)" if note else "")
