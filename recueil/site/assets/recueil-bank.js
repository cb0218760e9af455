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
 * matching cards ("Afficher plus" adds the next ones, up to `data-max-shown` at once: past that the
 * first ones make room, and "précédentes" brings them back; printing gets them all); the others
 * wait detached, and a change replaces at most a page of cards, in one pass, without reading layout.
 *
 * Size (any number of cases): the page's HTML holds the first `data-max-shown` cards of the default
 * order, which is the first view. When the bank has more (`data-total`), the first use of the
 * filters, the sort or "more" (or an address that asks for a selection) fetches every card from
 * `data-cases` (compact JSON, recueil/bank/facets.py bank_data) and the script draws cards from it.
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
  var less = root.querySelector(".recueil-less");
  var sortSelect = root.querySelector("#recueil-tri");
  var resetButton = root.querySelector(".recueil-reset");
  var yearFrom = root.querySelector("#recueil-f-annee-de");
  var yearTo = root.querySelector("#recueil-f-annee-a");

  var cards = Array.prototype.slice.call(list.children); // made on demand past the server's cards
  var inHtml = cards.length;
  var total = Math.max(parseInt(root.getAttribute("data-total"), 10) || 0, inHtml);
  var dataUrl = root.getAttribute("data-cases");
  var ready = inHtml >= total; // every case is known (else: once `data-cases` is read)
  var loading = null;
  var data = null;
  var slugs = new Array(total);
  var words = (total + 31) >>> 5;
  var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 60;
  var maxShown = parseInt(root.getAttribute("data-max-shown"), 10) || 200;
  var start = 0; // the list shows the matches from `start` to `limit` (at most maxShown of them)
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
    slugs[index] = card.getAttribute("data-slug");
    indexOfSlug[slugs[index]] = index;
  });

  /* ---- Every card, from `data-cases`, when the page holds only the first ones ---- */

  function whenReady(then) {
    if (ready) { then(); return; }
    load().then(then, function () {
      status.textContent = "Les expériences n'ont pas pu être chargées : rechargez la page.";
    });
  }

  function load() {
    if (!loading) {
      loading = fetch(dataUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(adopt);
    }
    return loading;
  }

  /* Index i of the JSON is the i-th case of the default order, as in the HTML: the server's cards
     keep their place, the others are drawn from the JSON when shown. */
  function adopt(json) {
    data = json;
    var params = facets.map(function (facet) {
      var ids = json.facettes[facet.param] || [];
      return ids.map(function (id) { return facet.byId[id] || null; });
    });
    var order = Object.keys(json.facettes);
    var place = facets.map(function (facet) { return order.indexOf(facet.param); });
    facets.forEach(function (facet) { facet.values.forEach(function (value) { value.bits.fill(0); }); });
    for (var index = 0; index < json.cas.length && index < total; index++) {
      var entry = json.cas[index];
      var word = index >>> 5, bit = 1 << (index & 31);
      for (var f = 0; f < facets.length; f++) {
        var positions = place[f] < 0 ? [] : entry[6][place[f]];
        for (var k = 0; k < positions.length; k++) {
          var value = params[f][positions[k]];
          if (value) value.bits[word] |= bit;
        }
      }
      years[index] = entry[4] === null ? NaN : entry[4];
      populations[index] = entry[5] === null ? NaN : entry[5];
      if (cards[index] && slugs[index] !== entry[0]) cards[index] = undefined; // not the same case: drawn anew
      slugs[index] = entry[0];
      indexOfSlug[entry[0]] = index;
    }
    ready = true;
  }

  /* The card of case `index`, as recueil/templates/_macros.j2 (bank_case) writes it. */
  function card(index) {
    if (cards[index]) return cards[index];
    var entry = data.cas[index];
    var item = document.createElement("li");
    item.className = "recueil-case recueil-case--bank";
    var names = Object.keys(data.facettes);
    names.forEach(function (param, f) {
      item.setAttribute("data-" + param, entry[6][f].map(function (k) { return data.facettes[param][k]; }).join(" "));
    });
    item.setAttribute("data-annee", entry[4] === null ? "" : String(entry[4]));
    item.setAttribute("data-population", entry[5] === null ? "" : String(entry[5]));
    item.setAttribute("data-slug", entry[0]);
    var title = document.createElement("a");
    title.className = "recueil-case__title";
    title.href = data.lien.replace("SLUG", entry[0]);
    title.textContent = entry[1];
    var line = document.createElement("span");
    line.className = "recueil-case__meta";
    line.textContent = entry[2];
    var themes = document.createElement("span");
    themes.className = "recueil-case__themes";
    themes.textContent = entry[3];
    item.append("\n", title, "\n", line, "\n", themes, "\n");
    cards[index] = item;
    return item;
  }

  /* The map (drawn by recueil/templates/_map.j2) shows every match: its markers, leader lines and
     list entries carry data-slug, and [hidden] hides them (recueil/site/assets/recueil-map.css). */
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
    // Until every case is known, the counts are the server's (the whole bank: no choice is made yet).
    if (ready) facets.forEach(function (facet, k) { showCounts(facet, intersect(sets, k)); });
    start = 0;
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
    if (!printing && start > 0) text += " ; " + (start + 1) + " à " + Math.min(limit, count) + " affichées";
    else if (count > limit && !printing) text += " ; " + limit + " affichées";
    if (status.textContent !== text) status.textContent = text; // an unchanged count is not announced again
    empty.hidden = count > 0;
    var rest = count - limit;
    more.hidden = rest <= 0;
    if (rest > 0) more.textContent = "Afficher " + Math.min(rest, pageSize) + " expériences de plus";
    less.hidden = printing || start === 0;
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
      if (!printing && (count > limit || count <= start)) continue;
      if (!ready && !cards[index]) continue; // not known yet (only printing asks before the data is there)
      if (!listed || listed[wanted.length] !== index) same = false;
      wanted.push(index);
    }
    if (listed && same && wanted.length === listed.length) return count;
    var fragment = document.createDocumentFragment();
    for (var w = 0; w < wanted.length; w++) fragment.appendChild(card(wanted[w]));
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
    start = Math.max(start, limit - maxShown); // the first cards make room past maxShown
    render();
    // Keyboard and screen reader users carry on from the first card just added.
    var added = cards[listed[first - start]];
    if (added) added.querySelector("a").focus();
  }

  function showLess() {
    start = Math.max(0, start - pageSize);
    limit = Math.min(limit, start + maxShown);
    render();
    var first = cards[listed[0]];
    if (first) first.querySelector("a").focus();
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
    var chosen = [];
    for (var k = 0; k < total; k++) if (has(result, order[k]) && slugs[order[k]] !== undefined) chosen.push(slugs[order[k]]);
    return chosen;
  };
  root.recueilSelectionWhenReady = function () {
    return ready ? Promise.resolve(root.recueilSelection()) : load().then(root.recueilSelection);
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

  form.addEventListener("change", function () { whenReady(update); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  sortSelect.addEventListener("change", function () {
    whenReady(function () {
      sortCards(sortSelect.value);
      render();
      scheduleUrl();
    });
  });
  resetButton.addEventListener("click", function () {
    facets.forEach(function (facet) { facet.values.forEach(function (value) { value.input.checked = false; }); });
    yearFrom.value = "";
    yearTo.value = "";
    sortSelect.value = DEFAULT_SORT; // the sort too: the address loses its ?tri=
    whenReady(function () {
      sortCards(DEFAULT_SORT);
      update();
    });
  });
  more.addEventListener("click", function () { whenReady(showMore); });
  less.addEventListener("click", showLess);
  // The data is fetched as the reader reaches for the filters, not with the page.
  if (!ready) {
    ["pointerdown", "focusin", "keydown"].forEach(function (type) {
      root.addEventListener(type, function () { load().catch(function () {}); }, { once: true, passive: true });
    });
  }
  window.addEventListener("popstate", function () { whenReady(function () { readUrl(); update(); }); });
  window.addEventListener("pagehide", writeUrl);
  // Paper gets every matching case, not only the first page.
  window.addEventListener("beforeprint", function () { printing = true; render(); });
  window.addEventListener("afterprint", function () { printing = false; render(); });

  // On a narrow screen the panel comes before the results: start with every facet folded.
  if (window.matchMedia("(max-width: 52em)").matches) facets.forEach(function (facet) { setOpen(facet, false); });
  var asked = window.location.search.length > 1;
  function begin() {
    readUrl();
    form.hidden = false;
    tools.hidden = false;
    update();
    root.classList.add("recueil-bank--live");
  }
  // An address with a selection or a sort needs every case; the plain page starts from the HTML.
  if (asked) whenReady(begin);
  else begin();
  // This script runs as soon as the list is parsed (before the rest of the page, so the browser
  // never lays out the full list): a map further down the page is found once it is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", findMap);
  else findMap();
})();
