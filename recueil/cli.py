"""The `recueil` command: check cards, start new ones, write the generated pages and schemas."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .linking import Bank, load_bank
from .loading import SLUG, slugify
from .pages import PageMaker
from .problems import CardErrors
from .project import Project
from .schema import SCHEMA_FILES, schema_text, skeleton
from .taxonomy import TaxonomyError, load_taxonomy

KIND_WORDS = {"case": "case", "cas": "case", "recommendation": "recommendation", "recommandation": "recommendation"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    project = Project(Path(args.root).resolve())
    try:
        return int(args.run(project, args))
    except TaxonomyError as error:
        print(f"erreur: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recueil", description="Fiches du recueil : vérifier, créer, produire.")
    parser.add_argument("--root", default=".", help="dossier du projet (par défaut : le dossier courant)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="vérifier toutes les fiches et lister chaque problème")
    check.add_argument("--github", action="store_true", help="sortie en annotations GitHub Actions")
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


def _github(problem: object) -> str:
    from .problems import Problem
    assert isinstance(problem, Problem)
    level = "error" if problem.is_error else "warning"
    text = f"{problem.field}: {problem.message}" + (f" ({problem.hint})" if problem.hint else "")
    return f"::{level} file={problem.path},line={problem.line}::{text}"


def run_check(project: Project, args: argparse.Namespace) -> int:
    bank = load_or_report(project, args.github)
    if bank is None:
        return 1
    print(f"{len(bank.cases)} fiches expérience et {len(bank.recommendations)} recommandations : aucune erreur.")
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
    count = 0
    for page in PageMaker(bank, project).pages():
        target = out / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
        count += 1
    print(f"{count} pages écrites dans {out}")
    return 0


def run_schema(project: Project, args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(project.taxonomy)
    rec_ids = sorted(p.stem for p in project.recommendations.glob("*.md"))
    out = Path(args.out) if Path(args.out).is_absolute() else project.root / args.out
    out.mkdir(parents=True, exist_ok=True)
    for kind, name in SCHEMA_FILES.items():
        (out / Path(name).name).write_text(schema_text(kind, taxonomy, rec_ids), encoding="utf-8")
    print(f"schémas écrits dans {project.display(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
