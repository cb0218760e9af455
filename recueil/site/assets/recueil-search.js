/* Recueil: the site search, around Pagefind's components (site/pagefind/pagefind-component-ui.js,
 * loaded right after this script by overrides/main.html).
 *
 * 1. Pagefind gives each result the address of its page from the site's root ("/cas/niort/"), but
 *    the site may live under a folder (https://datacites.github.io/recueil/): every
 *    <pagefind-config data-recueil-root="…"> gets that folder as its base-url before Pagefind's
 *    script reads it.
 * 2. The search page (/recherche/) takes its query and filters from the address, with the bank's
 *    parameters and value ids (?q=arbres&theme=mobilite,energie&taille=village; repeated parameters
 *    are accepted too), and rewrites the address as the reader searches, so that a search can be
 *    shared, bookmarked, or linked from another page.
 * 3. The search dialog waits in a <template> (overrides/partials/recueil-search-dialog.html): it goes
 *    into the page once the site's wording is set, and its link to the search page carries the query
 *    typed so far.
 */
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("pagefind-config[data-recueil-root]"), function (config) {
    config.setAttribute("base-url", new URL(config.getAttribute("data-recueil-root"), document.baseURI).pathname);
  });

  /* Pagefind's French, in the site's words (and French quotation marks around the searched words). */
  var WORDING = {
    placeholder: "Rechercher",
    keyboard_search: "Rechercher",
    search_label: "Rechercher dans le recueil",
    clear_search: "Effacer",
    zero_results: "Aucun résultat pour « [SEARCH_TERM] »",
    one_result: "[COUNT] résultat pour « [SEARCH_TERM] »",
    many_results: "[COUNT] résultats pour « [SEARCH_TERM] »",
    total_zero_results: "Aucun résultat",
    alt_search: "Aucun résultat pour « [SEARCH_TERM] ». Résultats pour « [DIFFERENT_TERM] » :",
    search_suggestion: "Aucun résultat pour « [SEARCH_TERM] ». Essayez plutôt :",
    searching: "Recherche de « [SEARCH_TERM] »…",
    input_hint: "Les résultats s'affichent pendant la frappe"
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PagefindComponents) return; // the index is missing (site built without it): links still work
    var manager = window.PagefindComponents.getInstanceManager();
    var dialog = manager.getInstance("default");
    dialog.setTranslations(WORDING);
    var template = document.getElementById("recueil-search-dialog");
    if (template) document.body.appendChild(template.content.cloneNode(true));
    followDialog(dialog);
    var page = document.querySelector("[data-recueil-search]");
    if (page) {
      var instance = manager.getInstance("page");
      instance.setTranslations(WORDING);
      followAddress(instance, JSON.parse(page.getAttribute("data-recueil-search")));
    }
  });

  function followDialog(instance) {
    instance.on("search", function (term) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-recueil-search-page]"), function (link) {
        var page = link.getAttribute("data-recueil-search-page");
        link.setAttribute("href", page + (term ? "?q=" + encodeURIComponent(term) : ""));
      });
    });
  }

  /* parameters: {param: {filter: "Thème", values: {id: label}}}; a value that is no known id is
     taken as the label itself (the `type` parameter has no ids). The page's first search waits for
     the index: Pagefind's own first search (every page, `faceted`) runs when it has loaded, and
     this one must come after it, not be overtaken by it. */
  function followAddress(instance, parameters) {
    var wanted = readAddress(parameters);
    var follow = function () {
      instance.on("search", function (term, filters) { writeAddress(parameters, term, filters || {}); });
    };
    if (!wanted.term && !Object.keys(wanted.filters).length) return follow();
    instance.triggerLoad().then(function () {
      instance.triggerSearchWithFilters(wanted.term, wanted.filters);
      follow();
    });
  }

  function readAddress(parameters) {
    var address = new URLSearchParams(window.location.search);
    var filters = {};
    Object.keys(parameters).forEach(function (param) {
      var known = parameters[param].values;
      var chosen = [];
      address.getAll(param).forEach(function (raw) {
        (Object.keys(known).length ? raw.split(",") : [raw]).forEach(function (value) {
          value = value.trim();
          if (value) chosen.push(known[value] || value);
        });
      });
      if (chosen.length) filters[parameters[param].filter] = chosen;
    });
    return {term: (address.get("q") || "").trim(), filters: filters};
  }

  function writeAddress(parameters, term, filters) {
    var parts = term && term.trim() ? ["q=" + encodeURIComponent(term.trim())] : [];
    Object.keys(parameters).forEach(function (param) {
      var values = parameters[param].values;
      var ids = (filters[parameters[param].filter] || []).map(function (label) {
        return encodeURIComponent(idOf(values, label));
      });
      if (!ids.length) return;
      if (Object.keys(values).length) parts.push(param + "=" + ids.join(","));
      else ids.forEach(function (label) { parts.push(param + "=" + label); }); // labels may hold commas
    });
    var query = parts.length ? "?" + parts.join("&") : "";
    if (query !== window.location.search) {
      history.replaceState(history.state, "", window.location.pathname + query + window.location.hash);
    }
  }

  function idOf(values, label) {
    for (var id in values) if (values[id] === label) return id;
    return label;
  }
})();
