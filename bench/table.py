"""The benchmark table of bench/README.md, read from bench/results/*.json so that it stays current.

Two tables: the benches (what each measures, its command, the date and the machine's load when it ran) and
every figure (ours, the reference, the ratio, the target and whether it is met). A bench whose results file
is missing, or lacks a figure, shows `—`; a figure of issue 28 that no bench records yet is listed as
`not measured`. Each results file begins with the conditions of its run (bench/conditions.py): the date,
Python, machine, cores and load averages at the start and end; one that was not recorded shows `—`.

    .venv/bin/python bench/table.py            # print the tables (Markdown)
    .venv/bin/python bench/table.py --write    # replace them in bench/README.md between the markers
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
START, END = "<!-- table:start (bench/table.py --write) -->", "<!-- table:end -->"


@dataclass(frozen=True)
class Figure:
    bench: str
    figure: str
    ours: str
    reference: str = "—"
    ratio: float | None = None
    target: str = "—"
    limit: float | None = None  # the ratio the target allows (met: ratio ≤ limit)
    met: bool | None = None  # when the target is not a ratio

    def verdict(self) -> str:
        if self.met is not None:
            return "yes" if self.met else "**no**"
        if self.ratio is None or self.limit is None:
            return "—"
        return "yes" if self.ratio <= self.limit else "**no**"


@dataclass(frozen=True)
class Bench:
    name: str
    results: str  # file in bench/results
    command: str
    measures: str
    figures: Callable[[dict[str, Any]], Iterator[Figure]]


def _n(value: Any, digits: int = 2, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        text = f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
        if "." in text:  # trailing zeros of the decimals only: 330.0 MB stays 330
            text = text.rstrip("0").rstrip(".")
        return f"{text}{unit}"
    return str(value)


def _cell(text: str) -> str:
    """Text for a Markdown table cell (a `|` would end the cell)."""
    return text.replace("|", "\\|")


def _ratio(a: Any, b: Any) -> float | None:
    return a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def corridor_output(d: dict[str, Any]) -> Iterator[Figure]:
    for r in d.get("rows", []):
        lines = f"{r['lines']:,}"
        yield Figure(
            "corridor_output",
            f"corridor JSON, {lines} lines spread evenly, whole CLI (wall; CPU)",
            f"{_n(r.get('cli_wall_s'), unit=' s')}; {_n(r.get('cli_cpu_s'), unit=' s')} CPU, "
            f"{_n(r.get('cli_rss_mib'), 0, ' MB')}",
            f"in-process load + match + allocate {_n(r.get('floor_wall_s'), unit=' s')}; "
            f"{_n(r.get('floor_cpu_s'), unit=' s')} CPU",
            r.get("ratio_cpu"),
            "≤ 2× (CPU; wall "
            + (f"{r['ratio_wall']:.2f}×" if isinstance(r.get("ratio_wall"), (int, float)) else "—")
            + ")",
            2.0,
        )
        if "pretty_cpu_s" in r:
            yield Figure(
                "corridor_output",
                f"same, `--pretty` (indented), {lines} lines",
                f"{_n(r['pretty_wall_s'], unit=' s')}; {_n(r['pretty_cpu_s'], unit=' s')} CPU",
                "in-process floor (as above)",
                _ratio(r["pretty_cpu_s"], r.get("floor_cpu_s")),
            )


TARGETS_CORRIDOR = {("clustered", 20_000): (5.0, "≤ 5 s all in"), ("clustered", 100_000): (60.0, "answered ≤ 60 s")}


def corridor(d: dict[str, Any]) -> Iterator[Figure]:
    for r in d.get("runs", []):
        what = f"corridor {r['series']}, {r['lines']:,} lines, in-process load + match + allocate"
        limit, target = TARGETS_CORRIDOR.get((r["series"], r["lines"]), (None, "—"))
        if "error" in r:
            yield Figure("corridor", what, f"not done: {' '.join(r['error'])[:80]}", target=target, met=False)
            continue
        mb = r.get("peak_rss_mib")
        met = None
        if limit is not None and isinstance(r.get("total_s"), (int, float)):
            met = r["total_s"] <= limit and (r["lines"] < 100_000 or (mb or 0) <= 2048)
        yield Figure(
            "corridor",
            what,
            f"{_n(r.get('total_s'), unit=' s')}; {_n(r.get('total_cpu_s'), unit=' s')} CPU, {_n(mb, 0, ' MB')}",
            f"numpy join {_n(r.get('numpy_join_s'), 3, ' s')} (ours {_n(r.get('candidate_generation_s'), 3, ' s')}), "
            f"{_n(r.get('candidates'))} candidates",
            _ratio(r.get("candidate_generation_s"), r.get("numpy_join_s")),
            target + (" and 2 GB" if r["lines"] >= 100_000 and limit else ""),
            met=met,
        )
        if r.get("added_line_resolve_s"):
            worst = max(r["added_line_resolve_s"])
            clustered20k = (r["series"], r["lines"]) == ("clustered", 20_000)
            yield Figure(
                "corridor",
                f"one added line, {r['series']} {r['lines']:,}: re-solve (worst of {len(r['added_line_resolve_s'])})",
                _n(worst, unit=" s"),
                target="≤ 2 s" if clustered20k else "—",
                met=(worst <= 2.0) if clustered20k else None,
            )
    for key, label in (("time_slopes", "wall"), ("cpu_slopes", "CPU")):
        for series, slope in (d.get(key) or {}).items():
            yield Figure("corridor", f"corridor {series}: growth slope of {label} time over lines", _n(slope))


def evaluate(d: dict[str, Any]) -> Iterator[Figure]:
    for r in d.get("rows", []):
        what = f"{r['series']}, {r['lines']:,} lines ({r.get('mixed_lines', 0):,} mixed)"
        from_1k = r["lines"] >= 1_000
        with_sums = r.get("evaluate_us", 0) + r.get("sums_us", 0)
        yield Figure(
            "evaluate",
            f"evaluator with load-time sums, {what}",
            f"{_n(with_sums, 1, ' µs')} (evaluate {_n(r.get('evaluate_us'), 1)} + sums {_n(r.get('sums_us'), 1)})",
            f"hand-written {_n(r.get('hand_us'), 1, ' µs')}",
            r.get("ratio_evaluate_with_sums"),
            "≤ 2×" if from_1k else "— (from 1k lines)",
            2.0 if from_1k else None,
        )
        yield Figure(
            "evaluate",
            f"explanation texts, {what}",
            f"{_n(r.get('explain_us'), 1, ' µs')} with texts",
            "evaluate with load-time sums, without texts",
            r.get("texts_over_evaluate_with_sums"),
            "≤ 2×" if from_1k else "— (from 1k lines)",
            2.0 if from_1k else None,
        )
        yield Figure(
            "evaluate",
            f"validation + evaluation from plain data, {what}",
            _n(r.get("load_evaluate_us", 0) / 1000, 2, " ms"),
            f"hand-written on the dict {_n(r.get('hand_dict_us', 0) / 1000, 3, ' ms')}",
            r.get("ratio_load_evaluate"),
        )


def store(d: dict[str, Any]) -> Iterator[Figure]:
    yield Figure(
        "store",
        f"`cgc db import` of {_n(d.get('records'))} records",
        f"{_n(d.get('import_s'), unit=' s')}, {_n(d.get('import_peak_mb'), 0, ' MB')} peak",
        f"`sqlite3.executemany` {_n(d.get('executemany_reference_s'), unit=' s')}",
        d.get("import_vs_executemany"),
        "≤ 1.5×, round trip equal",
        1.5,
    )
    if "round_trip_equal_rows" in d:
        equal = d["round_trip_equal_rows"]
        yield Figure("store", "export → import round trip, equal rows", _n(equal), met=equal)
    yield Figure(
        "store",
        "`cgc monitor`, all years",
        f"{_n(d.get('monitor_all_years_s'), unit=' s')}, {_n(d.get('monitor_all_years_mb'), 0, ' MB')}",
        f"SQL `GROUP BY` {_n(d.get('sql_group_by_reference_s'), unit=' s')}, "
        f"{_n(d.get('sql_group_by_reference_mb'), 0, ' MB')}",
        d.get("monitor_vs_reference"),
        "≤ 1.5× and ≤ 200 MB",
        1.5,
        met=(d["monitor_vs_reference"] <= 1.5 and d.get("monitor_all_years_mb", 0) <= 200)
        if isinstance(d.get("monitor_vs_reference"), (int, float))
        else None,
    )
    if "batch_record_per_s" in d:
        yield Figure(
            "store",
            f"`cgc evaluate DIR --record`, {_n(d.get('batch_files'))} files on all cores",
            f"{_n(d['batch_record_per_s'])} files/s",
            f"the batch without `--record` {_n(d.get('batch_without_record_per_s'))} files/s",
            d.get("batch_record_vs_without"),
        )


def batch(d: dict[str, Any]) -> Iterator[Figure]:
    target = d.get("target_ratio")
    yield Figure(
        "batch",
        f"`cgc evaluate DIR --format jsonl`, {_n(d.get('submissions'))} submissions, {_n(d.get('jobs'))} jobs",
        f"{_n(d.get('cli_s'), unit=' s')}",
        f"one warm process {_n(d.get('warm_process_s'), unit=' s')}",
        d.get("ratio_cli_over_warm"),
        f"≤ {target}×" if target else "—",
        target,
    )


def startup(d: dict[str, Any]) -> Iterator[Figure]:
    target = d.get("target_ratio")
    for label, run in (d.get("runs") or {}).items():
        cmds = run.get("commands", {})
        judged = label != "before"  # the run before the change, kept for comparison
        yield Figure(
            "startup",
            f"`cgc evaluate … --format json` start-up ({label})",
            _n(cmds.get("cgc_evaluate_json", {}).get("median_ms"), 0, " ms"),
            f"`import cgc_rules.evaluator` {_n(cmds.get('import_evaluator', {}).get('median_ms'), 0, ' ms')}",
            run.get("ratio"),
            f"≤ {target}×" if target and judged else "—",
            target if judged else None,
        )


def corridor_memory(d: dict[str, Any]) -> Iterator[Figure]:
    yield Figure(
        "corridor_memory",
        f"web server + worker memory over {_n(d.get('views'))} corridor views",
        f"growth {_n((d.get('growth_first_to_last') or 0) * 100, 1, ' %')}",
        "memory after the first checkpoint",
        target=d.get("target", "—"),
        met=d.get("met"),
    )


def load_test(name: str) -> Callable[[dict[str, Any]], Iterator[Figure]]:
    def figures(d: dict[str, Any]) -> Iterator[Figure]:
        bad = sum(d.get(k, 0) or 0 for k in ("failed", "lost", "duplicated", "results_not_found_on_other_replica"))
        yield Figure(
            name,
            f"{_n(d.get('requests'))} uploads, concurrency {_n(d.get('concurrency'))}",
            f"{_n(d.get('throughput_per_s'), 1)}/s, p50 {_n(d.get('p50_ms'), 0, ' ms')}, "
            f"p95 {_n(d.get('p95_ms'), 0, ' ms')}",
            target="no failed, lost or duplicated record",
            met=bad == 0,
        )

    return figures


def errors(d: dict[str, Any]) -> Iterator[Figure]:
    for fmt, slope in (d.get("error_location_slope") or {}).items():
        yield Figure("errors", f"locating bad lines ({fmt}): growth slope", _n(slope), target="≈ 1 (linear)")
    scale = d.get("scale") or []
    timed = [s for s in scale if isinstance(s.get("evaluate_s"), (int, float))]
    if timed:
        worst = max(timed, key=lambda s: s["evaluate_s"])
        yield Figure(
            "errors",
            f"largest submission, slowest: {worst.get('format')} {_n(worst.get('material_lines'))} lines",
            f"{_n(worst['evaluate_s'], unit=' s')}, {_n(worst.get('peak_x_file'), 1)}× the file in memory",
            target="≤ 10 s and ≤ 10×",
            met=worst["evaluate_s"] <= 10 and (worst.get("peak_x_file") or 0) <= 10,
        )


def fuzz(d: dict[str, Any]) -> Iterator[Figure]:
    loaders = d.get("loaders") or {}
    inputs = sum(v.get("inputs", 0) for v in loaders.values())
    tracebacks = sum(v.get("tracebacks", 0) + v.get("signals", 0) + v.get("hangs", 0) for v in loaders.values())
    yield Figure(
        "fuzz",
        f"mutated inputs through every loader ({len(loaders)} loaders)",
        f"{tracebacks} tracebacks, signals or hangs in {_n(inputs)} inputs",
        target="0",
        met=tracebacks == 0,
    )


def docx(d: dict[str, Any]) -> Iterator[Figure]:
    target = d.get("target_ratio")
    yield Figure(
        "docx",
        f"`cgc generate` DOCX writing: {d.get('what', '—')} (CPU, best of {_n(d.get('rounds'))})",
        _n(d.get("ours_s"), 3, " s"),
        f"python-docx writing the same paragraphs {_n(d.get('reference_s'), 3, ' s')}",
        d.get("ratio"),
        f"≤ {target}×" if target else "—",
        target,
    )


def pack(d: dict[str, Any]) -> Iterator[Figure]:
    one, two = d.get("jobs_1") or {}, d.get("jobs_2") or {}
    ratio = _ratio(two.get("wall_s"), one.get("wall_s"))
    yield Figure(
        "pack",
        f"`cgc pack build`, 2 jobs against 1 (wall; CPU ratio {_n(d.get('cpu_ratio_2_to_1'))}×)",
        f"{_n(two.get('wall_s'), 1, ' s')}; {_n(two.get('cpu_s'), 1, ' s')} CPU",
        f"1 job {_n(one.get('wall_s'), 1, ' s')}; {_n(one.get('cpu_s'), 1, ' s')} CPU",
        ratio,
        "2 jobs faster than 1 (< 1×), or 1 job by default",
        met=ratio < 1.0 if ratio is not None else None,
    )


BENCHES = (
    Bench(
        "corridor_output",
        "corridor_output.json",
        "bench/corridor_output_bench.py [--rounds 3] [20000 100000]",
        "`cgc corridor match --format json` as a user runs it, against load + match + allocate in-process",
        corridor_output,
    ),
    Bench(
        "corridor",
        "corridor.json",
        "bench/corridor_bench.py [fixed|density|clustered LINES …]",
        "corridor load, match, alerts and allocation in-process; candidate join against a numpy join",
        corridor,
    ),
    Bench(
        "evaluate",
        "evaluate.json",
        "bench/evaluate_bench.py [--quick]",
        "evaluator, texts and validation against hand-written checks, plain and mixed material lists",
        evaluate,
    ),
    Bench(
        "store",
        "store.json",
        "bench/store_bench.py [--count N]",
        "`cgc monitor` against SQL `GROUP BY`, export → import against `executemany`, `--record` over a directory",
        store,
    ),
    Bench(
        "store_million",
        "store-1m.json",
        "bench/store_bench.py --count 1000000 --repeat 1 --results store-1m.json",
        "the store bench at the issue's scale: 1,000,000 evaluations, each its own project",
        store,
    ),
    Bench(
        "batch",
        "batch.json",
        "bench/batch_bench.py [N]",
        "`cgc evaluate DIR` over many submissions against one warm process",
        batch,
    ),
    Bench(
        "startup",
        "startup.json",
        "bench/startup_bench.py [--label NAME]",
        "start-up of a `cgc` verb against importing the evaluator",
        startup,
    ),
    Bench(
        "corridor_memory",
        "corridor_memory.json",
        "bench/corridor_memory_bench.py [--views N]",
        "web server and rules-engine worker memory over many corridor page views",
        corridor_memory,
    ),
    Bench(
        "errors",
        "errors.json",
        "bench/error_location_bench.py [--quick]",
        "locating many bad lines; loading and evaluating very large submissions",
        errors,
    ),
    Bench(
        "web",
        "web.json",
        "bench/web_load.py [--seconds 60] [--concurrency 50]",
        "`cgc serve` under concurrent uploads with recording",
        load_test("web"),
    ),
    Bench(
        "replicas",
        "replicas.json",
        "bench/replicas_load.py",
        "two `cgc serve` replicas over one PostgreSQL store",
        load_test("replicas"),
    ),
    Bench(
        "docx",
        "docx.json",
        "bench/docx_bench.py [--quick] [--profile NAME] [--type TYPE]",
        "DOCX writing of every document of a profile against plain python-docx",
        docx,
    ),
    Bench(
        "pack",
        "pack.json",
        "bench/pack_bench.py [--rounds N]",
        "`cgc pack build` with 2 worker processes against 1",
        pack,
    ),
    Bench(
        "fuzz",
        "fuzz.json",
        "scripts/fuzz.py -n 10000 --jobs 2",
        "every loader under mutated inputs (not a timing)",
        fuzz,
    ),
)

NOT_YET = (  # figures of issue 28 that no results file records yet: (words, the file that would hold them)
    ("`--record` through the CLI, a directory on all cores", "store.json", "batch_record_per_s"),
    ("pack build, 2 jobs against 1", "pack.json", None),
    ("`cgc generate`, DOCX only, against python-docx", "docx.json", None),
)


def _date(data: dict[str, Any]) -> str:
    return str(data.get("date", "—"))


def _load(data: dict[str, Any]) -> str:
    """The 1-minute load averages at the start and end of the run (bench/conditions.py)."""
    start, end = data.get("load_average_at_start"), data.get("load_average_at_end")
    if start is None and end is None:
        return "—"
    return f"{_n(start[0] if start else None, 1)} → {_n(end[0] if end else None, 1)}"


def _machine(data: dict[str, Any]) -> str:
    machine, cores = data.get("machine", "—"), data.get("cores")
    return f"{machine}, {cores} cores" if cores else str(machine)


def tables() -> str:
    benches = [
        "| bench | measures | command | results | date | machine | load (1 min, start → end) |",
        "|---|---|---|---|---|---|---|",
    ]
    figures = ["| bench | figure | ours | reference | ratio | target | met |", "|---|---|---|---|---:|---|---|"]
    for b in BENCHES:
        path = RESULTS / b.results
        if not path.is_file():
            benches.append(f"| {b.name} | {b.measures} | `{_cell(b.command)}` | — (not run) | — | — | — |")
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        benches.append(
            f"| {b.name} | {b.measures} | `{_cell(b.command)}` | `results/{b.results}` | {_date(data)} | "
            f"{_machine(data)} | {_load(data)} |"
        )
        for f in b.figures(data):
            ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
            cells = (f.bench, f.figure, f.ours, f.reference, ratio, f.target, f.verdict())
            figures.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    known = {b.results for b in BENCHES}
    for path in sorted(RESULTS.glob("*.json")):  # a results file no entry above reads: listed, its figures not
        if path.name in known:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        benches.append(
            f"| {path.stem} | — (no entry in bench/table.py) | — | `results/{path.name}` | {_date(data)} | "
            f"{_machine(data)} | {_load(data)} |"
        )
    for words, file, key in NOT_YET:
        path = RESULTS / file
        if path.is_file() and (key is None or key in json.loads(path.read_text(encoding="utf-8"))):
            continue
        figures.append(f"| — | {words} | not measured | — | — | — | — |")
    return "\n".join(["### Benches", "", *benches, "", "### Figures", "", *figures])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="replace the tables in bench/README.md")
    args = ap.parse_args()
    text = tables()
    if not args.write:
        print(text)
        return 0
    readme = README.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        print(f"{README} lacks the markers {START} … {END}", file=sys.stderr)
        return 1
    head, rest = readme.split(START, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
