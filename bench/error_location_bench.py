"""Cost of locating errors and of large submissions (issue 18: bounded cost).

1. Error location: YAML submissions and CSV lists with 100 to 10,000 bad material lines (every line's mass is
   text). Loading fails with one located problem per line; the time to get all of them printed is measured,
   and the slope of log(time) against log(bad lines) is reported: 1 means linear (it was 2: 800 lines took 72 s).
2. Scale: valid submissions of 10^4 to 10^6 material lines in YAML, JSON and CSV (about 54, 61 and 24 bytes a
   line), the largest YAML and CSV ones their limits allow, and bid forms (XLSX) of 10^4 lines and at their row
   limit and one beyond it, and the largest ones with one bad value in their last line (text for a mass,
   or NaN in JSON), and a JSON list one item over its limit: loaded alone in a fresh process, then `cgc evaluate
   --format json` against hnn-gww as a user runs it, in another: wall time and peak memory (max RSS), also as
   a multiple of the file size (the targets: within 10 s and 10x). A YAML file over its values limit is
   refused; the time to the refusal is what is measured.

Writes bench/results/errors.json and prints a Markdown table.

    .venv/bin/python bench/error_location_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions  # noqa: E402

from cgc_rules.intake.csv import MAX_LINES as CSV_MAX_LINES  # noqa: E402
from cgc_rules.intake.xlsx import MAX_ROWS as FORM_MAX_ROWS  # noqa: E402
from cgc_rules.loading.limits import LIMITS  # noqa: E402

HEAD = (
    "project:\n  id: bench\n  name: Bench\n  municipality: Arnhem\n  type: wegen\n  tender_date: 2026-03-01\n"
    "  area_m2: 10000\n  lifetime_years: 40\nmaterials:\n"
)
ORIGINS = ("primair", "gerecycled", "hergebruikt", "biobased")


def write_submission(path: Path, lines: int, bad: int = 0) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEAD)
        for i in range(lines):
            mass = "zwaar" if i < bad else f"{(i * 7919) % 1000 / 10 + 0.5:.1f}"
            fh.write(f"  - {{name: m{i:07d}, mass_t: {mass}, origin: {ORIGINS[i % 4]}}}\n")
        fh.write("declarations: {seb_compliant: true}\n")


CSV_HEAD = "kenmerk;bench\nnaam;Bench\ngemeente;Arnhem\nprojecttype;wegen\naanbestedingsdatum;1-3-2026\n\n"


def write_csv_submission(path: Path, lines: int, bad: int = 0) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(CSV_HEAD + "materiaal;massa (t);herkomst\n")
        for i in range(lines):
            mass = "zwaar" if i < bad else f"{(i * 7919) % 1000 / 10 + 0.5:.1f}".replace(".", ",")
            fh.write(f"m{i:07d};{mass};{ORIGINS[i % 4]}\n")


def write_xlsx_submission(path: Path, lines: int) -> None:
    """The bid form of the YAML submission, written by `cgc convert` as a bidder's tool would."""
    source = path.with_suffix(".source.yaml")
    write_submission(source, lines)
    subprocess.run(
        [str(Path(sys.executable).with_name("cgc")), "convert", str(source), str(path)], check=True, capture_output=True
    )
    source.unlink()


WRITERS = {"yaml": write_submission, "json": None, "csv": write_csv_submission, "xlsx": write_xlsx_submission}


def error_location(sizes: list[int], work: Path, fmt: str) -> list[dict]:
    """Every line's mass is text: one located problem per line, all of them printed."""
    from cgc_rules.errors import CgcError
    from cgc_rules.intake import load_any

    rows = []
    for n in sizes:
        path = work / f"bad-{n}.{fmt}"
        (write_csv_submission if fmt == "csv" else write_submission)(path, n, bad=n)
        best = math.inf
        for _ in range(3):
            start = time.perf_counter()
            try:
                load_any(path)
            except CgcError as exc:
                text = "\n".join(str(p) for p in exc.problems)
                assert len(exc.problems) == n
                assert text.count(":") >= 2 * n
            best = min(best, time.perf_counter() - start)
        rows.append({"bad_lines": n, "seconds": round(best, 4), "ms_per_error": round(best / n * 1000, 4)})
        print(f"  {fmt}: {n} bad lines: {best:.3f} s", file=sys.stderr)
    return rows


def slope(rows: list[dict], x: str, y: str) -> float:
    """Least-squares slope of log(y) on log(x)."""
    xs = [math.log(r[x]) for r in rows]
    ys = [math.log(r[y]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True)) / sum((a - mx) ** 2 for a in xs)


LOAD = """
import resource, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any
try:
    lines = len(load_any({path!r}).submission.materials)
except CgcError as exc:
    lines = str(exc.problems[0])
print(repr((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, lines)))
"""

EVALUATE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(repr((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
            done.returncode, done.stderr.strip()[-300:])))
