"""Build benchmark: the hooked site against plain MkDocs + Material, from 100 to 10,000 cases.

For each size N and each of two banks, a copy of this repository (docs, recommendations, hooks,
config, real cases) is completed to N cases (benchmarks/synthetic.py), and built twice. The banks:

- synthétique: generated cards (varied themes, sizes, lengths; plain paragraphs);
- copies: copies of the real cards (titles and territory names renamed, populations scaled, bodies
  kept: their tables, lists, links and headings are what Markdown costs on real input).

The two builds:

- hooked: `mkdocs build` with our hooks, the PDF step off (RECUEIL_PDF=0); the site search
  (Pagefind, fed each page by the hooks while the build goes on) is part of it;
- baseline: the same pages written by `recueil render` into the docs folder and built by plain
  MkDocs + Material, no hooks, no theme overrides, cases out of the nav, with Material's default
  search plugin (lang fr), as plain Material is used (`mkdocs-baseline.yml`: our config without
  `hooks` nor the theme's `custom_dir`, with `plugins` set to the search plugin).

Measured: wall time and peak memory of each build (`/usr/bin/time -v`, or getrusage), the
ratio hooked / baseline, linearity (time at 10,000 / time at 1,000), site size, largest case
page, search index (site/pagefind/: all of it, and what one search downloads); the one-card
rebuild under `mkdocs serve` at 1,000 cases; and, when present, the PDF (benchmarks/bench_pdf.py)
and bank-filter (benchmarks/bench_filter.py) scripts.

Full run (about an hour on a 2-core machine):
    .venv/bin/python benchmarks/bench_build.py
Quick run (N = 100 and 1,000, both banks, one run each, ~6 minutes):
    .venv/bin/python benchmarks/bench_build.py --quick
Results: printed, and written to bench-results/build-<date>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_real_copies, write_synthetic_cases  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
TIME_V = Path("/usr/bin/time")
# Not copied into the benchmark projects: tooling, outputs and the real cases (replaced by synthetic ones).
NOT_COPIED = {".git", ".venv", "site", "bench-results", "tests", "benchmarks", "cases", "node_modules",
              ".pytest_cache", ".ruff_cache", ".mypy_cache", "__pycache__", "build", "recueil", "recueil.egg-info"}
TARGETS = {"ratio": 1.2, "linearity": 10.5, "case_page_kb": 60.0, "rebuild_s": 2.0, "filter_ms": 50.0}
# Plain Material's default search plugin, in French, for the baseline.
MATERIAL_SEARCH = [{"search": {"lang": "fr"}}]
# The two banks: generated cards, and copies of the real ones (benchmarks/synthetic.py).
BANKS = {"synthetique": write_synthetic_cases, "copies": write_real_copies}
# Results whose excerpt a search shows at first (Pagefind fetches one fragment per result shown).
RESULTS_SHOWN = 10
ENV = {**os.environ, "RECUEIL_PDF": "0", "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system: what the build itself cost, whatever else the machine runs
    peak_mb: float


@dataclass
class Row:
    """One size: the median of the runs of each build, and what the hooked site weighs."""

    label: str
    cases: int
    bank: str = "réel"
    hooked: list[Run] = field(default_factory=list)
    baseline: list[Run] = field(default_factory=list)
    site_mb: float = 0.0
    site_files: int = 0
    largest_case_kb: float = 0.0
    largest_case_page: str = ""
    bank_page_kb: float = 0.0
    search_index_mb: float = 0.0  # site/pagefind/, everything
    search_download_kb: float = 0.0  # what the first search of a reader fetches from it (see weigh_search)
    baseline_search_mb: float = 0.0  # Material's lunr index of the baseline, downloaded whole by a search
    warnings: int = 0

    @property
    def hooked_s(self) -> float:
        return statistics.median(run.seconds for run in self.hooked)

    @property
    def baseline_s(self) -> float:
        return statistics.median(run.seconds for run in self.baseline)

    @property
    def ratio(self) -> float:
        return self.hooked_s / self.baseline_s

    @property
    def cpu_ratio(self) -> float:
        return _cpu(self.hooked) / _cpu(self.baseline)

    @property
    def paired_ratios(self) -> list[float]:
        """Each hooked build over the baseline built right after it: a busy moment of a shared
        machine hits both builds of a pair, not the ratio of medians taken from different moments."""
        return [round(hooked.seconds / baseline.seconds, 3) for hooked, baseline
                in zip(self.hooked, self.baseline, strict=True)]


# --- projects -------------------------------------------------------------------------------


def make_project(target: Path, cases: int | None, bank: str = "synthetique") -> Path:
    """A copy of this repository's site sources with `cases` cases in all: the real ones (the
    guide's pages link to them), completed by cards of `bank` (BANKS); `cases=None`: the real ones only."""
    target.mkdir(parents=True)
    for item in ROOT.iterdir():
        if item.name in NOT_COPIED or item.name.startswith("."):
            continue
        copy = shutil.copytree if item.is_dir() else shutil.copy2
        copy(item, target / item.name)
    shutil.copytree(ROOT / "cases", target / "cases")
    real = len(list((target / "cases").glob("*.md")))
    if cases is not None:
        if cases < real:
            sys.exit(f"au moins {real} cas : le dépôt en a déjà {real}")
        BANKS[bank](target / "cases", cases - real, seed=cases)
    return target


