"""What the search index files a page under: the bank's facets as Pagefind filters.

A case page carries its facet values with the bank's French labels (`case_filters`), a
recommendation page its axis and itself; the search page reads the bank's address parameters
(`url_parameters`); every page has its kind (`page_type`). The theme writes the facets into the page
(overrides/partials/recueil-search-filters.html), the page transforms its kind.
"""

from __future__ import annotations

from collections.abc import Mapping

from recueil.addresses import BANK_URI, MAP_URI, RECOMMENDATIONS_URI, STRATA_URI, THEMES_URI, axis_uri
from recueil.bank.bank import Bank, Case, Recommendation
from recueil.bank.facets import case_values, value_labels

# The kind of every page (fiche expérience, recommandation…), decided here from the page's address
# (`page_type`) and written into the page by recueil.outputs.page_transforms for every engine; the other
# filters are the bank's facets.
TYPE_FILTER = "Type"
_FOLDER = {name: uri.split("/", 1)[0] for name, uri in (
    ("cases", BANK_URI), ("recommendations", RECOMMENDATIONS_URI), ("themes", THEMES_URI), ("strata", STRATA_URI),
    ("map", MAP_URI), ("axes", axis_uri("a")))}
GUIDE_FOLDERS = ("guide",)  # hand-written pages of docs/ that belong to the guide
PROGRAMME_FOLDERS = ("programmes", "sources")  # hand-written pages of docs/ about programmes and sources


def page_type(url: str) -> str:
    """What kind of page the search files the page at `url` (« cas/x/ », « » for the home page) under."""
    folder = url.split("/", 1)[0]
    listing = url == f"{folder}/"
    if folder == _FOLDER["cases"] and not listing:
        return "Fiche expérience"
    if folder == _FOLDER["recommendations"] and not listing:
        return "Recommandation"
    if folder in (*GUIDE_FOLDERS, _FOLDER["axes"], _FOLDER["recommendations"]):
        return "Page du guide"
    if folder in (_FOLDER["cases"], _FOLDER["themes"], _FOLDER["strata"], _FOLDER["map"]):
        return "Liste d'expériences"
    if folder in PROGRAMME_FOLDERS:
        return "Programme"
    return "À propos du recueil"


FilterLabels = Mapping[str, tuple[str, Mapping[str, str]]]
"""For each facet of the bank (its URL parameter): the filter's name, and the label of each value id: the bank's
facets as search filters, same names and French labels as its checkboxes (`value_labels`)."""


def case_filters(case: Case, bank: Bank, labels: FilterLabels) -> dict[str, list[str]]:
    """The filters of a case page: {filter name: labels of the case's values}, in facet order."""
    return {labels[param][0]: [labels[param][1].get(value, value) for value in ids]
            for param, ids in case_values(case, bank).items() if param in labels and ids}


def recommendation_filters(recommendation: Recommendation, labels: FilterLabels) -> dict[str, list[str]]:
    """A recommendation page goes under the axis and recommendation filters of the cases illustrating it."""
    axis, slug = recommendation.meta.axis.lower(), recommendation.slug
    return {labels["axe"][0]: [labels["axe"][1].get(axis, axis)],
            labels["recommandation"][0]: [labels["recommandation"][1].get(slug, slug)]}


ORDERED_FILTERS = ("taille",)  # a size is read by its place among the others, not by its name


def url_parameters(bank: Bank) -> dict[str, dict[str, object]]:
    """The search page's address parameters: the bank's own (`?theme=mobilite&taille=village`), each
    with its filter name and the label of each value id; `type` takes the labels themselves. The
    values of a filter with an `order` (its value ids, listed: the page's JSON sorts the keys of
    `values`) are shown in the vocabulary's order (sizes, smallest first), the others in French
    alphabetical order."""
    parameters: dict[str, dict[str, object]] = {
        param: {"filter": name, "values": dict(values), **({"order": list(values)} if param in ORDERED_FILTERS else {})}
        for param, (name, values) in value_labels(bank).items()}
    parameters["type"] = {"filter": TYPE_FILTER, "values": {}}
    return parameters
