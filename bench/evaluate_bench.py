"""Evaluator cost against hand-written checks, side by side in one run.

Two series of submissions from 10 to 100,000 material lines: `plain` (one origin per line) and `mixed`
(20 % of the lines with a composition by mass). For each size, time
  * `hand`     — a plain Python function making the same comparisons as hnn-gww@2026.1 on the validated
                 submission, compositions counted part by part, no explanations;
  * `evaluate` — our evaluator on the loaded submission: one outcome record per rule with value, threshold
                 and derivation terms (the material list was summed once when it was loaded);
  * `sums`     — that one pass over the material list alone (`sum_materials`), part of loading (timed as it
                 runs there, with the cyclic garbage collector paused);
  * `explain`  — evaluate plus the Dutch explanation and gap text of every outcome;
  * `hand_dict` and `load_evaluate` — from plain data (a dict as JSON gives it): the hand-written checks on the
                 dict, against validating the submission and evaluating it.
Each is timed in short interleaved rounds of CPU time (the machine is shared: wall time counts the other jobs)
and the best round is kept.
Writes bench/results/evaluate.json (`--quick`: 10 and 1,000 lines, printed only) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions

from cgc_rules.collector import collector_paused
from cgc_rules.evaluator import compile_ruleset, evaluate
from cgc_rules.explain import explanation, gap
from cgc_rules.registry import Registry
from cgc_rules.submission import Origin, Submission, sum_materials

SIZES = (10, 100, 1_000, 10_000, 100_000)
SERIES = {"plain": 0.0, "mixed": 0.2}  # share of material lines with a composition
ORIGINS = [o.value for o in Origin]
SPLITS = (10, 30, 50, 70)  # recycled percentage of a mixed line, the rest primary


def data(lines: int, mixed: float) -> dict[str, Any]:
    rnd = random.Random(lines)
    materials: list[dict[str, Any]] = []
    for i in range(lines):
        line: dict[str, Any] = {"name": f"m{i}", "mass_t": rnd.uniform(0.1, 50)}
        if rnd.random() < mixed:
            recycled = rnd.choice(SPLITS)
            line["composition"] = {"gerecycled": recycled, "primair": 100 - recycled}
        else:
            line["origin"] = rnd.choice(ORIGINS)
        materials.append(line)
    return {
        "project": {
            "id": "bench",
            "name": "Bench",
            "municipality": "Arnhem",
            "type": "wegen",
            "tender_date": "2026-03-01",
            "area_m2": 10_000,
            "lifetime_years": 40,
        },
        "materials": materials,
        "impact": {"mki_eur_total": 60_000, "co2_kg_per_fu": 12.0},
        "demolition": [{"name": "asfalt", "mass_t": 100, "destination": "recycling"}],
        "declarations": {"seb_compliant": True},
    }


def hand(s: Submission) -> dict[str, bool | float | None]:
    """The same five checks written out by hand on the validated submission, without explanations."""
    total = good = 0.0
    primary = Origin.primair
    for m in s.materials or ():
        mass = m.mass_t
        composition = m.composition
        if composition is None:
            total += mass
            if m.origin is not primary:
                good += mass
            continue
        for origin, pct in composition.items():
            part = mass * pct / 100
            total += part
            if origin is not primary:
                good += part
    p = s.project
    assert s.impact.mki_eur_total is not None
    assert p.area_m2 is not None
    assert p.lifetime_years is not None
    mki = s.impact.mki_eur_total / (p.area_m2 * p.lifetime_years)
    dem_total = dem_good = 0.0
    for d in s.demolition or ():
        dem_total += d.mass_t
        if d.destination.value in ("hergebruik", "recycling"):
            dem_good += d.mass_t
    return {
        "herkomst-materiaal": round(good / total * 100, 9) >= 62,
        "mki": round(mki, 9) <= 0.17,
        "restmateriaal": dem_good / dem_total * 100,
        "co2": s.impact.co2_kg_per_fu,
        "seb": s.declarations.seb_compliant is True,
    }


def hand_dict(d: dict[str, Any]) -> dict[str, bool | float | None]:
    """The same five checks on plain data (a dict as JSON gives it), trusting it as it is."""
    total = good = 0.0
    for m in d["materials"]:
        mass = m["mass_t"]
        composition = m.get("composition")
        if composition is None:
            total += mass
            if m["origin"] != "primair":
                good += mass
            continue
        for origin, pct in composition.items():
            part = mass * pct / 100
            total += part
            if origin != "primair":
                good += part
    p, impact = d["project"], d["impact"]
    date.fromisoformat(p["tender_date"])  # the one date a ruleset version is chosen by
    mki = impact["mki_eur_total"] / (p["area_m2"] * p["lifetime_years"])
    dem_total = dem_good = 0.0
    for line in d["demolition"]:
        dem_total += line["mass_t"]
        if line["destination"] in ("hergebruik", "recycling"):
            dem_good += line["mass_t"]
    return {
        "herkomst-materiaal": round(good / total * 100, 9) >= 62,
        "mki": round(mki, 9) <= 0.17,
        "restmateriaal": dem_good / dem_total * 100,
        "co2": impact["co2_kg_per_fu"],
        "seb": d["declarations"]["seb_compliant"] is True,
    }


ROUND_S = 0.002
"""Length of one timed round: short rounds, each timed function alike, so that the best of many rounds falls
between the other jobs of a busy machine for the cheap and the costly function alike."""


def calls_per_round(fn: Callable[[Any], object], arg: Any) -> int:
    t0 = time.process_time()
    fn(arg)
    return max(1, int(ROUND_S / max(time.process_time() - t0, 1e-7)))


def best_of(fn: Callable[[Any], object], arg: Any, rounds: int, inner: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for _ in range(inner):
            fn(arg)
        best = min(best, (time.process_time() - t0) / inner)
    return best


def measure(series: str, n: int, compiled: Any, rounds: int) -> dict[str, Any]:
    d = data(n, SERIES[series])
    s = Submission.model_validate(d)

    def ours(sub: Submission) -> object:
        return evaluate(sub, compiled)

    def ours_explained(sub: Submission) -> object:
        return [(explanation(o, "nl"), gap(o, "nl")) for o in evaluate(sub, compiled)]

    def sums(sub: Submission) -> object:
        with collector_paused():
            return sum_materials(sub.materials or [])

    def load_evaluate(raw: dict[str, Any]) -> object:
        return evaluate(Submission.model_validate(raw), compiled)

    origin = next(o for o in ours(s) if o.rule.id == "herkomst-materiaal")  # type: ignore[attr-defined]
    assert hand(s)["herkomst-materiaal"] == hand_dict(d)["herkomst-materiaal"] == (origin.status == "pass"), (
        "hand-written checks and evaluator disagree"
    )
    functions: list[tuple[str, Callable[[Any], object], Any]] = [
        ("hand", hand, s),
        ("evaluate", ours, s),
        ("sums", sums, s),
        ("explain", ours_explained, s),
        ("hand_dict", hand_dict, d),
        ("load_evaluate", load_evaluate, d),
    ]
    runs = [(name, fn, arg, calls_per_round(fn, arg)) for name, fn, arg in functions]
    t: dict[str, list[float]] = {name: [] for name, *_ in runs}
    for _ in range(rounds):  # interleave, so a slow moment hits all alike
        for name, fn, arg, k in runs:
            t[name].append(best_of(fn, arg, 3, k))
    best = {k: min(v) for k, v in t.items()}
    return {
        "series": series,
        "lines": n,
        "mixed_lines": sum(1 for m in d["materials"] if "composition" in m),
        **{f"{k}_us": v * 1e6 for k, v in best.items()},
        "ratio_evaluate": best["evaluate"] / best["hand"],
        "ratio_evaluate_with_sums": (best["evaluate"] + best["sums"]) / best["hand"],
        "ratio_explain": best["explain"] / best["hand"],
        "texts_over_evaluate": best["explain"] / best["evaluate"],
        "texts_over_evaluate_with_sums": (best["explain"] + best["sums"]) / (best["evaluate"] + best["sums"]),
        "ratio_load_evaluate": best["load_evaluate"] / best["hand_dict"],
        "load_evaluate_ns_per_line": best["load_evaluate"] / n * 1e9,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 and 1,000 lines only; print, do not write results")
    args = parser.parse_args()
    compiled = compile_ruleset(Registry().get("hnn-gww", "2026.1").ruleset)
    sizes = (10, 1_000) if args.quick else SIZES
    head = conditions.start()
    rows = [measure(series, n, compiled, 5 if args.quick else 10) for n in sizes for series in SERIES]
    print(
        "| series | material lines | hand-written | evaluate | evaluate + texts | ratio evaluate "
        "(with load-time sums) | ratio + texts | + texts / evaluate (with sums) | validate + evaluate from plain data "
        "(ratio to hand on the dict) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['series']} | {r['lines']:,} | {r['hand_us']:,.1f} µs | {r['evaluate_us']:,.1f} µs | "
            f"{r['explain_us']:,.1f} µs | {r['ratio_evaluate']:.2f}× ({r['ratio_evaluate_with_sums']:.2f}×) | "
            f"{r['ratio_explain']:.2f}× | {r['texts_over_evaluate']:.2f}× ({r['texts_over_evaluate_with_sums']:.2f}×) | "
            f"{r['load_evaluate_us'] / 1e3:,.2f} ms ({r['ratio_load_evaluate']:.1f}×) |"
        )
    if args.quick:
        return
    out = {
        **conditions.finish(head),
        "rows": rows,
    }
    dest = ROOT / "bench/results/evaluate.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nwritten to {dest.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
