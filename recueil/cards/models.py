"""The card schema, declared once.

Validation, the JSON Schema for editors, the skeletons of `recueil new` and the page that
documents the fields all derive from these models. Descriptions are in French: contributors
read them in their editor and in the generated template.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from recueil.cards.suggest import fold

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s<>\"']+$")]
Year = Annotated[int, Field(ge=1900, le=2100)]


def _date_as_text(value: object) -> object:
    """YAML reads 2019-01-09 as a date and 2019 as a number: both are the text the field holds."""
    return value.isoformat() if isinstance(value, dt.date) else str(value) if isinstance(value, int) else value


# A publication date as precise as the document gives it: a year, a month or a day.
PartialDate = Annotated[str, BeforeValidator(_date_as_text), StringConstraints(
    strip_whitespace=True, pattern=r"^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]


FRANCE = "France"  # the country of a case in France, as every page, filter, export and the map read it
# How a card may write France: « france », « FRANCE », « Françe », « FR » are read as « France » (`country_name`).
FRANCE_SPELLINGS = frozenset({"france", "fr"})


def country_name(value: str) -> str:
    """The country as the site names it: France however the card writes it (case, accents, « FR »),
    any other country as given."""
    return FRANCE if fold(value).strip() in FRANCE_SPELLINGS else value


MULTI_TERRITORY = "multi-territoires"  # the territory kind of a national call or a network: no one place on a map
# The statuses (ids of the list statuses of taxonomies.yml) that say an action is still to come or still running:
# with a past end_year, `recueil check` refuses them; on an old document, the bank marks them « à confirmer »
# (recueil/bank/freshness.py).
ONGOING_STATUSES = ("projet", "en-cours")


class Card(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Territory(Card):
    """Le territoire qui a mené l'action."""

    name: Line | None = Field(None, title="Nom du territoire",
                              description="Nom usuel du territoire, par exemple « Angers Loire Métropole ». "
                                          "Repris du référentiel officiel si omis et qu'un code insee ou "
                                          "siren est donné.",
                              examples=["Niort"])
    kind: str | None = Field(None, title="Type de territoire",
                             description="Nature du territoire (identifiant de la liste territory_kinds). "
                                         "Déduite du code si omise : commune pour insee, intercommunalité pour siren.",
                             examples=["commune"])
    population: int | None = Field(None, ge=0, le=200_000_000, title="Population",
                                   description="Nombre d'habitants (entier), tel que le donne une source. À omettre "
                                               "si un code insee ou siren est donné : la population légale la plus "
                                               "récente du référentiel est reprise. Sans code ni chiffre, la fiche "
                                               "affichera « taille non renseignée ».",
                                   examples=[58707])
    population_year: Year | None = Field(None, title="Année de la population",
                                         description="Année du chiffre de population.", examples=[2021])
    population_source: Line | None = Field(None, title="Source de la population",
                                           description="D'où vient le chiffre de population.",
                                           examples=["Insee, population légale 2021"])
    region: Line | None = Field(None, title="Région",
                                description="Région (ou État, province pour l'étranger). Reprise du référentiel "
                                            "si omise et qu'un code est donné.",
                                examples=["Nouvelle-Aquitaine"])
    departement: Line | None = Field(None, title="Département",
                                     description="Département. Repris du référentiel si omis et qu'un code est donné.",
                                     examples=["Deux-Sèvres"])
    country: Annotated[Line, AfterValidator(country_name)] = Field(
        FRANCE, title="Pays", description="Pays.", examples=["France"])
    insee: Annotated[str, StringConstraints(pattern=r"^(\d[0-9AB]\d{3}|\d[0-9AB]|9[78]\d)$")] | None = Field(
        None, title="Code Insee de la commune",
        description="Code officiel géographique (Insee) de la commune, 5 caractères, entre guillemets ; "
                    "pour un département, son code (2 ou 3 caractères, par exemple « 91 »). "
                    "Pour une intercommunalité, donnez siren.", examples=["79191"])
    siren: Annotated[str, StringConstraints(pattern=r"^\d{9}$")] | None = Field(
        None, title="SIREN de l'intercommunalité",
        description="SIREN de l'intercommunalité (EPCI à fiscalité propre), 9 chiffres, entre guillemets.",
        examples=["200041317"])
    lat: float | None = Field(None, allow_inf_nan=False, ge=-90, le=90, title="Latitude",
                              description="Latitude du centre (degrés décimaux).", examples=[46.3237])
    lon: float | None = Field(None, allow_inf_nan=False, ge=-180, le=180, title="Longitude",
                              description="Longitude du centre (degrés décimaux).", examples=[-0.4588])


