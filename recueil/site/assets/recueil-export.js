/* The bank page's "download the selection": the cases its filters show, as CSV or JSON.
 *
 * The files are the site's open data (donnees/cas.csv, donnees/cas.json) cut down to the cards
 * shown, in the order shown: CSV records are copied byte for byte, so the selection keeps the
 * columns documented by donnees/cas.tableschema.json. Nothing is rebuilt here from the page.
 */
(function () {
  "use strict";

  var bank = document.querySelector("[data-recueil-bank]");
  if (!bank) return;
  var list = bank.querySelector(".recueil-bank__list");
  var anchor = bank.querySelector(".recueil-results__bar") || list;
  if (!list || !anchor) return;
  var base = window.__md_scope instanceof URL ? window.__md_scope : new URL("../", location.href);

  /* The whole selection in display order: recueil-bank.js knows it (its list holds only the first
     page of cards); without it, the cards the page shows. */
  function shownSlugs() {
    if (typeof bank.recueilSelection === "function") return bank.recueilSelection();
    return Array.prototype.filter.call(list.querySelectorAll("li[data-slug]"), function (card) {
      return !card.hidden;
    }).map(function (card) { return card.getAttribute("data-slug"); });
  }

  /* RFC 4180 records with their place in the text: [start, end) of each record, line break excluded. */
  function csvRecords(text) {
    var records = [], start = 0, quoted = false, i = 0;
    for (; i < text.length; i++) {
      var c = text[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && (c === "\n" || c === "\r")) {
        records.push([start, i]);
        if (c === "\r" && text[i + 1] === "\n") i++;
        start = i + 1;
      }
    }
    if (start < text.length) records.push([start, text.length]);
    return records;
  }

  function firstField(record) {
    var match = /^("(?:[^"]|"")*"|[^,]*)/.exec(record);
    var field = match ? match[1] : "";
    return field.charAt(0) === '"' ? field.slice(1, -1).replace(/""/g, '"') : field;
  }

  function selectCsv(text, slugs) {
    var records = csvRecords(text).map(function (range) { return text.slice(range[0], range[1]); });
    var bySlug = {};
    records.slice(1).forEach(function (record) { bySlug[firstField(record)] = record; });
    var kept = slugs.filter(function (slug) { return bySlug[slug] !== undefined; }).map(function (slug) { return bySlug[slug]; });
    return [records[0]].concat(kept).join("\r\n") + "\r\n";
  }

  function selectJson(text, slugs) {
    var data = JSON.parse(text);
    var bySlug = {};
    data.cases.forEach(function (item) { bySlug[item.slug] = item; });
    data.cases = slugs.filter(function (slug) { return bySlug[slug]; }).map(function (slug) { return bySlug[slug]; });
    data.count = data.cases.length;
    data.selection = location.search.replace(/^\?/, "");
    return JSON.stringify(data, null, 1) + "\n";
  }

  function save(text, name, type) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  var status = document.createElement("span");
  status.className = "recueil-export__status";
  status.setAttribute("role", "status");

  function button(format, type, select) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "recueil-export__button";
    node.textContent = format.toUpperCase();
    node.setAttribute("data-format", format);
    node.addEventListener("click", function () {
      var slugs = [];
      node.disabled = true;
      // A large bank's page knows every case only once its data is loaded: wait for it.
      var selection = typeof bank.recueilSelectionWhenReady === "function"
        ? bank.recueilSelectionWhenReady() : Promise.resolve(shownSlugs());
      selection.then(function (chosen) {
        slugs = chosen;
        return fetch(new URL("donnees/cas." + format, base));
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      }).then(function (text) {
        save(select(text, slugs), "experiences-selection." + format, type);
        status.textContent = slugs.length + " expérience(s) téléchargée(s) en " + format.toUpperCase() + ".";
      }).catch(function () {
        status.textContent = "Téléchargement impossible : réessayez, ou prenez le fichier complet sur la page Données ouvertes.";
      }).then(function () { node.disabled = false; });
    });
    node.setAttribute("aria-label", "Télécharger les expériences affichées en " + format.toUpperCase());
    return node;
  }

  var box = document.createElement("p");
  box.className = "recueil-export";
  var intro = document.createElement("span");
  intro.textContent = "Télécharger les expériences affichées : ";
  box.appendChild(intro);
  box.appendChild(button("csv", "text/csv;charset=utf-8", selectCsv));
  box.appendChild(document.createTextNode(" "));
  box.appendChild(button("json", "application/json", selectJson));
  box.appendChild(document.createTextNode(" "));
  box.appendChild(status);
  anchor.parentNode.insertBefore(box, anchor.nextSibling);
})();
