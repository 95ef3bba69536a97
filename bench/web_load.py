"""Load test of `cgc serve` (bounded, local only): concurrent uploads of evaluations against 127.0.0.1.

Starts `cgc serve` on 127.0.0.1 with a fresh SQLite store, then for `--seconds` (default 60) keeps
`--concurrency` (default 50) clients busy, each uploading a distinct submission (its own project id)
with "record in the store" on. Every request is counted; afterwards the store must hold exactly one
evaluation record per successful upload, each project id once. Writes bench/results/web.json with the
counts, the p50/p95/max response times and the machine. Exits 1 on any failed, lost or duplicated record.
Run `python bench/web_load.py [--seconds 60] [--concurrency 50]` by hand; it only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions  # noqa: E402

HOST = "127.0.0.1"
EXAMPLE = ROOT / "examples" / "weg-voldoet-niet.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def submission(n: int) -> bytes:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["project"]["id"] = f"load-{n:06d}"
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


async def run(base: str, seconds: float, concurrency: int) -> tuple[list[float], list[str], list[str]]:
    times: list[float] = []
    failures: list[str] = []
    sent: list[str] = []
    counter = iter(range(10**9))
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        page = await client.get("/toetsen")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

        async def one_client() -> None:
            while time.monotonic() < deadline:
                n = next(counter)
                body = submission(n)
                start = time.perf_counter()
                try:
                    r = await client.post(
                        "/toetsen",
                        data={"csrf_token": token, "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"},
                        files={"bestand": (f"inzending-{n}.yaml", body)},
                    )
                    ok = r.status_code == 303 and r.headers["location"].startswith("/toetsen/uitslag/")
                except httpx.HTTPError as exc:
                    ok, r = False, exc
                times.append(time.perf_counter() - start)
                sent.append(f"load-{n:06d}")
                if not ok:
                    detail = getattr(r, "status_code", None) or f"{type(r).__name__} {r}"
                    failures.append(f"load-{n:06d}: {detail}")

        await asyncio.gather(*(one_client() for _ in range(concurrency)))
    return times, failures, sent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--concurrency", type=int, default=50)
    args = ap.parse_args()
    head = conditions.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite"
        port = free_port()
        log = Path(tmp) / "server.log"
        env = {**os.environ, "CGC_DATABASE_URL": str(db)}
        cgc = Path(sys.executable).with_name("cgc")
        server = subprocess.Popen(
            [str(cgc), "serve", "--host", HOST, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        try:
            base = f"http://{HOST}:{port}"
            for _ in range(300):
                try:
                    if httpx.get(base + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            times, failures, sent = asyncio.run(run(base, args.seconds, args.concurrency))
        finally:
            server.terminate()
            server.wait(30)
        from cgc_rules.store.store import open_store

        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        first = next((i for i, ln in enumerate(lines) if not ln.startswith(("{", "cgc serve on"))), None)
        errors = lines[first : first + 40] if first is not None else []
        stored = [r.project_id for r in open_store(str(db), create=False).records(trusted=True)]
    ok_ids = set(sent) - {f.split(":")[0] for f in failures}
    lost = sorted(ok_ids - set(stored))
    duplicated = sorted(p for p, n in Counter(stored).items() if n > 1)
    times.sort()
    result = {
        **conditions.finish(head),
        "requests": len(times),
        "failed": len(failures),
        "records": len(stored),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "first_failures": failures[:5],
        "first_server_error": errors,
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "throughput_per_s": round(len(times) / args.seconds, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1) if times else None,
        "max_ms": round(times[-1] * 1000, 1) if times else None,
    }
    out = ROOT / "bench" / "results" / "web.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if not failures and not lost and not duplicated and len(stored) == len(ok_ids) else 1


if __name__ == "__main__":
    sys.exit(main())