class Source(Card):
    """Un document d'où viennent les faits de la fiche."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)] = Field(
        title="Titre du document", description="Titre du document, auteur, date, et la section utilisée.",
        examples=["Communiqué Banque des Territoires et OpenDataFrance, 13 octobre 2022"])
    url: Url | None = Field(None, title="Adresse web du document",
                            description="Adresse web (http ou https) du document, si elle existe.",
                            examples=["https://www.opendatafrance.fr/"])
    date: PartialDate | None = Field(None, title="Date du document",
                                     description="Date de publication du document, aussi précise qu'il la donne : "
                                                 "AAAA-MM-JJ, AAAA-MM ou AAAA.", examples=["2022-10-13"])
    lang: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] | None = Field(
        None, title="Langue du document",
        description="Langue du titre du document, s'il n'est pas en français : son code, « en » pour l'anglais, "
                    "« de » pour l'allemand, « es » pour l'espagnol. Le titre (la partie entre « », s'il y en a "
                    "une) est alors marqué dans cette langue sur la page, dans le livret PDF et dans les exports, "
                    "pour qu'un lecteur d'écran le prononce bien.", examples=["en"])


class KeyFigure(Card):
    """Un chiffre clé du territoire ou du projet, tel que donné par la source."""

    label: Line = Field(title="Ce que mesure le chiffre", description="Ce que mesure le chiffre.", examples=["Communes"])
    value: Line = Field(title="Valeur", description="La valeur, avec son unité.", examples=["29"])


class CaseCard(Card):
    """Fiche expérience : ce qu'un territoire a fait avec des données."""

    title: Line = Field(title="Titre", description="Titre qui dit ce qui a été fait, et où.",
                        examples=["Niort : un portail ouvert des ressources naturelles"])
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)] = Field(
        title="Résumé", description="Une ou deux phrases : ce que le territoire a fait avec des données, et pourquoi.")
    territory: Territory = Field(title="Territoire", description="Le territoire qui a mené l'action.")
    themes: list[str] = Field(min_length=1, max_length=6, title="Thèmes",
                              description="Thèmes (identifiants de la liste themes), le principal en premier.",
                              examples=[["biodiversite-nature", "gouvernance-donnees"]])
    recommendations: list[str] = Field(min_length=1, max_length=5, title="Recommandations illustrées",
                                       description="Recommandations du guide que ce cas illustre (noms de fichiers "
                                                   "de recommendations/, sans .md).",
                                       examples=[["federer-donnee-interet-general"]])
    programme: str | None = Field(None, title="Programme",
                                  description="Programme d'accompagnement (identifiant de la liste programmes).",
                                  examples=["tee-2022"])
    status: str = Field(title="Avancement", description="Avancement (identifiant de la liste statuses).",
                        examples=["en-cours"])
    status_source: int = Field(1, ge=1, le=99, title="Source de l'avancement (numéro)",
                               description="Numéro, dans la liste sources (à partir de 1), du document qui établit "
                                           "l'avancement ; ce document doit avoir une date. 1 si omis.", examples=[1])
    year: Year | None = Field(None, title="Année de début",
                              description="Année de début de l'action, si une source la donne.", examples=[2022])
    end_year: Year | None = Field(None, title="Année de fin", description="Année de fin, si l'action est terminée.")
    actors: list[Line] = Field(default_factory=list, title="Acteurs",
                               description="Organismes qui ont porté l'action ou y ont pris part "
                                           "(pas de personnes privées).")
    data: list[Line] = Field(default_factory=list, title="Données utilisées ou produites",
                             description="Données utilisées ou produites, en mots simples.")
    key_figures: list[KeyFigure] = Field(default_factory=list, title="Chiffres clés",
                                         description="Chiffres clés donnés par la source.")
    sources: list[Source] = Field(min_length=1, title="Sources",
                                  description="Documents d'où viennent les faits (au moins un).")
    last_verified: dt.date = Field(title="Faits vérifiés le",
                                   description="Date de la dernière vérification des faits (AAAA-MM-JJ).",
                                   examples=["2026-11-22"])


class Feasibility(Card):
    """Le niveau de faisabilité d'une recommandation."""

    level: Literal["facile", "moyen", "difficile"] = Field(
        title="Niveau",
        description="facile, moyen ou difficile : l'estimation de l'équipe du recueil (le guide décrit les difficultés "
                    "sans leur donner de niveau).", examples=["moyen"])
    note: Text = Field(title="Ce qui la rend facile ou difficile",
                       description="Ce qui rend la mise en œuvre facile ou difficile.")


