"""Evaluator cost against a hand-written check, side by side in one run.

For submissions of 10 to 100,000 material lines (parsed once), time:
  * `hand`     — a plain Python function making the same comparisons as hnn-gww@2026.1, no explanations;
  * `evaluate` — our evaluator: one outcome record per rule with value, threshold, derivation terms;
  * `explain`  — evaluate plus the Dutch explanation and gap text of every outcome.
Each is timed in interleaved rounds and the best round is kept (least disturbed by a noisy machine).
Writes bench/results/evaluate.json and prints a Markdown table of ratios and of the cost of each
extra material line (time above the 10-line run divided by the extra lines): flat means linear.
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cgc_rules.evaluator import compile_ruleset, evaluate
from cgc_rules.explain import explanation, gap
from cgc_rules.registry import Registry
from cgc_rules.submission import Origin, Submission

SIZES = (10, 100, 1_000, 10_000, 100_000)
ORIGINS = [o.value for o in Origin]


def submission(lines: int) -> Submission:
    rnd = random.Random(lines)
    return Submission.model_validate(
        {
            "project": {
                "id": "bench",
                "name": "Bench",
                "municipality": "Arnhem",
                "type": "wegen",
                "tender_date": "2026-03-01",
                "area_m2": 10_000,
                "lifetime_years": 40,
            },
            "materials": [
                {"name": f"m{i}", "mass_t": rnd.uniform(0.1, 50), "origin": rnd.choice(ORIGINS)} for i in range(lines)
            ],
            "impact": {"mki_eur_total": 60_000, "co2_kg_per_fu": 12.0},
            "demolition": [{"name": "asfalt", "mass_t": 100, "destination": "recycling"}],
            "declarations": {"seb_compliant": True},
        }
    )


def hand(s: Submission) -> dict[str, bool | float | None]:
    """The same five checks written out by hand, without explanations."""
    total = good = 0.0
    primary = Origin.primair
    for m in s.materials:
        mass = m.mass_t
        total += mass
        if m.origin is not primary:
            good += mass
    p = s.project
    mki = s.impact.mki_eur_total / (p.area_m2 * p.lifetime_years)
    dem_total = dem_good = 0.0
    for d in s.demolition:
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


def best_of(fn, arg, rounds: int, inner: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn(arg)
        best = min(best, (time.perf_counter() - t0) / inner)
    return best


def main() -> None:
    compiled = compile_ruleset(Registry().get("hnn-gww", "2026.1").ruleset)

    def ours(s: Submission):
        return evaluate(s, compiled)

    def ours_explained(s: Submission):
        return [(explanation(o, "nl"), gap(o, "nl")) for o in evaluate(s, compiled)]

    rows = []
    for n in SIZES:
        s = submission(n)
        expected = hand(s)["herkomst-materiaal"]
        got = next(o for o in ours(s) if o.rule.id == "herkomst-materiaal").status == "pass"
        assert expected == got, "hand-written check and evaluator disagree"
        inner = max(1, 20_000 // n)
        t = {"hand": [], "evaluate": [], "explain": []}
        for _ in range(5):  # interleave, so a slow moment hits all three alike
            t["hand"].append(best_of(hand, s, 3, inner))
            t["evaluate"].append(best_of(ours, s, 3, inner))
            t["explain"].append(best_of(ours_explained, s, 3, inner))
        best = {k: min(v) for k, v in t.items()}
        rows.append(
            {
                "lines": n,
                "hand_us": best["hand"] * 1e6,
                "evaluate_us": best["evaluate"] * 1e6,
                "explain_us": best["explain"] * 1e6,
                "ratio_evaluate": best["evaluate"] / best["hand"],
                "ratio_explain": best["explain"] / best["hand"],
                "evaluate_ns_per_line": best["evaluate"] / n * 1e9,
                "explain_ns_per_line": best["explain"] / n * 1e9,
            }
        )
    base = rows[0]
    for r in rows[1:]:
        extra = r["lines"] - base["lines"]
        r["marginal_ns_per_line"] = (r["explain_us"] - base["explain_us"]) / extra * 1e3
        r["hand_marginal_ns_per_line"] = (r["hand_us"] - base["hand_us"]) / extra * 1e3
    out = {"python": platform.python_version(), "machine": platform.machine(), "rows": rows}
    dest = ROOT / "bench/results/evaluate.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, indent=2) + "\n")
    print(
        "| material lines | hand-written | evaluate | evaluate + texts | ratio evaluate | ratio + texts "
        "| cost per extra line, ours (hand) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        marginal = (
            f"{r['marginal_ns_per_line']:.0f} ns ({r['hand_marginal_ns_per_line']:.0f} ns)"
            if "marginal_ns_per_line" in r
            else "—"
        )
        print(
            f"| {r['lines']:,} | {r['hand_us']:.1f} µs | {r['evaluate_us']:.1f} µs | {r['explain_us']:.1f} µs | "
            f"{r['ratio_evaluate']:.2f}× | {r['ratio_explain']:.2f}× | {marginal} |"
        )
    print(f"\nwritten to {dest.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
