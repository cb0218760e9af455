"""What the search index files a page under: the bank's facets as Pagefind filters.

A case page carries its facet values with the bank's French labels (`case_filters`), a
recommendation page its axis and itself; the search page reads the bank's address parameters
(`url_parameters`). The theme writes them into the page (overrides/partials/recueil-search-filters.html).
"""

from __future__ import annotations

from collections.abc import Mapping

from recueil.bank.bank import Bank, Case, Recommendation
from recueil.bank.facets import case_values, value_labels

# The kind of every page (fiche expérience, recommandation…): its values are set by the theme
# (overrides/partials/recueil-search-filters.html), the other filters are the bank's facets.
TYPE_FILTER = "Type"


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
