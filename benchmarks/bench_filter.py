"""Bank filter benchmark: how long one filter interaction takes in Chromium with 5,000 cards.

A copy of this repository's site gets N synthetic cases (benchmarks/synthetic.py) instead of the
real ones and is built with the hooks (PDF off). Chromium (Debian's /usr/bin/chromium, driven by
Playwright) opens the bank page and plays a fixed sequence of interactions: ticking and unticking
themes, sizes, an axis, a region, choosing a year range. For each one the page measures, with
performance.now():

- script: the click and the filter script's work (the change event runs synchronously);
- layout: the same plus the style and layout it causes (forced by reading offsetHeight);
- frame: until the next frame is ready (requestAnimationFrame then a task), i.e. what a reader waits;
- cpu: the CPU time of the page's main thread from one interaction to the next (from a Chromium
  trace), which other processes on the same cores do not inflate.

The target is a median frame time under 50 ms. Also reported: the weight of the bank page (raw and
gzip), of its script, the time until the filters work on page load, and the machine's load average
(other processes on the same cores inflate every figure).

    .venv/bin/python benchmarks/bench_filter.py                 # 5,000 cases, 5 rounds
    .venv/bin/python benchmarks/bench_filter.py --cases 1000 --rounds 3
Results: printed, and written to bench-results/filter-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_synthetic_cases  # noqa: E402

CHROMIUM = os.environ.get("RECUEIL_CHROMIUM", "/usr/bin/chromium")
TARGET_MS = 50.0
PAUSE_MS = 300  # between two interactions, as a reader reads the counts before the next click
COPIED = ("mkdocs.yml", "taxonomies.yml", "hooks", "docs", "overrides", "recommendations", "templates")
# Each step names a control of the bank page (an <input> by facet and value, or a year <select>).
STEPS: list[tuple[str, str, str]] = [
    ("check", "theme", "mobilite"), ("check", "theme", "energie"), ("check", "taille", "ville-moyenne"),
    ("check", "axe", "b"), ("uncheck", "theme", "mobilite"), ("check", "region", "bretagne"),
    ("year", "annee-de", "2015"), ("year", "annee-a", "2020"), ("uncheck", "axe", "b"),
    ("check", "statut", "realise"), ("uncheck", "region", "bretagne"), ("year", "annee-de", ""),
    ("uncheck", "taille", "ville-moyenne"), ("year", "annee-a", ""), ("uncheck", "statut", "realise"),
    ("uncheck", "theme", "energie"),
]

MEASURE = """async ([kind, name, value]) => {
  const control = kind === "year" ? document.querySelector(`select[name="${name}"]`)
                                  : document.querySelector(`input[name="${name}"][value="${value}"]`);
  if (!control) throw new Error(`no control ${name}=${value}`);
  console.timeStamp("recueil-step");
  const start = performance.now();
  if (kind === "year") { control.value = value; control.dispatchEvent(new Event("change", {bubbles: true})); }
  else if (control.checked !== (kind === "check")) control.click();
  const script = performance.now();
  document.body.offsetHeight;
  const layout = performance.now();
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  const frame = performance.now();
  const shown = document.querySelectorAll(".recueil-bank__list > li:not([hidden])").length;
  return {script: script - start, layout: layout - start, frame: frame - start, shown};
}"""


def make_project(target: Path, cases: int, seed: int) -> Path:
    """This repository's site sources with `cases` synthetic cards in place of the real ones."""
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    write_synthetic_cases(target / "cases", cases, seed=seed)
    return target


