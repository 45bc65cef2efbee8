"""Mutation testing report: ``bench/results/mutation.md`` from the results in ``mutants/``.

``make mutate`` runs the mutation tests over the modules listed under ``[tool.mutmut]``
in pyproject.toml, then this script. It counts, per module, the mutants generated,
killed, survived and timed out, gives the score killed / (killed + survived), and lists
every surviving mutant with its change and the judgement recorded for it in
``bench/mutation_judgements.toml`` (a missing test, now added; or equivalent, and why).
A survivor without a judgement is listed as such, so the report never hides one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENTS = ROOT / "bench" / "mutation_judgements.toml"
OUTPUT = ROOT / "bench" / "results" / "mutation.md"
# The modules that compute the verdict's numbers and dates, held to the goal.
COMPUTING = ("tracker/trend.py", "tracker/plan.py", "tracker/exams.py", "tracker/log.py")
GOAL = 0.90

# The runner's exit codes, as its own results table reads them.
KILLED_CODES = {1, 3, 37}  # a test failed; pytest's internal error; caught by type check
SURVIVED_CODES = {0}
TIMEOUT_CODES = {36, 24, -24, 152, 255}
NO_TESTS_CODES = {5, 33}  # no selected test reaches the mutated function


@dataclass
class Module:
    path: str
    counts: Counter = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        judged = self.counts["killed"] + self.counts["survived"]
        return self.counts["killed"] / judged if judged else None


def status(code: int | None) -> str:
    if code in KILLED_CODES:
        return "killed"
    if code in SURVIVED_CODES:
        return "survived"
    if code in TIMEOUT_CODES:
        return "timed out"
    if code in NO_TESTS_CODES:
        return "no tests"
    return "other"  # not run, or a crash


def load_module(path: str) -> Module:
    meta = ROOT / "mutants" / f"{path}.meta"
    module = Module(path)
    if not meta.exists():
        return module
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    for name, code in sorted(codes.items(), key=lambda item: _natural(item[0])):
        kind = status(code)
        module.counts["generated"] += 1
        module.counts[kind] += 1
        if kind == "survived":
            module.survivors.append(name)
    return module


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("_")
    return (stem, int(number)) if number.isdigit() else (name, 0)


def change_of(name: str) -> list[str]:
    """The lines a mutant changes, as ``-`` and ``+`` lines of its diff."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name)
    lines = diff.splitlines()[2:]  # past the file names
    return [
        line.rstrip()
        for line in lines
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def table(modules: list[Module]) -> list[str]:
    rows = [
        "| module | generated | killed | survived | timed out | no tests | other | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, counts: Counter, score: float | None) -> str:
        return (
            f"| {label} | {counts['generated']} | {counts['killed']} | "
            f"{counts['survived']} | {counts['timed out']} | {counts['no tests']} | "
            f"{counts['other']} | "
            f"{percent(score)} |"
        )

    for module in modules:
        rows.append(row(f"`{module.path}`", module.counts, module.score))
    for label, chosen in (
        ("**the modules that compute** (trend, plan, exams, log)", COMPUTING),
        ("**all modules above**", [m.path for m in modules]),
    ):
        counts = sum((m.counts for m in modules if m.path in chosen), Counter())
        judged = counts["killed"] + counts["survived"]
        rows.append(row(label, counts, counts["killed"] / judged if judged else None))
    return rows


def survivors_section(modules: list[Module], judgements: dict[str, str]) -> list[str]:
    lines = ["## Every surviving mutant, judged", ""]
    unjudged = 0
    for module in modules:
        if not module.survivors:
            continue
        lines += [f"### `{module.path}` ({len(module.survivors)})", ""]
        for name in module.survivors:
            judgement = judgements.get(name)
            if judgement is None:
                unjudged += 1
                judgement = "NOT YET JUDGED"
            change = " / ".join(f"`{line}`" for line in change_of(name)) or "(no diff)"
            lines.append(f"- `{name.removeprefix('tracker.')}`: {change}  \n  {judgement}")
        lines.append("")
    if unjudged:
        lines.insert(2, f"**{unjudged} survivors have no judgement yet.**\n")
    return lines


def found_section(found: dict[str, str]) -> list[str]:
    """What earlier runs' survivors showed missing, and the tests added for it."""
    if not found:
        return []
    found = dict(found)
    first = found.pop("first_run", None)
    lines = ["## What earlier runs found missing (tests now added)", ""]
    lines += [first, ""] if first else []
    lines += [f"- `{path}`: {words}" for path, words in found.items()]
    return [*lines, ""]


def git(*args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def report(paths: list[str], judgements: dict[str, str], found: dict[str, str]) -> str:
    modules = [load_module(path) for path in paths]
    computing = sum((m.counts for m in modules if m.path in COMPUTING), Counter())
    judged = computing["killed"] + computing["survived"]
    score = computing["killed"] / judged if judged else 0.0
    from importlib.metadata import version

    lines = [
        "# Mutation testing",
        "",
        f"Results of `make mutate`, written on {dt.date.today()} with mutmut "
        f"{version('mutmut')}, "
        f"on commit {git('rev-parse', '--short', 'HEAD')} (the last change to "
        f"tracker/: {git('log', '-1', '--format=%h %cs', '--', 'tracker')}).",
        "",
        "Each mutant is one small change to the code (a `>=` made `>`, a number off by "
        "one, a string changed, a call dropped); it is *killed* when a test fails, and "
        "*survives* when every test still passes. Score = killed / (killed + survived). "
        "The tests run are those of `make test` but the page and browser tests, "
        "three slow stress tests and one that uses the real /dev/null (pyproject.toml, "
        "`[tool.mutmut]`), so the score is a floor. *No tests*: no selected test "
        "reaches the function (they are not in the score); *other*: not run, or the "
        "run crashed.",
        "",
        *table(modules),
        "",
        f"Goal for the modules that compute: at least {GOAL:.0%}. "
        f"Result: {percent(score)} ({'met' if score >= GOAL else 'NOT met'}).",
        "",
        *found_section(found),
        *survivors_section(modules, judgements),
    ]
    return "\n".join(lines).rstrip() + "\n"


def mutated_paths() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["only_mutate"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    judgements = tomllib.loads(JUDGEMENTS.read_text()) if JUDGEMENTS.exists() else {}
    os.chdir(ROOT)  # the runner finds its results under ./mutants
    text = report(
        mutated_paths(),
        dict(judgements.get("judgements", {})),
        dict(judgements.get("found", {})),
    )
    args.output.write_text(text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