def make_baseline(project: Path) -> Path:
    """`mkdocs-baseline.yml`: our config without hooks, on docs + the pages of `recueil render`."""
    docs = project / "docs-baseline"
    shutil.copytree(project / "docs", docs)
    checked([str(BIN / "recueil"), "--root", str(project), "render", "--out", str(docs)], project)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config["theme"].pop("custom_dir", None)  # plain Material: none of our theme overrides
    if config["theme"].get("language") == "custom":  # our corrected French lives in overrides/
        config["theme"]["language"] = "fr"  # Material's own
    config.update(docs_dir=docs.name, nav=expanded_nav(project), plugins=MATERIAL_SEARCH)
    path = project / "mkdocs-baseline.yml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    return path


def expanded_nav(project: Path) -> Any:
    """The nav our hooks build (recommendations expanded), asked of MkDocs in a child process."""
    script = ("import json,sys; from mkdocs.config import load_config; "
              "c = load_config(sys.argv[1]); c = c.plugins.on_config(c); print(json.dumps(c.nav))")
    out = checked([PYTHON, "-c", script, str(project / "mkdocs.yml")], project)
    return json.loads(out.strip().splitlines()[-1])


def checked(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"échec de {' '.join(command)} :\n{result.stderr[-4000:]}")
    return result.stdout


# --- measuring a build --------------------------------------------------------------------------

