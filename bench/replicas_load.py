"""Load test through two `cgc serve` replicas over one PostgreSQL database (bounded, loopback only).

Starts a throwaway PostgreSQL server (Debian's binaries, a unix socket, as the tests do) and two
`cgc serve` processes on 127.0.0.2 and 127.0.0.3 (network mode: real logins and sessions). One login;
then for `--seconds` (default 20) `--concurrency` clients (default 8) upload distinct submissions with
"record in the store" on, alternating between the replicas as a load balancer would, and open each
result on the OTHER replica. Afterwards the store must hold exactly one record per successful upload.
Writes bench/results/replicas.json: throughput, p50/p95/max, records lost and duplicated, results not
found on the other replica. Exits 1 on any failure. Run `python bench/replicas_load.py` by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
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

from cgc_rules.store.store import open_store  # noqa: E402
from tests.pg import _bin, running  # noqa: E402
from tests.replicas import PASSWORD, accounts, serving  # noqa: E402

EXAMPLE = ROOT / "examples" / "weg-voldoet-niet.yaml"


def submission(n: int) -> bytes:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["project"]["id"] = f"replica-{n:06d}"
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found is None:
        raise RuntimeError(html[:300])
    return found.group(1)


async def run(urls: list[str], seconds: float, concurrency: int) -> dict[str, list]:
    out: dict[str, list] = {"times": [], "failures": [], "sent": [], "unseen": []}
    counter = iter(range(10**9))
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=urls[0], timeout=120) as first:
        login = await first.get("/inloggen")
        r = await first.post(
            "/inloggen",
            data={"csrf_token": token(login.text), "gebruikersnaam": "inkoper", "wachtwoord": PASSWORD},
        )
        cookie = r.cookies["cgc_session"] if "cgc_session" in r.cookies else first.cookies["cgc_session"]
        csrf = token((await first.get("/toetsen")).text)
    clients = [httpx.AsyncClient(base_url=u, timeout=120, cookies={"cgc_session": cookie}) for u in urls]

    async def one_client(k: int) -> None:
        while time.monotonic() < deadline:
            n = next(counter)
            here, there = clients[n % 2], clients[(n + 1) % 2]
            start = time.perf_counter()
            try:
                r = await here.post(
                    "/toetsen",
                    data={"csrf_token": csrf, "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"},
                    files={"bestand": (f"inzending-{n}.yaml", submission(n))},
                )
                ok = r.status_code == 303 and r.headers["location"].startswith("/toetsen/uitslag/")
                detail = str(r.status_code)
            except httpx.HTTPError as exc:
                ok, detail = False, f"{type(exc).__name__} {exc}"
            out["times"].append(time.perf_counter() - start)
            out["sent"].append(f"replica-{n:06d}")
            if not ok:
                out["failures"].append(f"replica-{n:06d}: {detail}")
                continue
            if (await there.get(r.headers["location"])).status_code != 200:
                out["unseen"].append(f"replica-{n:06d}")

    try:
        await asyncio.gather(*(one_client(k) for k in range(concurrency)))
    finally:
        for c in clients:
            await c.aclose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    bindir = _bin()
    if bindir is None:
        print("no PostgreSQL server binaries: scripts/system-deps.sh installs them", file=sys.stderr)
        return 2
    head = conditions.start()
    with tempfile.TemporaryDirectory() as tmp, running(bindir) as pg:
        db = pg.database()
        with serving(db, accounts(Path(tmp) / "accounts.json"), 2, Path(tmp)) as urls:
            got = asyncio.run(run(urls, args.seconds, args.concurrency))
        store = open_store(db, create=False)
        stored = [r.project_id for r in store.records(trusted=True)]
        store.engine.dispose()
    times, failures = sorted(got["times"]), got["failures"]
    ok_ids = set(got["sent"]) - {f.split(":")[0] for f in failures}
    lost = sorted(ok_ids - set(stored))
    duplicated = sorted(p for p, n in Counter(stored).items() if n > 1)
    result = {
        **conditions.finish(head),
        "replicas": 2,
        "database": "postgresql",
        "requests": len(times),
        "failed": len(failures),
        "records": len(stored),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "results_not_found_on_other_replica": len(got["unseen"]),
        "first_failures": failures[:5],
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "throughput_per_s": round(len(times) / args.seconds, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1) if times else None,
        "max_ms": round(times[-1] * 1000, 1) if times else None,
    }
    out = ROOT / "bench" / "results" / "replicas.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    bad = failures or lost or duplicated or got["unseen"] or len(stored) != len(ok_ids)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