def build(project: Path) -> tuple[Path, float]:
    out = project / "site"
    env = {**os.environ, "RECUEIL_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=project, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"la construction du site a échoué :\n{result.stderr[-4000:]}")
    return out, time.perf_counter() - started


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> str:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def page_weight(site: Path) -> dict[str, float]:
    html = (site / "cas" / "index.html").read_bytes()
    script = (site / "assets" / "recueil-bank.js").read_bytes()
    data = (site / "cas" / "banque.json").read_bytes() if (site / "cas" / "banque.json").exists() else b""
    return {"bank_html_kb": len(html) / 1024, "bank_html_gzip_kb": len(gzip.compress(html)) / 1024,
            "script_kb": len(script) / 1024, "script_gzip_kb": len(gzip.compress(script)) / 1024,
            "bank_data_kb": len(data) / 1024, "bank_data_gzip_kb": len(gzip.compress(data)) / 1024}


def measure(url: str, rounds: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # The first view: every response of a first visit, compressed as servers send text (gzip).
        first_view: list[int] = []

        def weigh(response: Any) -> None:
            if response.ok:
                first_view.append(len(gzip.compress(response.body())))

        page.on("response", weigh)
        page.goto(url + "cas/")
        page.wait_for_selector(".recueil-bank--live")
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", weigh)
        first_view_kb = sum(first_view) / 1024
        in_dom = page.locator(".recueil-bank__list > li").count()
        loads = []
        for _ in range(3):
            started = time.perf_counter()
            page.goto(url + "cas/")
            page.wait_for_selector(".recueil-bank--live")
            loads.append((time.perf_counter() - started) * 1000)
        cards = page.evaluate("document.querySelector('[data-recueil-bank]').recueilSelection().length")
        listed = page.locator(".recueil-bank__list > li").count()
        samples = []
        trace = Path(tempfile.mkdtemp(prefix="bench-filter-trace-")) / "trace.json"
        browser.start_tracing(page=page, path=str(trace),
                              categories=["devtools.timeline", "disabled-by-default-devtools.timeline"])
        for _ in range(rounds):
            for step in STEPS:
                samples.append(page.evaluate(MEASURE, list(step)))
                page.wait_for_timeout(PAUSE_MS)
        page.evaluate("console.timeStamp('recueil-step')")
        browser.stop_tracing()
        browser.close()
    for sample, cpu in zip(samples, main_thread_cpu(trace), strict=True):
        sample["cpu"] = cpu
    shutil.rmtree(trace.parent, ignore_errors=True)
    return {"cards": cards, "listed": listed, "load_ms": statistics.median(loads), "samples": samples,
            "first_view_kb": round(first_view_kb, 1), "first_view_cards_in_html": in_dom}


def main_thread_cpu(trace: Path) -> list[float]:
    """CPU time (ms) of the page's main thread from each interaction to the next, pause included.

    Unlike the clock readings, this does not grow when other processes share the cores: it is what
    the interaction costs, whatever the machine is doing besides."""
    events = json.loads(trace.read_text(encoding="utf-8"))
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"}
    stamps = sorted(e["ts"] for e in events if e.get("name") == "TimeStamp"
                    and e.get("args", {}).get("data", {}).get("message") == "recueil-step")
    tasks = [e for e in events if e.get("name") == "RunTask" and e.get("ph") == "X" and (e["pid"], e["tid"]) in main]
    return [sum(e.get("tdur", 0) for e in tasks if start <= e["ts"] < end) / 1000
            for start, end in zip(stamps, stamps[1:], strict=False)]


def summary(samples: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    def stats(key: str) -> dict[str, float]:
        values = sorted(sample[key] for sample in samples)
        return {"median": statistics.median(values), "p90": values[int(0.9 * (len(values) - 1))], "max": values[-1]}
    return {key: stats(key) for key in ("script", "layout", "frame", "cpu")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000, help="nombre de fiches synthétiques (5000)")
    parser.add_argument("--rounds", type=int, default=5, help="passages de la séquence d'interactions (5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="dossier des résultats")
    parser.add_argument("--workdir", default=None,
                        help="dossier de travail gardé après la mesure ; s'il contient déjà site/, pas de reconstruction")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-filter-") as temporary:
        work = Path(args.workdir or temporary)
        if (work / "project" / "site" / "cas" / "index.html").exists():
            site, build_s = work / "project" / "site", None
        else:
            site, build_s = build(make_project(work / "project", args.cases, args.seed))
        weight = page_weight(site)
        run = measure(serve(site), args.rounds)
    result = {"date": dt.datetime.now().isoformat(timespec="seconds"), "cases": args.cases, "rounds": args.rounds,
              "interactions": len(run["samples"]), "cards_on_page": run["cards"], "cards_in_list": run["listed"],
              "load_average": os.getloadavg()[0], "cpus": os.cpu_count(), "build_s": build_s,
              "load_ms": run["load_ms"], **weight, "ms": summary(run["samples"]), "target_ms": TARGET_MS,
              "first_view_kb": run["first_view_kb"], "first_view_cards_in_html": run["first_view_cards_in_html"]}
    result["meets_target"] = result["ms"]["frame"]["median"] < TARGET_MS
    report(result)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"filter-{dt.date.today().isoformat()}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0 if result["meets_target"] else 1


def report(result: dict[str, Any]) -> None:
    ms = result["ms"]
    built = "déjà construit" if result["build_s"] is None else f"construit en {result['build_s']:.0f} s"
    print(f"Banque : {result['cards_on_page']} fiches dans la page, {result['cards_in_list']} dans la liste affichée "
          f"(site {built})")
    print(f"Machine : {result['cpus']} processeurs, charge moyenne {result['load_average']:.1f} pendant la mesure")
    print(f"Poids de la page : {result['bank_html_kb']:.0f} Kio ({result['bank_html_gzip_kb']:.0f} Kio gzip) ; "
          f"script {result['script_kb']:.1f} Kio ({result['script_gzip_kb']:.1f} Kio gzip)")
    print(f"Données de la banque (cas/banque.json, chargées au premier filtre) : {result.get('bank_data_kb', 0):.0f} Kio "
          f"({result.get('bank_data_gzip_kb', 0):.0f} Kio gzip)")
    print(f"Première vue de /cas/ : {result.get('first_view_kb', 0):.0f} Kio transférés (gzip), "
          f"{result.get('first_view_cards_in_html', 0)} fiches dans la liste")
    print(f"Chargement jusqu'aux filtres actifs : {result['load_ms']:.0f} ms (médiane de 3)")
    print(f"{result['interactions']} interactions, en ms : médiane / p90 / max")
    for key, label in (("script", "script"), ("layout", "script + mise en page"), ("frame", "jusqu'à l'image suivante"),
                       ("cpu", "CPU du fil principal")):
        print(f"  {label:<26} {ms[key]['median']:6.1f} / {ms[key]['p90']:6.1f} / {ms[key]['max']:6.1f}")
    verdict = "tenu" if result["meets_target"] else "NON TENU"
    print(f"Objectif < {result['target_ms']:.0f} ms par interaction (médiane, image suivante) : {verdict}")


if __name__ == "__main__":
    sys.exit(main())