RUSAGE_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"@@bench {time.perf_counter() - start} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def timed(command: list[str], cwd: Path) -> tuple[Run, str]:
    """Wall time, processor time and peak resident memory of one command; its stderr."""
    wrapped = [str(TIME_V), "-v", *command] if TIME_V.exists() else [PYTHON, "-c", RUSAGE_WRAPPER, *command]
    start = time.perf_counter()
    result = subprocess.run(wrapped, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"échec de {' '.join(command)} :\n{result.stderr[-4000:]}")
    if found := re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr):
        peak_kb = int(found.group(1))
        cpu = sum(float(value) for value in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", result.stderr))
    else:
        marker = re.search(r"@@bench (\S+) (\S+) (\d+)", result.stderr)
        assert marker, result.stderr
        seconds, cpu, peak_kb = float(marker.group(1)), float(marker.group(2)), int(marker.group(3))
    return Run(round(seconds, 3), round(cpu, 3), round(peak_kb / 1024, 1)), result.stderr


def build_command(config: Path, site: Path) -> list[str]:
    return [str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(site)]


def measure_size(row: Row, project: Path, runs: int) -> None:
    """Hooked and baseline builds, interleaved so that a busy moment of the machine hits both."""
    baseline_config = make_baseline(project)
    for index in range(runs):
        run, stderr = timed(build_command(project / "mkdocs.yml", project / "site-hooked"), project)
        row.hooked.append(run)
        row.warnings = stderr.count("WARNING")
        row.baseline.append(timed(build_command(baseline_config, project / "site-baseline"), project)[0])
        print(f"  {row.label} essai {index + 1}/{runs} : hooks {run.seconds:.1f} s, "
              f"référence {row.baseline[-1].seconds:.1f} s", flush=True)
    weigh_site(row, project / "site-hooked")
    lunr = project / "site-baseline" / "search" / "search_index.json"
    row.baseline_search_mb = round(lunr.stat().st_size / 1e6, 2) if lunr.exists() else 0.0


def weigh_site(row: Row, site: Path) -> None:
    files = [path for path in site.rglob("*") if path.is_file()]
    row.site_files = len(files)
    row.site_mb = round(sum(path.stat().st_size for path in files) / 1e6, 1)
    case_pages = [path for path in (site / "cas").glob("*/index.html")]
    largest = max(case_pages, key=lambda path: path.stat().st_size)
    row.largest_case_kb = round(largest.stat().st_size / 1e3, 1)
    row.largest_case_page = largest.parent.name
    row.bank_page_kb = round((site / "cas" / "index.html").stat().st_size / 1e3, 1)
    total, one_search = weigh_search(site / "pagefind")
    row.search_index_mb, row.search_download_kb = round(total / 1e6, 2), round(one_search / 1e3, 1)


def weigh_search(index: Path) -> tuple[int, int]:
    """Bytes of the whole Pagefind folder, and of what a reader's first search fetches from it: the
    search script and its worker, the entry file, the language's metadata and WebAssembly, the
    largest piece of word index (one word's), every filter piece (the interface counts the filters),
    and the fragments of the first results shown (median size). Files as stored: the index pieces
    are compressed already, the scripts are compressed in transit by most servers."""
    if not index.is_dir():
        return 0, 0
    size = {path: path.stat().st_size for path in index.rglob("*") if path.is_file()}

    def sizes(pattern: str) -> list[int]:
        return [size[path] for path in index.glob(pattern)]

    fragments = sorted(sizes("fragment/*.pf_fragment")) or [0]
    first = (sum(sizes("pagefind.js")) + sum(sizes("pagefind-worker.js")) + sum(sizes("pagefind-entry.json"))
             + sum(sizes("*.pf_meta")) + sum(sizes("wasm.fr.pagefind")) + max(sizes("index/*.pf_index") or [0])
             + sum(sizes("filter/*.pf_filter")) + RESULTS_SHOWN * fragments[len(fragments) // 2])
    return sum(size.values()), first


# --- mkdocs serve: one card edited ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until the page at url contains text (polled every 20 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} ne contient pas « {text} » après {timeout:.0f} s")


def measure_rebuild(project: Path, runs: int) -> dict[str, Any]:
    """Edit one card under `mkdocs serve`; time until the served page shows the edit."""
    cards = sorted((project / "cases").glob("*.md"))
    card = cards[len(cards) // 2]
    port = free_port()
    url = f"http://127.0.0.1:{port}{mount_path(project)}cas/{card.stem}/"
    log_path = project / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--livereload", "-a", f"127.0.0.1:{port}",
                                   "-f", str(project / "mkdocs.yml")], cwd=project, env=ENV, stdout=log, stderr=log)
    original = card.read_text(encoding="utf-8")
    try:
        first_build = wait_for(url, "</html>", timeout=3600)
        seen = [edit_and_wait(card, original, url, index) for index in range(runs)]
    finally:
        server.terminate()
        server.wait(timeout=60)
        card.write_text(original, encoding="utf-8")
    built = [float(value) for value in re.findall(r"Documentation built in ([\d.]+) seconds", log_path.read_text())]
    return {"cases": len(cards), "card": card.name, "first_build_s": round(first_build, 2),
            "seen_s": [round(value, 2) for value in seen], "seen_median_s": round(statistics.median(seen), 2),
            "mkdocs_rebuild_s": built[1:]}


def mount_path(project: Path) -> str:
    """The path `mkdocs serve` serves the site under: the path of site_url."""
    found = re.search(r"^site_url:\s*(\S+)", (project / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    path = urlsplit(found.group(1)).path if found else "/"
    return path if path.endswith("/") else path + "/"


def edit_and_wait(card: Path, original: str, url: str, index: int) -> float:
    """A contributor's edit: one sentence added to the first section of the card."""
    token = f"jeton-de-mesure-{index}-{time.time_ns()}"
    card.write_text(original.replace("## Contexte\n\n", f"## Contexte\n\nModifié ({token}).\n\n", 1),
                    encoding="utf-8")
    seconds = wait_for(url, token, timeout=1800)
    time.sleep(1.0)  # let livereload settle before the next edit
    return seconds


# --- the other benchmark scripts -------------------------------------------------------------------


def run_companion(name: str, args: list[str]) -> dict[str, Any] | None:
    """Run benchmarks/<name> if another part of the project provides it; keep its output."""
    script = ROOT / "benchmarks" / name
    if not script.exists():
        return None
    print(f"… {name} {' '.join(args)}", flush=True)
    result = subprocess.run([PYTHON, str(script), *args], cwd=ROOT, env=ENV, capture_output=True, text=True)
    print(result.stdout[-3000:], result.stderr[-2000:], sep="\n", flush=True)
    return {"command": f"benchmarks/{name} {' '.join(args)}".strip(), "returncode": result.returncode,
            "output": result.stdout[-6000:]}


# --- report ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with_model = Path("/proc/cpuinfo")
    if with_model.exists() and (found := re.search(r"model name\s*:\s*(.+)", with_model.read_text())):
        cpu = found.group(1).strip()
    memory = ""
    if Path("/proc/meminfo").exists() and (found := re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())):
        memory = f"{int(found.group(1)) / 1024 / 1024:.0f} Go"
    versions = subprocess.run([PYTHON, "-c", "import mkdocs, material, markdown; "
                               "print(mkdocs.__version__, material.__version__, markdown.__version__)"],
                              capture_output=True, text=True).stdout.split()
    return {"date": dt.datetime.now().isoformat(timespec="minutes"), "cpu": cpu, "cores": os.cpu_count(),
            "memory": memory, "python": platform.python_version(), "os": platform.platform(),
            "mkdocs": versions[0] if versions else "?", "material": versions[1] if len(versions) > 1 else "?",
            "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}


def fr(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def markdown_table(rows: list[Row]) -> str:
    lines = ["| Cas | Banque | Essais | Build avec hooks | Référence sans hooks | Ratio (temps / processeur) "
             "| Mémoire (hooks / réf.) | Site | Plus grande page de cas | Page banque "
             "| Index de recherche (tout / une recherche) | Index lunr de la référence |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        hooked_mb = statistics.median(run.peak_mb for run in row.hooked)
        base_mb = statistics.median(run.peak_mb for run in row.baseline)
        lines.append(f"| {row.label} | {row.bank} | {len(row.hooked)} | {fr(row.hooked_s)} s | {fr(row.baseline_s)} s | "
                     f"{fr(row.ratio, 2)} / {fr(row.cpu_ratio, 2)} | {fr(hooked_mb, 0)} / {fr(base_mb, 0)} Mo | "
                     f"{fr(row.site_mb)} Mo ({row.site_files} fichiers) | {fr(row.largest_case_kb)} ko | "
                     f"{fr(row.bank_page_kb)} ko | {fr(row.search_index_mb, 2)} Mo / {fr(row.search_download_kb)} ko | "
                     f"{fr(row.baseline_search_mb, 2)} Mo |")
    return "\n".join(lines)


def _cpu(runs: list[Run]) -> float:
    return statistics.median(run.cpu_seconds for run in runs)


def verdicts(rows: list[Row], rebuild: dict[str, Any] | None) -> list[str]:
    lines = []
    for row in rows:
        ok = row.ratio <= TARGETS["ratio"]
        pairs = ", ".join(fr(value, 2) for value in row.paired_ratios)
        lines.append(f"- {row.label} cas ({row.bank}) : ratio {fr(row.ratio, 2)} en temps, {fr(row.cpu_ratio, 2)} en temps "
                     f"processeur (cible ≤ 1,2) {'✅' if ok else '❌'} ; essai par essai : {pairs}")
    for bank in BANKS:
        by_n = {row.cases: row for row in rows if row.bank == bank}
        if 1000 in by_n and 10000 in by_n:
            linear = by_n[10000].hooked_s / by_n[1000].hooked_s
            cpu = _cpu(by_n[10000].hooked) / _cpu(by_n[1000].hooked)
            ok = linear <= TARGETS["linearity"]
            lines.append(f"- linéarité ({bank}) : 10 000 cas = {fr(linear, 2)} × 1 000 cas en temps, {fr(cpu, 2)} × "
                         f"en temps processeur (cible ≤ 10,5) {'✅' if ok else '❌'}")
    if rows:
        largest = max(row.largest_case_kb for row in rows)
        ok = largest <= TARGETS["case_page_kb"]
        lines.append(f"- plus grande page de cas : {fr(largest)} ko (cible ≤ 60 ko) {'✅' if ok else '❌'}")
    if rebuild:
        ok = rebuild["seen_median_s"] <= TARGETS["rebuild_s"]
        lines.append(f"- reconstruction sous `mkdocs serve` après modification d'une fiche, {rebuild['cases']} cas : "
                     f"{fr(rebuild['seen_median_s'], 2)} s jusqu'à la page servie à jour "
                     f"(cible ≤ 2 s) {'✅' if ok else '❌'}")
    return lines


def report(rows: list[Row], rebuild: dict[str, Any] | None, companions: dict[str, Any], info: dict[str, Any],
           runs: int) -> str:
    parts = [f"Mesuré le {info['date']} sur {info['cpu']} ({info['cores']} cœurs, {info['memory']}), "
             f"Python {info['python']}, MkDocs {info['mkdocs']}, Material {info['material']} ; "
             f"charge moyenne au départ {info['load_average']:.1f} ; médiane des essais, étape PDF coupée "
             "(RECUEIL_PDF=0).", "", markdown_table(rows), "",
             *verdicts(rows, rebuild)]
    for result in companions.values():
        if result:
            parts += ["", f"`{result['command']}` :", "", "```text", result["output"].strip(), "```"]
    return "\n".join(parts) + "\n"


# --- main ------------------------------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="nombres de cas, séparés par des virgules")
    parser.add_argument("--runs", type=int, default=3, help="essais par build (médiane)")
    parser.add_argument("--runs-large", type=int, default=None,
                        help="essais par build à partir de 10 000 cas (par défaut : --runs)")
    parser.add_argument("--quick", action="store_true", help="N = 100 et 1 000, un essai, sans PDF ni filtre")
    parser.add_argument("--serve-n", type=int, default=1000, help="cas pour la mesure sous mkdocs serve (0 : sans)")
    parser.add_argument("--no-real", action="store_true", help="sans la ligne du contenu réel du dépôt")
    parser.add_argument("--banks", default=",".join(BANKS),
                        help="banques complétant les fiches réelles : synthetique (fiches générées), copies "
                             "(copies des fiches réelles), séparées par des virgules")
    parser.add_argument("--no-companions", action="store_true", help="sans bench_pdf.py ni bench_filter.py")
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="dossier des résultats")
    parser.add_argument("--workdir", default=None, help="dossier de travail (par défaut : temporaire, effacé)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.no_companions = "100,1000", 1, True
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="recueil-bench-"))
    info = machine()
    rows: list[Row] = []
    try:
        banks = [bank.strip() for bank in args.banks.split(",") if bank.strip()]
        unknown = set(banks) - set(BANKS)
        if unknown:
            sys.exit(f"banque inconnue : {', '.join(sorted(unknown))} (connues : {', '.join(BANKS)})")
        todo = ([] if args.no_real else [("réel", None, "réel")]) + [
            (fr(n, 0), n, bank) for n in sizes for bank in banks]
        for label, count, bank in todo:
            project = make_project(work / f"projet-{bank}-{count or 'reel'}", count,
                                   bank if bank in BANKS else "synthetique")
            row = Row(label, count or len(list((project / "cases").glob("*.md"))), bank)
            large = count is not None and count >= 10_000 and args.runs_large is not None
            measure_size(row, project, args.runs_large if large else args.runs)
            rows.append(row)
            print(markdown_table([row]).splitlines()[-1], flush=True)
        rebuild = None
        if args.serve_n:
            project = make_project(work / f"serve-{args.serve_n}", args.serve_n)
            rebuild = measure_rebuild(project, runs=max(args.runs, 3))
            print(f"  serve : {rebuild}", flush=True)
        companions = {} if args.no_companions else {
            "pdf": run_companion("bench_pdf.py", ["--out", args.out]),
            "filter": run_companion("bench_filter.py", ["--out", args.out])}
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    write_results(Path(args.out), rows, rebuild, companions, info, args.runs)
    return 0


def write_results(out: Path, rows: list[Row], rebuild: dict[str, Any] | None, companions: dict[str, Any],
                  info: dict[str, Any], runs: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = report(rows, rebuild, companions, info, runs)
    data = {"machine": info, "runs": runs, "targets": TARGETS, "rebuild": rebuild, "companions": companions,
            "rows": [{**asdict(row), "hooked_s": row.hooked_s, "baseline_s": row.baseline_s, "ratio": row.ratio,
                      "cpu_ratio": row.cpu_ratio, "paired_ratios": row.paired_ratios}
                     for row in rows]}
    (out / f"build-{stamp}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / f"build-{stamp}.md").write_text(text, encoding="utf-8")
    print("\n" + text + f"\nRésultats : {out}/build-{stamp}.json et .md")


if __name__ == "__main__":
    sys.exit(main())
