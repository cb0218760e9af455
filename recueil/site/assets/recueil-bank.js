/* Recueil: the bank's filters, as progressive enhancement of the server-rendered list.
 *
 * Semantics: AND across facets, OR within one facet; each value shows how many cases it would
 * give with the other facets' choices. The selection lives in the URL (?theme=a,b&taille=c,
 * repeated parameters are accepted too), rewritten with history.replaceState on every change.
 *
 * Speed (5,000 cards): every value holds a bitset of the cases that have it, built once, so a
 * change costs a few hundred word operations. The browser's own work is what grows with the
 * page: laying out thousands of cards, or even inserting one card among thousands of hidden
 * siblings, takes far longer than 50 ms. So the list holds only the first `data-page-size`
 * matching cards ("Afficher plus" adds the next ones, printing gets them all); the others wait
 * detached, and a change replaces at most a page of cards, in one pass, without reading layout.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-recueil-bank]");
  if (!root) return;

  var YEAR_PARAM = "annee";
  var SORT_PARAM = "tri";
  var DEFAULT_SORT = "titre";

  var form = root.querySelector(".recueil-filters");
  var list = root.querySelector(".recueil-bank__list");
  var status = root.querySelector(".recueil-results__count");
  var empty = root.querySelector(".recueil-results__empty");
  var tools = root.querySelector(".recueil-results__tools");
  var more = root.querySelector(".recueil-more");
  var sortSelect = root.querySelector("#recueil-tri");
  var resetButton = root.querySelector(".recueil-reset");
  var yearFrom = root.querySelector("#recueil-f-annee-de");
  var yearTo = root.querySelector("#recueil-f-annee-a");

  var cards = Array.prototype.slice.call(list.children);
  var total = cards.length;
  var words = (total + 31) >>> 5;
  var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 60;
  var limit = pageSize;
  var printing = false;
  var years = new Float64Array(total); // NaN: the card gives no start year (sorted last, in no range)
  var populations = new Float64Array(total);
  var order = new Int32Array(total).map(function (_, index) { return index; }); // display order
  var listed = null; // indexes of the cards in the list, in order; null: the server's full list
  var all = fullSet();
  var result = all;

  /* ---- Bitsets ---- */

  function emptySet() { return new Uint32Array(words); }

  function fullSet() {
    var set = new Uint32Array(words).fill(0xffffffff);
    if (total & 31) set[words - 1] = (1 << (total & 31)) - 1;
    return set;
  }

  function has(set, index) { return (set[index >>> 5] >>> (index & 31)) & 1; }

  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }

  function countAnd(a, b) {
    var n = 0;
    for (var i = 0; i < words; i++) n += popcount(a[i] & b[i]);
    return n;
  }

  /* ---- Facets, read once from the panel and the cards' data attributes ---- */

  var facets = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facet]:not([data-facet='" + YEAR_PARAM + "'])"), function (fieldset) {
    var facet = { param: fieldset.getAttribute("data-facet"), values: [], byId: {} };
    facet.toggle = fieldset.querySelector(".recueil-facet__toggle");
    facet.panel = fieldset.querySelector(".recueil-facet__values");
    facet.chosen = fieldset.querySelector(".recueil-facet__chosen");
    Array.prototype.forEach.call(fieldset.querySelectorAll("input[type=checkbox]"), function (input) {
      var value = { id: input.value, input: input, item: input.parentNode, bits: emptySet(), shownCount: -1,
                    count: input.nextElementSibling.querySelector(".recueil-facet__count") };
      facet.values.push(value);
      facet.byId[value.id] = value;
    });
    return facet;
  });

  var indexOfSlug = {};
  cards.forEach(function (card, index) {
    var word = index >>> 5, bit = 1 << (index & 31);
    facets.forEach(function (facet) {
      var ids = (card.getAttribute("data-" + facet.param) || "").split(" ");
      for (var k = 0; k < ids.length; k++) {
        var value = facet.byId[ids[k]];
        if (value) value.bits[word] |= bit;
      }
    });
    years[index] = parseInt(card.getAttribute("data-annee"), 10);
    var population = card.getAttribute("data-population");
    populations[index] = population ? Number(population) : NaN;
    indexOfSlug[card.getAttribute("data-slug")] = index;
  });

  /* The map (drawn by recueil/templates/_map.j2) shows every match: its markers, leader lines and
     list entries carry data-slug, and [hidden] hides them (docs/assets/recueil-map.css). */
  var mapItems = [];

  function findMap() {
    mapItems = Array.prototype.slice.call(document.querySelectorAll("figure.recueil-map [data-slug]"));
    showMap();
  }

  /* ---- Computing a selection ---- */

  function facetSet(facet) {
    var set = null;
    facet.values.forEach(function (value) {
      if (!value.input.checked) return;
      if (!set) set = emptySet();
      for (var i = 0; i < words; i++) set[i] |= value.bits[i];
    });
    return set; // null: nothing chosen, the facet does not restrict
  }

  function yearSet() {
    var low = yearFrom.value ? parseInt(yearFrom.value, 10) : null;
    var high = yearTo.value ? parseInt(yearTo.value, 10) : null;
    if (low === null && high === null) return null;
    var set = emptySet();
    for (var index = 0; index < total; index++) {
      var year = years[index]; // NaN (no start year) is in no range
      if ((low === null || year >= low) && (high === null || year <= high)) set[index >>> 5] |= 1 << (index & 31);
    }
    return set;
  }

  function intersect(sets, skip) {
    var set = all.slice();
    for (var k = 0; k < sets.length; k++) {
      if (k === skip || !sets[k]) continue;
      for (var i = 0; i < words; i++) set[i] &= sets[k][i];
    }
    return set;
  }

  /* A new selection: compute it, count every value against the other facets, show the first page. */
  function update() {
    var sets = facets.map(facetSet);
    sets.push(yearSet());
    result = intersect(sets, -1);
    facets.forEach(function (facet, k) { showCounts(facet, intersect(sets, k)); });
    limit = pageSize;
    render();
    scheduleUrl();
  }

  function render() {
    var count = showCards();
    showMap();
    var text = count === total
      ? total + " expériences"
      : count + (count > 1 ? " expériences" : " expérience") + " sur " + total;
    if (count > limit && !printing) text += " ; " + limit + " affichées";
    if (status.textContent !== text) status.textContent = text; // an unchanged count is not announced again
    empty.hidden = count > 0;
    var rest = count - limit;
    more.hidden = rest <= 0;
    if (rest > 0) more.textContent = "Afficher " + Math.min(rest, pageSize) + " expériences de plus";
  }

  /* The list holds the first `limit` matches in display order, and nothing else: cards out of
     view are detached, not hidden, because thousands of hidden siblings make every change of
     the list slow to lay out (Chromium walks them). Returns how many cases match. */
  function showCards() {
    var count = 0, same = true, wanted = [];
    for (var k = 0; k < total; k++) {
      var index = order[k];
      if (!has(result, index)) continue;
      count++;
      if (!printing && count > limit) continue;
      if (!listed || listed[wanted.length] !== index) same = false;
      wanted.push(index);
    }
    if (listed && same && wanted.length === listed.length) return count;
    var fragment = document.createDocumentFragment();
    for (var w = 0; w < wanted.length; w++) fragment.appendChild(cards[wanted[w]]);
    list.replaceChildren(fragment);
    listed = wanted;
    return count;
  }

  function showMap() {
    for (var m = 0; m < mapItems.length; m++) {
      var index = indexOfSlug[mapItems[m].getAttribute("data-slug")];
      var off = index === undefined || !has(result, index);
      if (mapItems[m].hasAttribute("hidden") !== off) {
        if (off) mapItems[m].setAttribute("hidden", "");
        else mapItems[m].removeAttribute("hidden");
      }
    }
  }

  function showCounts(facet, others) {
    var chosen = 0;
    facet.values.forEach(function (value) {
      var n = countAnd(value.bits, others);
      if (n !== value.shownCount) {
        value.shownCount = n;
        value.count.textContent = "(" + n + ")";
        value.item.classList.toggle("recueil-facet__value--none", n === 0);
      }
      if (value.input.checked) chosen++;
    });
    facet.chosen.textContent = chosen ? " (" + chosen + " choisi" + (chosen > 1 ? "s" : "") + ")" : "";
  }

  function showMore() {
    var first = limit;
    limit += pageSize;
    render();
    // Keyboard and screen reader users carry on from the first card just added.
    var added = cards[listed[first]];
    if (added) added.querySelector("a").focus();
  }

  /* ---- Sorting: the display order; showCards lays the list out in it ---- */

  var SORTS = {
    "titre": function (a, b) { return a - b; },
    "population-desc": byNumber(populations, -1),
    "population-asc": byNumber(populations, 1),
    "annee-desc": byNumber(years, -1),
    "annee-asc": byNumber(years, 1)
  };

  function byNumber(values, direction) {
    return function (a, b) {
      var x = values[a], y = values[b];
      if (x !== x || y !== y) return (x !== x) - (y !== y) || a - b; // unknown values (NaN) last
      return (x - y) * direction || a - b;
    };
  }

  var currentSort = DEFAULT_SORT;

  function sortCards(sort) {
    if (!SORTS[sort]) sort = DEFAULT_SORT;
    if (sort === currentSort) return;
    currentSort = sort;
    order.sort(SORTS[sort]);
  }

  /* ---- URL state ---- */

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    facets.forEach(function (facet) {
      var wanted = {};
      params.getAll(facet.param).forEach(function (raw) {
        raw.split(",").forEach(function (id) { wanted[id.trim()] = true; });
      });
      facet.values.forEach(function (value) { value.input.checked = wanted[value.id] === true; });
      if (facet.values.some(function (value) { return value.input.checked; })) setOpen(facet, true);
    });
    var range = (params.get(YEAR_PARAM) || "").split("-");
    setSelect(yearFrom, range[0]);
    setSelect(yearTo, range.length > 1 ? range[1] : range[0]);
    var sort = params.get(SORT_PARAM);
    sortSelect.value = SORTS[sort] ? sort : DEFAULT_SORT;
    sortCards(sortSelect.value);
  }

  function setSelect(select, value) {
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === value; });
    select.value = known ? value : "";
  }

  /* The URL follows a little after the screen: history calls can block for several milliseconds
     on a busy machine, and a burst of clicks makes one entry. Leaving the page writes at once. */
  var urlTimer = 0;

  function scheduleUrl() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, 100);
  }

  function writeUrl() {
    clearTimeout(urlTimer);
    var parts = [];
    facets.forEach(function (facet) {
      var ids = facet.values.filter(function (v) { return v.input.checked; }).map(function (v) { return encodeURIComponent(v.id); });
      if (ids.length) parts.push(facet.param + "=" + ids.join(","));
    });
    if (yearFrom.value || yearTo.value) {
      var range = yearFrom.value === yearTo.value ? yearFrom.value : yearFrom.value + "-" + yearTo.value;
      parts.push(YEAR_PARAM + "=" + range);
    }
    if (currentSort !== DEFAULT_SORT) parts.push(SORT_PARAM + "=" + currentSort);
    var territory = new URLSearchParams(window.location.search).get("territoire");  // « Mon territoire » keeps its own
    if (territory) parts.push("territoire=" + encodeURIComponent(territory));
    var query = parts.length ? "?" + parts.join("&") : "";
    if (query !== window.location.search) {
      history.replaceState(history.state, "", window.location.pathname + query + window.location.hash);
    }
  }

  /* For the other scripts of the page (download of the selection...): the slugs of every case
     of the selection in display order, including those not in the list yet. */
  root.recueilSelection = function () {
    var slugs = [];
    for (var k = 0; k < total; k++) if (has(result, order[k])) slugs.push(cards[order[k]].getAttribute("data-slug"));
    return slugs;
  };

  /* ---- Wiring ---- */

  function setOpen(facet, open) {
    facet.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    facet.panel.hidden = !open;
  }

  facets.forEach(function (facet) {
    facet.toggle.addEventListener("click", function () {
      setOpen(facet, facet.toggle.getAttribute("aria-expanded") !== "true");
    });
  });

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  sortSelect.addEventListener("change", function () {
    sortCards(sortSelect.value);
    render();
    scheduleUrl();
  });
  resetButton.addEventListener("click", function () {
    facets.forEach(function (facet) { facet.values.forEach(function (value) { value.input.checked = false; }); });
    yearFrom.value = "";
    yearTo.value = "";
    sortSelect.value = DEFAULT_SORT; // the sort too: the address loses its ?tri=
    sortCards(DEFAULT_SORT);
    update();
  });
  more.addEventListener("click", showMore);
  window.addEventListener("popstate", function () { readUrl(); update(); });
  window.addEventListener("pagehide", writeUrl);
  // Paper gets every matching case, not only the first page.
  window.addEventListener("beforeprint", function () { printing = true; render(); });
  window.addEventListener("afterprint", function () { printing = false; render(); });

  // On a narrow screen the panel comes before the results: start with every facet folded.
  if (window.matchMedia("(max-width: 52em)").matches) facets.forEach(function (facet) { setOpen(facet, false); });
  readUrl();
  form.hidden = false;
  tools.hidden = false;
  root.classList.add("recueil-bank--live");
  update();
  // This script runs as soon as the list is parsed (before the rest of the page, so the browser
  // never lays out the full list): a map further down the page is found once it is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", findMap);
  else findMap();
})();
