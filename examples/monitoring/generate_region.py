"""SYNTHETIC example data for `cgc monitor`: a made-up region of six made-up municipalities, 2024–2026.

Nothing here describes a real municipality or project. The numbers are drawn from a seeded random
generator so that the demo shows charts with some spread and a trend; the same seed gives the same files.

    python examples/monitoring/generate_region.py -o out/region [--seed 2026] [--record out/region/store.sqlite]

Writes `submissions/<year>/*.yaml` (evaluated with hnn-gww@2026.1) and `assessments/<year>/*.yaml`
(assessed with gmr-profielen@2026.1 and cgc-groeimodel@2024.1). With `--record DB` it records them all
into that store by running `cgc evaluate … --record` and `cgc assess … --record` in-process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
from pathlib import Path

import yaml

REGION = "Voorbeeldregio (synthetisch)"
MUNICIPALITIES = {  # name -> maturity in 2024, 0 (starting) to 1 (front-runner)
    "Aabeek": 0.85,
    "Beekdorp": 0.6,
    "Dijkhuizen": 0.45,
    "Eemvaart": 0.3,
    "Heuvelstad": 0.2,
    "Rivierenoord": 0.1,
}
YEARS = (2024, 2025, 2026)
EVALUATE = ("-r", "hnn-gww@2026.1")
ASSESS = ("-r", "gmr-profielen@2026.1", "-r", "cgc-groeimodel@2024.1")
STEPS = ("shared_vision", "process_agreements", "shared_system", "value_chain_network")
ELEMENTS = ("materialeninventarisatie", "projectenkalender", "transport_hub", "ketenregisseur", "spelregels")
HEADER = (
    "# SYNTHETISCH voorbeeld (examples/monitoring/generate_region.py, seed {seed}): geen echte gemeente of project.\n"
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def municipality(name: str) -> str:
    return f"Gemeente {name} (synthetisch)"


def submission(rng: random.Random, name: str, maturity: float, year: int, n: int) -> dict:
    grow = (year - YEARS[0]) * 0.06
    kind = "wegen" if rng.random() < 0.6 else "openbare_ruimte"
    total = round(rng.uniform(800, 9000))
    share = min(0.95, max(0.05, 0.3 + 0.3 * maturity + grow + rng.uniform(-0.08, 0.08)))
    good = round(total * share)
    reused = round(good * rng.uniform(0.1, 0.4))
    bio = round(min(good - reused, rng.uniform(0, 40)))
    primary = total - good
    materials = [
        {
            "name": "Asfalt of verharding met secundaire grondstof",
            "mass_t": good - reused - bio,
            "origin": "gerecycled",
        },
        {"name": "Hergebruikte elementen", "mass_t": reused, "origin": "hergebruikt"},
        {"name": "Houten elementen", "mass_t": bio, "origin": "biobased"},
        {"name": "Nieuw materiaal", "mass_t": primary, "origin": "primair"},
    ]
    area, life = round(rng.uniform(2000, 15000), -2), rng.choice([40, 50])
    level = 0.17 if kind == "wegen" else 0.12
    per_m2 = level * max(0.4, 1.2 - 0.35 * maturity - 1.5 * grow + rng.uniform(-0.15, 0.15))
    data: dict = {
        "project": {
            "id": f"{slug(name)}-{year}-{n:02d}",
            "name": f"Project {n} in {name} (synthetisch)",
            "municipality": municipality(name),
            "type": kind,
            "tender_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "area_m2": area,
            "lifetime_years": life,
        },
        "materials": materials,
        "impact": {},
    }
    if rng.random() > 0.15 * (1 - maturity):
        data["impact"]["mki_eur_total"] = round(per_m2 * area * life)
    if rng.random() < 0.3 + 0.4 * maturity + 2 * grow:
        data["impact"]["co2_kg_per_fu"] = round(rng.uniform(20, 80), 1)
    if rng.random() < 0.5:
        released = round(rng.uniform(200, 3000))
        data["demolition"] = [{"name": "Freesasfalt en puin", "mass_t": released, "destination": "recycling"}]
    if rng.random() < 0.9:
        data["declarations"] = {"seb_compliant": rng.random() < 0.45 + 0.45 * maturity + grow}
    return data


def assessment(rng: random.Random, name: str, maturity: float, year: int) -> dict:
    m = min(1.0, maturity + (year - YEARS[0]) * 0.1)

    def score() -> float:
        return min(5.0, max(1.0, round((1 + 4 * m + rng.uniform(-0.5, 0.5)) * 2) / 2))

    elements = []
    for element in ELEMENTS:
        k = max(0, min(4, int(m * 4 + rng.uniform(-0.6, 0.6))))
        elements.append({"name": element, **{step: i < k for i, step in enumerate(STEPS)}})
    return {
        "municipality": {"name": municipality(name), "region": REGION, "assessed_on": f"{year}-11-15"},
        "gmr": {
            "capacity_and_knowledge": m > 0.3,
            "tenders_circularly": m > 0.55,
            "measures_circularity": m > 0.7,
            "spinnenweb": {
                "policy_staff": score(),
                "executing_staff": score(),
                "capacity_and_money": score(),
                "circular_knowledge": score(),
            },
        },
        "elements": elements,
    }


def generate(out: Path, seed: int) -> tuple[list[Path], list[Path]]:
    """Write the region's files; returns (submissions, assessments)."""
    rng = random.Random(seed)
    subs, assessments = [], []
    for year in YEARS:
        for name, maturity in MUNICIPALITIES.items():
            for n in range(1, rng.randint(2, 4) + 1):
                path = out / "submissions" / str(year) / f"{slug(name)}-{n:02d}.yaml"
                subs.append(_write(path, submission(rng, name, maturity, year, n), seed))
            path = out / "assessments" / str(year) / f"{slug(name)}.yaml"
            assessments.append(_write(path, assessment(rng, name, maturity, year), seed))
    return subs, assessments


def _write(path: Path, data: dict, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        HEADER.format(seed=seed) + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def record(db: str, subs: list[Path], assessments: list[Path]) -> None:
    """Record every file with the real commands, in-process; exit codes 0 and 1 are outcomes, 2 is an error."""
    from cgc_rules.cli import main

    for args in [["evaluate", str(p), *EVALUATE] for p in subs] + [["assess", str(p), *ASSESS] for p in assessments]:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                main([*args, "--format", "json", "--record", "--db", db], standalone_mode=False)
        except SystemExit as exc:
            if exc.code not in (0, 1):
                raise SystemExit(f"{' '.join(args)}: exit {exc.code}") from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--record", metavar="DB", help="record everything into this store")
    args = parser.parse_args()
    subs, assessments = generate(args.output, args.seed)
    print(f"{len(subs)} submissions and {len(assessments)} self-assessments (synthetic) in {args.output}")
    if args.record:
        record(args.record, subs, assessments)
        print(f"recorded into {args.record}")


if __name__ == "__main__":
    main()
