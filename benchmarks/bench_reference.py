"""Territory reference benchmark: how long a fresh read of the reference takes (gzip, JSON, objects).

`recueil/territories/reference.py` reads `data/` once per process (`load_reference`, cached); every
`recueil check` and every build pays that read once. The target is under 3 s per read (about 0.1 s
on an idle machine); the machine's load average is reported beside it, since other processes on
the same cores inflate every figure. Not a test: tests/test_territories.py checks what the read
gives, this script how long it takes.

    .venv/bin/python benchmarks/bench_reference.py              # 5 reads
    .venv/bin/python benchmarks/bench_reference.py --rounds 20
Exit status 1 when the median read is over the target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recueil.territories.reference import load_reference  # noqa: E402

TARGET_SECONDS = 3.0


def fresh_read_seconds() -> float:
    started = time.perf_counter()
    load_reference.__wrapped__()  # a fresh read, not the cached one
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="lectures mesurées (par défaut : 5)")
    args = parser.parse_args(argv)
    times = [fresh_read_seconds() for _ in range(max(1, args.rounds))]
    median = statistics.median(times)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"référentiel des territoires : lecture médiane {median:.3f} s, min {min(times):.3f} s, "
          f"max {max(times):.3f} s sur {len(times)} lectures (cible < {TARGET_SECONDS:.0f} s ; charge {load})")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
