"""PDF benchmark: time and peak memory of printing the guide, and of a booklet with a 1,000-case annex.

Each booklet is printed by a fresh Python process (`recueil pdf`, the same code as `mkdocs build`),
so the figures hold the imports, the loading of the cards, the layout and the writing, and nothing
else: wall time, CPU time (user + system: what the printing cost, whatever else the machine runs)
and peak resident memory, read with os.wait4 for that process alone.

- guide: this repository (real cards and guide pages). Goal: ≤ 30 s and ≤ 1 GB.
- annex: the repository's recommendations and vocabularies with N synthetic cases
  (benchmarks/synthetic.py) instead of the real ones, no guide pages: mostly the annex.

    .venv/bin/python benchmarks/bench_pdf.py                 # guide, then 1,000 cases
    .venv/bin/python benchmarks/bench_pdf.py --cases 0       # the guide only
Results: printed, and written to bench-results/pdf-<date>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_synthetic_cases  # noqa: E402

GOAL_SECONDS = 30.0
GOAL_MB = 1024.0
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Measure:
    label: str
    cases: int
    pages: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    pdf_mb: float
    tagged: bool
    load_before: float  # 1-minute load average when the run started: >2 on 2 cores means a busy machine


def print_booklet(label: str, project: Path, out: Path, cases: int) -> Measure:
    """Run `recueil pdf` in its own process and read what that process alone used."""
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "recueil.cli", "--root", str(project), "pdf", "--out", str(out)]
    log = out.with_suffix(".log")
    with log.open("wb") as sink:  # a file, not a pipe: a chatty child can never block on a full pipe
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{label}: recueil pdf a échoué ({process.returncode})\n{tail}")
    return Measure(label, cases, _pages(out), round(seconds, 1), round(usage.ru_utime + usage.ru_stime, 1),
                   round(usage.ru_maxrss / 1024, 0), round(out.stat().st_size / 1e6, 1), _tagged(out), load)


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _tagged(pdf: Path) -> bool:
    from pypdf import PdfReader

    return "/StructTreeRoot" in PdfReader(pdf).trailer["/Root"]


def synthetic_project(work: Path, n: int) -> Path:
    """The repository's recommendations and vocabularies, with n synthetic cases and no guide pages."""
    project = work / f"annex-{n}"
    project.mkdir(parents=True)
    shutil.copy(ROOT / "taxonomies.yml", project / "taxonomies.yml")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "recommendations", project / "recommendations")
    write_synthetic_cases(project / "cases", n)
    return project


def report(measures: list[Measure]) -> str:
    lines = ["| livret | fiches | pages | durée (s) | CPU (s) | mémoire max (Mo) | PDF (Mo) | balisé | charge |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    lines += [f"| {m.label} | {m.cases} | {m.pages} | {m.seconds} | {m.cpu_seconds} | {m.peak_mb:.0f} | {m.pdf_mb} | "
              f"{'oui' if m.tagged else 'non'} | {m.load_before:.1f} |" for m in measures]
    guide = measures[0]
    verdict = "atteint" if guide.seconds <= GOAL_SECONDS and guide.peak_mb <= GOAL_MB else "NON atteint"
    lines.append(f"\nObjectif du guide (≤ {GOAL_SECONDS:.0f} s et ≤ {GOAL_MB:.0f} Mo) : {verdict} "
                 f"({guide.seconds} s, dont {guide.cpu_seconds} s de CPU ; {guide.peak_mb:.0f} Mo).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="fiches synthétiques de l'annexe (0 : guide seul)")
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="dossier des résultats")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="recueil-bench-pdf-") as folder:
        work = Path(folder)
        measures = [print_booklet("guide", ROOT, work / "guide.pdf", len(list((ROOT / "cases").glob("*.md"))))]
        print(report(measures), flush=True)
        if args.cases:
            project = synthetic_project(work, args.cases)
            measures.append(print_booklet(f"annexe de {args.cases} fiches", project, work / "annex.pdf", args.cases))
    text = report(measures)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"pdf-{stamp}.md").write_text(text + "\n", encoding="utf-8")
    (out / f"pdf-{stamp}.json").write_text(json.dumps([asdict(m) for m in measures], indent=2), encoding="utf-8")
    print(f"résultats : {out}/pdf-{stamp}.md et .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