"""


def write_json_submission(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            '{"project": {"id": "bench", "name": "Bench", "municipality": "Arnhem", "type": "wegen", '
            '"tender_date": "2026-03-01", "area_m2": 10000, "lifetime_years": 40},\n"materials": [\n'
        )
        for i in range(lines):
            mass = f"{(i * 7919) % 1000 / 10 + 0.5:.1f}"
            sep = ",\n" if i < lines - 1 else "\n"
            fh.write(f'{{"name": "m{i:07d}", "mass_t": {mass}, "origin": "{ORIGINS[i % 4]}"}}{sep}')
        fh.write('],\n"declarations": {"seb_compliant": true}}\n')


def _run(code: str, *args: str) -> tuple:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


SPOILS = {  # the last line's mass made bad: (marker before the value, the bad value, what ends the value)
    ("yaml", "text"): ("mass_t: ", "zwaar", ","),
    ("json", "text"): ('"mass_t": ', '"zwaar"', ","),
    ("json", "nan"): ('"mass_t": ', "NaN", ","),
    ("csv", "text"): (";", "zwaar", ";"),
}


def spoil(path: Path, fmt: str, how: str) -> None:
    """Put one bad value into the last material line: the error is found at the end of the file."""
    marker, bad, stop = SPOILS[(fmt, how)]
    text = path.read_text(encoding="utf-8")
    last = text.rindex("m0")  # the last material line's name (m0000000 …)
    start = text.index(marker, last) + len(marker)
    path.write_text(text[:start] + bad + text[text.index(stop, start) :], encoding="utf-8")


def scale(sizes: list[tuple[str, int, str]], work: Path) -> list[dict]:
    """Per format and size, in fresh processes: loading alone, then `cgc evaluate` as a user runs it."""
    cgc = str(Path(sys.executable).with_name("cgc"))
    rows = []
    for fmt, n, how in sizes:
        path = work / f"ok-{n}.{fmt}"
        (WRITERS[fmt] or write_json_submission)(path, n)
        if how != "ok":
            spoil(path, fmt, how)
        size = path.stat().st_size
        load_s, load_rss, loaded = _run(LOAD.format(root=str(ROOT), path=str(path)))
        total_s, peak, code, stderr = _run(EVALUATE, cgc, "evaluate", str(path), "-r", "hnn-gww", "--format", "json")
        assert code == 2 if isinstance(loaded, str) else (code in (0, 1) and loaded == n), (code, loaded, stderr)
        rows.append(
            {
                "format": fmt,
                "material_lines": n,
                "last_line": how,
                "file_mb": round(size / 1e6, 1),
                "load_s": round(load_s, 2),
                "load_peak_mb": round(load_rss / 1e6),
                "evaluate_s": round(total_s, 2),
                "peak_mb": round(peak / 1e6),
                "peak_x_file": round(peak / size, 1),
                "outcome": "evaluated" if code in (0, 1) else "refused: " + stderr.split(": ", 1)[-1][:120],
            }
        )
        print(f"  {fmt} {n} lines: {rows[-1]}", file=sys.stderr)
        path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    args = parser.parse_args()
    bad_sizes = [100, 300, 1000] if args.quick else [100, 300, 1_000, 3_000, 10_000]
    counts = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    big_sizes = [(fmt, n, "ok") for n in counts for fmt in ("yaml", "json", "csv")]
    if not args.quick:  # the largest each format allows, a form at its limit and beyond, a bad last line in each
        yaml_most = (LIMITS.max_yaml_nodes - 30) // 7
        big_sizes += [("yaml", yaml_most, "ok"), ("csv", CSV_MAX_LINES, "ok")]
        big_sizes += [("xlsx", 10_000, "ok"), ("xlsx", FORM_MAX_ROWS - 1, "ok"), ("xlsx", FORM_MAX_ROWS, "ok")]
        big_sizes += [("yaml", yaml_most, "text"), ("json", 1_000_000, "text"), ("json", 1_000_000, "nan")]
        big_sizes += [("json", LIMITS.max_items + 1, "ok"), ("csv", CSV_MAX_LINES, "text")]
    head = conditions.start()
    with tempfile.TemporaryDirectory() as tmp:
        located = {fmt: error_location(bad_sizes, Path(tmp), fmt) for fmt in ("yaml", "csv")}
        big = scale(big_sizes, Path(tmp))
    result = {
        **conditions.finish(head),
        "error_location": located,
        "error_location_slope": {fmt: round(slope(rows, "bad_lines", "seconds"), 2) for fmt, rows in located.items()},
        "scale": big,
    }
    out = ROOT / "bench" / "results" / "errors.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| format | bad lines | seconds | ms per error |\n|---|---:|---:|---:|")
    for fmt, rows in located.items():
        for r in rows:
            print(f"| {fmt} | {r['bad_lines']:,} | {r['seconds']} | {r['ms_per_error']} |")
    print(f"\nslope of log(time) on log(bad lines): {result['error_location_slope']}\n")
    print(
        "| format | material lines | last line | file MB | load s | load MB | evaluate s | peak MB | peak × file | outcome |"
        "\n|---|---:|---|---:|---:|---:|---:|---:|---:|---|"
    )
    for r in big:
        print(
            f"| {r['format']} | {r['material_lines']:,} | {r['last_line']} | {r['file_mb']} | {r['load_s']} | "
            f"{r['load_peak_mb']} | {r['evaluate_s']} | {r['peak_mb']} | {r['peak_x_file']} | {r['outcome']} |"
        )


if __name__ == "__main__":
    main()
