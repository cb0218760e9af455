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
 * 4. Keyboard (RGAA 7.1, 12.8): Ctrl+K (⌘K) opens the dialog also while a checkbox, a button or a list
 *    has the focus (Pagefind ignores it in any <input>; text fields keep the keys for themselves);
 *    closing the dialog (Escape, its button) gives the focus back to where it was, not to the header
 *    button; Enter in the dialog's field opens the search page with the query (every result, and the
 *    filters), Enter in the search page's field moves to the results; the keyboard hints are French
 *    ("Échap", and Escape closes the dialog rather than clearing the field); on the search page the
 *    filter groups are put in the order they are read (kind of page, theme, size first) in the page
 *    itself, so that the Tab order is the order seen.
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
    input_hint: "Les résultats s'affichent pendant la frappe",
    results_label: "Résultats de la recherche",
    filters_label: "Filtres",
    load_more: "Afficher plus de résultats",
    total_one_result: "[COUNT] résultat",
    total_many_results: "[COUNT] résultats",
    error_search: "La recherche a échoué",
    filter_selected_one: "[COUNT] choisi",
    filter_selected_many: "[COUNT] choisis",
    loading: "Chargement…",
    keyboard_navigate: "Naviguer",
    keyboard_select: "Ouvrir",
    keyboard_close: "Fermer",
    keyboard_clear: "Effacer"
  };
  /* In the dialog, Escape closes it (Pagefind's field would say "clear"). */
  var DIALOG_WORDING = Object.assign({}, WORDING, {keyboard_clear: "Fermer"});
  var ENTER_HINT = "Tous les résultats";
  var FIRST_FILTERS = ["Type", "Thème", "Taille du territoire"];

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PagefindComponents) return; // the index is missing (site built without it): links still work
    var manager = window.PagefindComponents.getInstanceManager();
    var dialog = manager.getInstance("default");
    dialog.setTranslations(DIALOG_WORDING);
    var template = document.getElementById("recueil-search-dialog");
    if (template) document.body.appendChild(template.content.cloneNode(true));
    followDialog(dialog);
    dialogKeyboard(dialog);
    frenchKeys();
    var page = document.querySelector("[data-recueil-search]");
    if (page) {
      var instance = manager.getInstance("page");
      instance.setTranslations(WORDING);
      followAddress(instance, JSON.parse(page.getAttribute("data-recueil-search")));
      pageKeyboard(page, JSON.parse(page.getAttribute("data-recueil-search")));
    }
  });

  /* ---- 4. Keyboard ---- */

  var TEXT_INPUTS = /^(text|search|email|url|tel|password|number|date|datetime-local|month|time|week)$/;

  function typesText(element) {
    if (!element) return false;
    if (element.isContentEditable || element.tagName === "TEXTAREA") return true;
    return element.tagName === "INPUT" && TEXT_INPUTS.test(element.type);
  }

  function dialogKeyboard(instance) {
    var opener = null;
    var trigger = function () { return (instance.getUtilities("modal-trigger") || [])[0]; };
    // Ctrl+K, seen before Pagefind's own listener: remember where the focus is, and open the dialog
    // from a checkbox or a button too (Pagefind gives up in any <input>).
    document.addEventListener("keydown", function (event) {
      if (!event.key || event.key.toLowerCase() !== "k" || event.shiftKey || event.altKey || !(event.ctrlKey || event.metaKey)) return;
      var active = document.activeElement;
      if (typesText(active) || (active && active.closest && active.closest("pagefind-modal"))) return;
      opener = active && active !== document.body ? active : null;
      if (active && active.tagName === "INPUT") {
        event.preventDefault();
        var button = trigger();
        if (button) button.openModal();
      }
    }, true);
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("pagefind-modal-trigger")) opener = null;
    }, true);
    // Pagefind puts the focus on its header button when the dialog closes; then it goes back.
    document.addEventListener("close", function (event) {
      if (!event.target.matches || !event.target.matches("pagefind-modal dialog")) return;
      var back = opener;
      opener = null;
      if (back && back.isConnected) setTimeout(function () { back.focus(); }, 0);
    }, true);
    // Enter in the field: the search page, with the query (every result, and the filters).
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing) return;
      var field = event.target;
      if (!field.matches || !field.matches("pagefind-modal input")) return;
      var more = document.querySelector("pagefind-modal [data-recueil-search-page]");
      if (!field.value.trim() || !more) return;
      event.preventDefault();
      window.location.href = more.getAttribute("data-recueil-search-page") + "?q=" + encodeURIComponent(field.value.trim());
    });
    var hint = {};
    document.addEventListener("focusin", function (event) {
      if (event.target.matches && event.target.matches("pagefind-modal input")) {
        instance.registerShortcut({label: "↵", description: ENTER_HINT}, hint);
      }
    });
    document.addEventListener("focusout", function (event) {
      if (event.target.matches && event.target.matches("pagefind-modal input")) instance.deregisterAllShortcuts(hint);
    });
  }

  /* The search page: Enter in the field moves to the results' heading. */
  /* Pagefind lists a filter's values as its index sorts them, by code point ("100 000…" before
     "20 000…", "Énergie" after "Tourisme"): sizes go in their vocabulary's order, other values in
     French alphabetical order, moved in the page itself so that the Tab order is the order seen. */
  var FRENCH = new Intl.Collator("fr", {numeric: true, sensitivity: "base"});

  function sortValues(pane, parameters) {
    Object.keys(parameters).forEach(function (param) {
      var filter = parameters[param];
      var group = pane.querySelector("details.pf-filter-group[data-filter-name='" + filter.filter + "']");
      if (!group) return;
      var boxes = Array.prototype.slice.call(group.querySelectorAll(".pf-filter-checkbox"));
      if (boxes.length < 2) return;
      var labels = (filter.order || []).map(function (id) { return filter.values[id]; });
      var value = function (box) { var input = box.querySelector("input"); return input ? input.value : ""; };
      var sorted = boxes.slice().sort(filter.order ? function (a, b) {
        return labels.indexOf(value(a)) - labels.indexOf(value(b));
      } : function (a, b) { return FRENCH.compare(value(a), value(b)); });
      if (sorted.every(function (box, k) { return boxes[k] === box; })) return; // already in order
      var parent = boxes[0].parentNode;
      if (!sorted.every(function (box) { return box.parentNode === parent; })) return;
      var after = boxes[boxes.length - 1].nextSibling;
      sorted.forEach(function (box) { parent.insertBefore(box, after); });
    });
  }

  function pageKeyboard(page, parameters) {
    var heading = page.querySelector(".recueil-search__results h2");
    if (heading) heading.setAttribute("tabindex", "-1");
    page.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing || !heading) return;
      if (!event.target.matches || !event.target.matches("pagefind-input input")) return;
      event.preventDefault();
      heading.focus();
    });
    var pane = page.querySelector("pagefind-filter-pane");
    if (pane) {
      var order = function () {
        var box = pane.querySelector(".pf-filter-pane");
        if (!box) return;
        var groups = Array.prototype.slice.call(box.children);
        var wanted = FIRST_FILTERS.map(function (name) {
          return groups.filter(function (group) { return group.getAttribute("data-filter-name") === name; })[0];
        }).filter(Boolean);
        var rest = groups.filter(function (group) { return wanted.indexOf(group) < 0; });
        var target = wanted.concat(rest);
        if (target.every(function (group, k) { return groups[k] === group; })) return; // already in order
        target.forEach(function (group) { box.appendChild(group); });
      };
      new MutationObserver(function () { order(); sortValues(pane, parameters); }).observe(pane, {childList: true, subtree: true});
      order();
      sortValues(pane, parameters);
    }
  }

  /* Pagefind writes the Escape key "esc": French keyboards say "Échap". */
  function frenchKeys() {
    var rename = function () {
      Array.prototype.forEach.call(document.querySelectorAll("pagefind-keyboard-hints kbd"), function (key) {
        if (key.textContent === "esc") {
          key.textContent = "Échap";
        }
      });
    };
    Array.prototype.forEach.call(document.querySelectorAll("pagefind-modal, pagefind-keyboard-hints"), function (element) {
      new MutationObserver(rename).observe(element, {childList: true, subtree: true});
    });
    rename();
  }

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
