"""Memory of the web server over many corridor page views: flat, now that durable-rules runs in a recycled worker.

Drives the real application (Starlette's TestClient, local mode, a corridors directory of its own)
with GET /corridor views of the bundled example corridor, the day moving through 2026 so no two
neighbouring views ask the same thing. At checkpoints it records the resident memory of this
process (the server) and of its rules engine worker (`corridor.rete`), and their sum. The target:
the sum after 10,000 views within 10 % of the sum after 100. Checkpoints fall on multiples of the
worker's session bound, so both sides of the comparison see a worker of the same age; the highest
and lowest sums seen after the first checkpoint are recorded too (the worker's saw-tooth).
Writes bench/results/corridor_memory.json. `--views N` shortens a trial run (the target needs 10,000).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import conditions
from starlette.testclient import TestClient

from cgc_rules.corridor import rete
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "corridor_memory.json"
FIRST = 100
TARGET = 0.10
MB = 2**20


def _rss(pid: int) -> int:
    """Resident bytes of process `pid` (0 once it has ended)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (FileNotFoundError, ProcessLookupError):
        return 0


def _sample(views: int, started: float) -> dict[str, float]:
    worker = rete.current_worker()
    server = _rss(os.getpid())
    engine = _rss(worker.pid) if worker is not None else 0
    return {
        "views": views,
        "server_mb": round(server / MB, 1),
        "worker_mb": round(engine / MB, 1),
        "total_mb": round((server + engine) / MB, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=10_000)
    args = parser.parse_args()
    head = conditions.start()
    checkpoints = sorted(n for n in {FIRST, 500, *range(1000, args.views + 1, 1000), args.views} if n <= args.views)
    with tempfile.TemporaryDirectory(prefix="cgc-membench-") as tmp:
        app = create_app(Config(database_url=str(Path(tmp) / "store.sqlite"), corridors_dir=Path(tmp) / "corridors"))
        client = TestClient(app)
        samples: list[dict[str, float]] = []
        low, high = float("inf"), 0.0
        started = time.perf_counter()
        for n in range(1, args.views + 1):
            day = date(2026, 1, 1) + timedelta(days=n % 365)
            res = client.get("/corridor", params={"corridor": "amersfoort-voorbeeld", "datum": day.isoformat()})
            if res.status_code != 200:
                print(f"view {n}: HTTP {res.status_code}", file=sys.stderr)
                return 1
            if n > FIRST and n % 10 == 0:
                total = _sample(n, started)["total_mb"]
                low, high = min(low, total), max(high, total)
            if n in checkpoints:
                samples.append(_sample(n, started))
                print(json.dumps(samples[-1]), flush=True)
    first, last = samples[0], samples[-1]
    growth = (last["total_mb"] - first["total_mb"]) / first["total_mb"]
    result = {
        **conditions.finish(head),
        "corridor": "amersfoort-voorbeeld (bundled example), GET /corridor through Starlette's TestClient",
        "worker_max_sessions": rete.MAX_SESSIONS,
        "worker_max_mb": rete.MAX_BYTES // MB,
        "views": args.views,
        "checkpoints": samples,
        "total_mb_range_after_first": [low, high] if high else None,
        "growth_first_to_last": round(growth, 4),
        "target": f"total after {args.views:,} views within {TARGET:.0%} of after {FIRST}",
        "met": abs(growth) <= TARGET,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"growth {growth:+.1%} ({first['total_mb']} MB -> {last['total_mb']} MB): {'met' if result['met'] else 'NOT met'}"
    )
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
