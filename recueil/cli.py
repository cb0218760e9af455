"""The `recueil` command: check cards, start new ones, write the generated pages and schemas, index a built site."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from recueil.addresses import GUIDE_PDF, HOME_URI, SCHEMA_FILES, engine_assets
from recueil.bank.bank import Bank, load_bank
from recueil.cards.loading import SLUG, load_folder, slugify
from recueil.cards.problems import CardErrors, Problem
from recueil.cards.schema import schema_text, skeleton
from recueil.cards.taxonomy import TaxonomyError, load_taxonomy
from recueil.outputs.booklet import Selection, SelectionError, select_cases
from recueil.outputs.contribution import github_files
from recueil.outputs.engines import ENGINES, SITE_DIR, EngineError, finish, prepare, replace_site, run_engine
from recueil.outputs.export import write_exports
from recueil.outputs.issue_card import write_checked_card
from recueil.outputs.pdf import PdfSettingError, write_pdf
from recueil.outputs.pdf_cache import order
from recueil.outputs.site_files import SettingsError, settings_of, site_contents, site_settings
from recueil.project import Project
from recueil.search.pagefind import SearchIndexError, index_site
from recueil.shown import SafeStream, annotation
from recueil.site.home import MarkerError, expanded_home
from recueil.upkeep.curation import DEFAULT_MAX_AGE_DAYS, curation_warnings, stats_text
from recueil.upkeep.link_check import check_urls, collect_links, markdown_report, report_lines
from recueil.upkeep.report import curation_report

KIND_WORDS = {"case": "case", "cas": "case", "recommendation": "recommendation", "recommandation": "recommendation"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    project = Project(Path(args.root).resolve())
    # Every message of every command quotes cards: none may send an escape sequence to the terminal.
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)  # type: ignore[assignment]
    try:
        return int(args.run(project, args))
    except (TaxonomyError, SettingsError, PdfSettingError) as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 2
    finally:
        sys.stdout, sys.stderr = out, err


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recueil", description="Fiches du recueil : vérifier, créer, produire.")
    parser.add_argument("--root", default=".", help="dossier du projet (par défaut : le dossier courant)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="vérifier toutes les fiches et lister chaque problème")
    check.add_argument("--github", action="store_true", help="sortie en annotations GitHub Actions")
    check.add_argument("--max-age-days", type=int, default=DEFAULT_MAX_AGE_DAYS, metavar="JOURS",
                       help="signaler les fiches vérifiées il y a plus de JOURS jours "
                            f"(par défaut : {DEFAULT_MAX_AGE_DAYS} ; 0 : ne pas signaler)")
    check.set_defaults(run=run_check)
    new = commands.add_parser("new", help="créer une fiche à partir du modèle commenté")
    new.add_argument("kind", choices=sorted(KIND_WORDS), help="case ou recommendation")
    new.add_argument("slug", help="nom du fichier, sans .md (minuscules, chiffres, tirets)")
    new.set_defaults(run=run_new)
    render = commands.add_parser("render", help="écrire les pages générées en Markdown (pour un moteur sans hooks)")
    render.add_argument("--out", required=True, help="dossier de sortie")
    render.set_defaults(run=run_render)
    schema = commands.add_parser("schema", help="écrire les schémas JSON des fiches (pour les éditeurs)")
    schema.add_argument("--out", default="schemas", help="dossier de sortie (par défaut : schemas)")
    schema.set_defaults(run=run_schema)
    stats = commands.add_parser("stats", help="compter les fiches par thème, taille, recommandation et programme")
    stats.set_defaults(run=run_stats)
    export = commands.add_parser("export", help="écrire les données ouvertes (JSON, CSV, Table Schema) et le flux Atom")
    export.add_argument("--out", required=True, help="dossier de sortie")
    export.add_argument("--site-url", default="", help="adresse du site, pour les liens absolus (ex. https://…/)")
    export.set_defaults(run=run_export)
    github = commands.add_parser("github-files", help="écrire le formulaire de ticket et le modèle de fiche de .github/")
    github.set_defaults(run=run_github_files)
    issue = commands.add_parser("from-issue", help="faire une fiche de cases/ à partir du texte d'un ticket "
                                "« Proposer une expérience » et la vérifier (affiche son chemin)")
    issue.add_argument("body_file", metavar="BODY_FILE", help="fichier qui contient le texte (body) du ticket")
    issue.set_defaults(run=run_from_issue)
    links = commands.add_parser("links", help="vérifier les liens externes des fiches et des pages (réseau requis)")
    links.add_argument("--github", action="store_true", help="sortie en annotations GitHub Actions")
    links.add_argument("--report", help="écrire aussi un rapport Markdown dans ce fichier")
    links.add_argument("--timeout", type=float, default=20.0, help="délai par adresse, en secondes (par défaut : 20)")
    links.set_defaults(run=run_links)
    report = commands.add_parser("curation-report", help="afficher en Markdown le rapport des curateurs : "
                                 "fiches à revérifier et, avec --links, liens cassés")
    report.add_argument("--max-age-days", type=int, default=DEFAULT_MAX_AGE_DAYS, metavar="JOURS",
                        help=f"fiches vérifiées il y a plus de JOURS jours (par défaut : {DEFAULT_MAX_AGE_DAYS})")
    report.add_argument("--links", action="store_true", help="vérifier aussi les liens externes (réseau requis)")
    report.add_argument("--timeout", type=float, default=20.0, help="délai par adresse, en secondes (par défaut : 20)")
    report.set_defaults(run=run_curation_report)
    pdf = commands.add_parser("pdf", help="imprimer le guide en PDF, ou un livret des seules fiches choisies")
    pdf.add_argument("--out", required=True, help="fichier PDF à écrire")
    pdf.add_argument("--theme", action="append", default=[], metavar="ID", help="thème (option répétable)")
    pdf.add_argument("--taille", action="append", default=[], metavar="ID", help="taille de collectivité (répétable)")
    pdf.add_argument("--axe", metavar="ID", help="axe du guide (A, B, C ou D)")
    pdf.add_argument("--programme", metavar="ID", help="programme d'accompagnement")
    pdf.add_argument("--config", metavar="FICHIER", help="réglages du site (couverture) : par défaut mkdocs.yml")
    pdf.add_argument("--fresh", action="store_true",
                     help="imprimer à nouveau même si le cache (.cache/recueil/pdf/) a déjà ce livret")
    pdf.set_defaults(run=run_pdf)
    engines = sorted(ENGINES)
    build = commands.add_parser("build", help="construire le site avec un moteur : mkdocs, properdocs (hooks) ou "
                                              "zensical (préparer, construire, terminer)")
    build.add_argument("--engine", choices=engines, default="mkdocs", help="moteur (par défaut : mkdocs)")
    build.add_argument("--out", default="site", help="dossier du site construit (par défaut : site)")
    build.add_argument("--work", default=".cache/recueil/moteur",
                       help="dossier de travail d'un moteur sans hooks (par défaut : .cache/recueil/moteur)")
    build.add_argument("--strict", action="store_true", help="échouer au moindre avertissement du moteur")
    build.set_defaults(run=run_build)
    prep = commands.add_parser("prepare", help="écrire le dossier qu'un moteur sans hooks construit "
                                               "(pages, fichiers publiés, thème, configuration sans hooks)")
    prep.add_argument("--engine", choices=engines, default="zensical", help="moteur (par défaut : zensical)")
    prep.add_argument("--out", required=True, help="dossier de travail à écrire (vidé d'abord)")
    prep.set_defaults(run=run_prepare)
    fin = commands.add_parser("finish", help="terminer un site construit sans hooks : fiches assainies, flux, "
                                             "index de recherche, données publiées, PDF")
    fin.add_argument("--site", required=True, help="dossier du site construit")
    fin.set_defaults(run=run_finish)
    search = commands.add_parser("search-index", help="indexer un site déjà construit pour sa recherche (Pagefind)")
    search.add_argument("--site", default="site", help="dossier du site construit (par défaut : site)")
    search.set_defaults(run=run_search_index)
    return parser


def load_or_report(project: Project, github: bool = False) -> Bank | None:
    try:
        bank = load_bank(project)
    except CardErrors as failure:
        for problem in failure.problems:
            print(_github(problem) if github else str(problem), file=sys.stderr)
        errors = sum(problem.is_error for problem in failure.problems)
        print(f"{errors} erreur(s) : corrigez-les puis relancez « recueil check ».", file=sys.stderr)
        return None
    for warning in bank.warnings:
        print(_github(warning) if github else str(warning), file=sys.stderr)
    return bank


def _github(problem: Problem) -> str:
    level = "error" if problem.is_error else "warning"
    text = f"{problem.field}: {problem.message}" + (f" ({problem.hint})" if problem.hint else "")
    return annotation(level, problem.path, problem.line, text)


def write_tree(base: Path, files: dict[str, str]) -> list[str]:
    """Write {relative path: text} under base, creating folders; returns the paths written."""
    for relative, text in files.items():
        target = base / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return list(files)


def run_check(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project, args.github)
    if bank is None:
        return 1
    for warning in curation_warnings(bank, args.max_age_days):
        print(_github(warning) if args.github else str(warning), file=sys.stderr)
    print(f"{len(bank.cases)} fiches expérience et {len(bank.recommendations)} recommandations : aucune erreur.")
    return 0


def run_stats(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    print(stats_text(bank), end="")
    return 0


def run_github_files(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    for relative in write_tree(project.root, github_files(bank)):
        print(f"{relative} écrit")
    return 0


def run_from_issue(project: Project, args: argparse.Namespace) -> int:
    try:
        body = Path(args.body_file).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        print(f"erreur: lecture de {args.body_file} impossible ({error.strerror})", file=sys.stderr)
        return 2
    try:
        written, problems = write_checked_card(project, body)
    except CardErrors as failure:
        for found in failure.problems:
            print(str(found), file=sys.stderr)
        print("Le recueil a déjà des erreurs : corrigez-les avant de transformer un ticket.", file=sys.stderr)
        return 2
    if written is None:
        print("La proposition ne peut pas encore devenir une fiche :", file=sys.stderr)
        for line in problems:
            print(f"- {line}", file=sys.stderr)
        return 1
    print(project.display(written))
    return 0


def run_links(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    places = collect_links(bank, project)
    results = check_urls(places, args.timeout)
    for line in report_lines(results, places, args.github):
        print(line)
    if args.report:
        Path(args.report).write_text(markdown_report(results, places), encoding="utf-8")
    broken = sum(result.broken for result in results)
    print(f"{len(results)} adresses vérifiées : {broken} cassée(s).", file=sys.stderr)
    return 1 if broken else 0


def run_curation_report(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    links = None
    if args.links:
        places = collect_links(bank, project)
        links = (check_urls(places, args.timeout), places)
    settings = settings_of(site_settings(project))
    file_url = f"{settings.repo_url.rstrip('/')}/blob/{settings.branch}/{{path}}" if settings.repo_url else ""
    print(curation_report(bank, dt.date.today(), args.max_age_days, file_url, links), end="")
    return 0


def run_export(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    out = Path(args.out)
    site_url = args.site_url if not args.site_url or args.site_url.endswith("/") else args.site_url + "/"
    written = write_exports(bank, out, site_url)
    print(f"{len(written)} fichiers écrits dans {out}")
    return 0


def run_new(project: Project, args: argparse.Namespace) -> int:
    kind = KIND_WORDS[args.kind]
    if not SLUG.match(args.slug):
        print(f"erreur: nom invalide '{args.slug}' (essayez : {slugify(args.slug)})", file=sys.stderr)
        return 2
    folder = project.cases if kind == "case" else project.recommendations
    target = folder / f"{args.slug}.md"
    if target.exists():
        print(f"erreur: {project.display(target)} existe déjà", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(kind, load_taxonomy(project.taxonomy), args.slug), encoding="utf-8")
    print(f"{project.display(target)} créé : remplissez chaque champ, puis lancez « recueil check ».")
    return 0


def run_render(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    out = Path(args.out)
    try:
        home = expanded_home(bank, project)
    except MarkerError as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 1
    pages, published = site_contents(bank, project, settings_of(site_settings(project)))
    count = len(write_tree(out, {page.src_uri: page.content for page in pages}))
    if home is not None:
        (out / HOME_URI).write_text(home, encoding="utf-8")
        count += 1
    write_tree(out, published)
    for path, source in engine_assets().items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / path)
    print(f"{count} pages, {len(published)} fichiers publiés et {len(engine_assets())} fichiers du moteur "
          f"écrits dans {out}")
    return 0


def run_pdf(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    selection = Selection(tuple(args.theme), tuple(args.taille), args.axe, args.programme)
    try:
        chosen = select_cases(bank, selection.themes, selection.strata, selection.axis, selection.programme)
    except SelectionError as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 2
    if not chosen:
        print("erreur: aucune fiche ne correspond à cette sélection (essayez « recueil stats »)", file=sys.stderr)
        return 1
    settings = site_settings(project, Path(args.config) if args.config else None)
    outcome = write_pdf(order(bank, project, settings, selection), Path(args.out), reuse=not args.fresh)
    how = "repris du cache" if outcome.reused else "imprimé"
    print(f"{args.out} écrit : {outcome.pages} pages, {len(chosen)} fiche(s) expérience, {how} en {outcome.seconds:.1f} s")
    return 0


def run_prepare(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    try:
        config = prepare(bank, project, _in_project(project, args.out), ENGINES[args.engine])
    except (EngineError, MarkerError) as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 1
    print(f"{project.display(config.parent)} prêt : « python -m {args.engine} build -f {project.display(config)} », "
          f"puis « recueil finish --site {project.display(config.parent / SITE_DIR)} »")
    return 0


def run_finish(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project)
    if bank is None:
        return 1
    site = _in_project(project, args.site)
    try:
        outcome = finish(bank, project, site)
    except (EngineError, SearchIndexError) as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 1
    pdf = f", {GUIDE_PDF} : {outcome.pdf_pages} pages" if outcome.pdf_pages is not None else ""
    print(f"{project.display(site)} terminé : {outcome.pages} pages dont {outcome.card_pages} de fiches assainies, "
          f"{outcome.search.pages} pages indexées{pdf}")
    return 0


def run_build(project: Project, args: argparse.Namespace) -> int:
    engine, out = ENGINES[args.engine], _in_project(project, args.out)
    if engine.runs_hooks:  # the hooks check the cards, add the pages and files, index and print during the build
        try:
            seconds = run_engine(engine, project.root / "mkdocs.yml", out, args.strict)
        except EngineError as error:
            print(f"erreur: {error}", file=sys.stderr)
            return 1
        print(f"{project.display(out)} construit par {engine.name} en {seconds:.1f} s")
        return 0
    bank = load_or_report(project)
    if bank is None:
        return 1
    work = _in_project(project, args.work) / engine.name
    try:
        config = prepare(bank, project, work, engine)
        seconds = run_engine(engine, config, None, args.strict)
        outcome = finish(bank, project, work / SITE_DIR)
        replace_site(work / SITE_DIR, out)
    except (EngineError, MarkerError, SearchIndexError) as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 1
    print(f"{project.display(out)} construit par {engine.name} en {seconds:.1f} s, puis terminé : "
          f"{outcome.pages} pages, {outcome.search.pages} indexées"
          + (f", {GUIDE_PDF} de {outcome.pdf_pages} pages" if outcome.pdf_pages is not None else ""))
    return 0


def _in_project(project: Project, path: str) -> Path:
    return Path(path) if Path(path).is_absolute() else project.root / path


def run_search_index(project: Project, args: argparse.Namespace) -> int:
    site = Path(args.site)
    try:
        outcome = index_site(site if site.is_absolute() else project.root / site)
    except SearchIndexError as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 1
    print(f"recherche : {outcome.pages} pages indexées en {outcome.seconds:.1f} s, "
          f"index de {outcome.size_bytes / 1e6:.1f} Mo dans {project.display(outcome.folder)}")
    return 0


def run_schema(project: Project, args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(project.taxonomy)
    # In number order, as the site's form lists them (a card that does not load goes last, by name).
    numbers = {card.slug: getattr(card.meta, "number", 0) for card in load_folder(project, "recommendation").cards}
    rec_ids = sorted((p.stem for p in project.recommendations.glob("*.md")),
                     key=lambda slug: (slug not in numbers, numbers.get(slug, 0), slug))
    out = Path(args.out) if Path(args.out).is_absolute() else project.root / args.out
    out.mkdir(parents=True, exist_ok=True)
    for kind, name in SCHEMA_FILES.items():
        (out / Path(name).name).write_text(schema_text(kind, taxonomy, rec_ids), encoding="utf-8")
    print(f"schémas écrits dans {project.display(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