class Inspiration(Card):
    """Une source d'inspiration citée par le guide."""

    name: Line = Field(title="Nom de l'initiative", description="Nom de l'initiative.",
                       examples=["Versailles Grand Parc et Waze"])
    description: Text | None = Field(None, title="Ce qu'elle montre", description="Ce qu'elle montre, en une ligne.")
    url: Url | None = Field(None, title="Adresse web", description="Adresse web (http ou https), si elle existe.")


class RecommendationCard(Card):
    """Recommandation du guide pour l'action."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")] = Field(
        title="Identifiant", description="Identifiant : le nom du fichier sans .md.", examples=["observer-les-usages"])
    number: int = Field(ge=1, le=99, title="Numéro", description="Numéro dans le guide.", examples=[1])
    axis: str = Field(title="Axe", description="Axe (identifiant de la liste axes : A, B, C ou D).", examples=["A"])
    title: Line = Field(title="Titre", description="Titre de la recommandation.",
                        examples=["Observer et connaître les usages"])
    summary: Text = Field(title="Résumé",
                          description="Ce que la recommandation demande à une collectivité, en une ou deux phrases.")
    objectives: list[Text] = Field(min_length=1, title="Objectifs", description="Les objectifs visés.")
    owners: list[Text] = Field(min_length=1, title="Porteur", description="Le porteur des actions.")
    key_steps: list[Text] = Field(min_length=1, title="Étapes clés",
                                  description="Les étapes clés de la mise en œuvre, dans l'ordre.")
    contributors: list[Text] = Field(min_length=1, title="Contributeurs",
                                     description="Les contributeurs et partenaires du porteur.")
    resources: Text = Field(title="Moyens nécessaires", description="Les moyens nécessaires (Markdown permis).")
    feasibility: Feasibility = Field(title="Faisabilité", description="Le niveau de faisabilité.")
    inspirations: list[Inspiration] = Field(default_factory=list, title="Sources d'inspiration",
                                            description="Les sources d'inspiration citées.")

    @property
    def label(self) -> str:
        """« 3. Observer et connaître les usages »: a recommendation in a list, a filter, a menu."""
        return f"{self.number}. {self.title}"

    @property
    def full_label(self) -> str:
        """« Recommandation 3 : Observer et connaître les usages »: a recommendation named in a sentence or a title."""
        return f"Recommandation {self.number} : {self.title}"


CASE_SECTIONS = ("Contexte", "Action mise en œuvre", "Résultats et perspectives", "En savoir plus")
# Sections a card may leave out: the check, the skeleton, the issue form and the site's form read it here.
# A case page lists its sources anyway, so « En savoir plus » only adds links when there are some.
OPTIONAL_SECTIONS = frozenset({"En savoir plus"})
RECOMMENDATION_SECTIONS = ("Constats et enjeux", "Approche et méthode")


# What the site's form and the GitHub issue form say of a case field, by dotted path, when its
# description above is written for those who edit the YAML and names the schema's own words (a
# vocabulary's name, a folder, another field). The readers of the forms choose from labelled lists
# and never see those words. A field not listed here is explained by its description.
READER_HELP: dict[str, str] = {
    "territory.name": "Nom usuel du territoire, par exemple « Angers Loire Métropole ». Repris du référentiel "
                      "officiel si vous donnez le code Insee de la commune ou le SIREN de l'intercommunalité.",
    "territory.kind": "Nature du territoire. Si vous donnez un code, elle en est déduite : commune pour un code "
                      "Insee, intercommunalité pour un SIREN.",
    "territory.population": "Nombre d'habitants (entier), tel que le donne une source. Inutile si vous donnez le "
                            "code Insee ou le SIREN : la population légale la plus récente est reprise. Sans code "
                            "ni chiffre, la fiche affichera « taille non renseignée ».",
    "territory.insee": "Code officiel géographique (Insee) de la commune, 5 caractères ; pour un département, son "
                       "code (2 ou 3 caractères, par exemple « 91 »). Pour une intercommunalité, donnez plutôt "
                       "son SIREN.",
    "themes": "Les thèmes de l'expérience, le principal en premier.",
    "recommendations": "Les recommandations du guide que cette expérience illustre.",
    "programme": "Le programme d'accompagnement dont l'expérience fait partie, s'il y en a un.",
    "status": "Où en est l'action, selon la source la plus récente.",
    "status_source": "Numéro, dans la liste des sources ci-dessous (à partir de 1), du document qui établit "
                     "l'avancement ; ce document doit avoir une date. 1 si rien n'est indiqué.",
}


def reader_help(dotted: str, description: str) -> str:
    """The help a form shows for a case field: its reader-facing text, else its description."""
    return READER_HELP.get(dotted, description)
