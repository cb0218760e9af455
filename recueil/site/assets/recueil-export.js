/* The bank page's "download the selection": the cases its filters show, as CSV or JSON.
 *
 * The files are the site's open data (donnees/cas.csv, donnees/cas.json) cut down to the cards
 * shown, in the order shown: CSV records are copied byte for byte, so the selection keeps the
 * columns documented by donnees/cas.tableschema.json. Nothing is rebuilt here from the page.
 *
 * And « Imprimer cette sélection »: the selected cards' own pages (same origin) are fetched, their
 * articles put one per printed page into a dossier under a title line (filters, date), and the
 * browser prints it (window.print: paper or « Enregistrer au format PDF »). Nothing is printed at
 * build time; the dossier leaves the page after printing.
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

  /* ---- « Imprimer cette sélection » ---- */

  var DOSSIER = "recueil-dossier";

  /* The filters in words, as the panel shows them: « Thème : Mobilité ; Taille : Village ». */
  function chosenFilters() {
    var parts = [];
    Array.prototype.forEach.call(bank.querySelectorAll("fieldset[data-facet]"), function (fieldset) {
      var legend = fieldset.querySelector(".recueil-facet__toggle") || fieldset.querySelector("legend");
      var name = legend ? legend.cloneNode(true) : null;
      if (name) Array.prototype.forEach.call(name.querySelectorAll(".recueil-facet__chosen"), function (n) { n.remove(); });
      var labels = Array.prototype.filter.call(fieldset.querySelectorAll("input[type=checkbox]"), function (input) {
        return input.checked;
      }).map(function (input) {
        var label = bank.querySelector("label[for='" + input.id + "']");
        var text = label ? label.cloneNode(true) : null;
        if (!text) return input.value;
        Array.prototype.forEach.call(text.querySelectorAll(".recueil-facet__count"), function (n) { n.remove(); });
        return text.textContent.trim();
      });
      var selects = Array.prototype.filter.call(fieldset.querySelectorAll("select"), function (select) { return select.value; });
      if (selects.length) {
        var from = fieldset.querySelector("select[name='annee-de']"), to = fieldset.querySelector("select[name='annee-a']");
        labels.push((from && from.value ? "de " + from.value : "") + (from && from.value && to && to.value ? " " : "") +
                    (to && to.value ? "à " + to.value : ""));
      }
      if (labels.length && name) parts.push(name.textContent.trim() + " : " + labels.join(", "));
    });
    return parts;
  }

  /* The article of a fetched card page, its links and images made absolute, without the page's tools. */
  function articleOf(html, address) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var article = doc.querySelector("article.md-content__inner") || doc.querySelector("article") || doc.querySelector("main");
    if (!article) throw new Error("no article in " + address);
    // « Expériences proches » names cards outside the selection: the dossier holds the selection only.
    var related = article.querySelector("#recueil-page-proches");
    while (related && related.nextElementSibling && !/^H[12]$/.test(related.nextElementSibling.tagName)) {
      related.nextElementSibling.remove();
    }
    if (related) related.remove();
    article.querySelectorAll("script, style, .md-content__button, .headerlink, .recueil-update, [data-recueil-print-skip]")
      .forEach(function (node) { node.remove(); });
    article.querySelectorAll("[href]").forEach(function (node) {
      node.setAttribute("href", new URL(node.getAttribute("href"), address).href);
    });
    article.querySelectorAll("[src]").forEach(function (node) {
      node.setAttribute("src", new URL(node.getAttribute("src"), address).href);
    });
    // Several cards in one page: their ids (section anchors) would clash with each other and the bank's.
    article.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    var kept = document.importNode(article, true);
    kept.classList.add("recueil-dossier__case");
    return kept;
  }

  function dossierOf(slugs, articles) {
    var dossier = document.createElement("div");
    dossier.id = DOSSIER;
    dossier.className = "recueil-dossier md-typeset";
    var head = document.createElement("header");
    head.className = "recueil-dossier__head";
    var title = document.createElement("p");
    title.className = "recueil-dossier__title";
    title.textContent = "Banque d'expériences : sélection de " + slugs.length + (slugs.length > 1 ? " fiches" : " fiche");
    var line = document.createElement("p");
    line.className = "recueil-dossier__filters";
    var filters = chosenFilters();
    var date = new Date().toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" });
    line.textContent = (filters.length ? filters.join(" ; ") : "Sans filtre") + " — imprimée le " + date + " — " +
      location.href;
    head.append(title, line);
    dossier.appendChild(head);
    articles.forEach(function (article) { dossier.appendChild(article); });
    return dossier;
  }

  function removeDossier() {
    var old = document.getElementById(DOSSIER);
    if (old) old.remove();
    document.documentElement.classList.remove("recueil-printing-dossier");
  }

  var printStatus = document.createElement("span");
  printStatus.className = "recueil-print__status";
  printStatus.setAttribute("role", "status");
  var printButton = document.createElement("button");
  printButton.type = "button";
  printButton.className = "recueil-print__button";
  printButton.textContent = "Imprimer cette sélection";
  printButton.setAttribute("aria-describedby", "recueil-print-aide");
  var printHelp = document.createElement("span");
  printHelp.id = "recueil-print-aide";
  printHelp.className = "recueil-print__help";
  printHelp.textContent = " Chaque fiche en entier, une par page, avec ses sources ; la fenêtre d'impression du navigateur permet aussi d'enregistrer un PDF. ";

  printButton.addEventListener("click", function () {
    printButton.disabled = true;
    removeDossier();
    var slugs = [];
    var selection = typeof bank.recueilSelectionWhenReady === "function"
      ? bank.recueilSelectionWhenReady() : Promise.resolve(shownSlugs());
    selection.then(function (chosen) {
      slugs = chosen;
      if (!slugs.length) throw new Error("empty");
      printStatus.textContent = "Préparation de l'impression de " + slugs.length + (slugs.length > 1 ? " fiches…" : " fiche…");
      return Promise.all(slugs.map(function (slug) {
        var address = new URL("cas/" + encodeURIComponent(slug) + "/", base).href;
        return fetch(address, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        }).then(function (html) { return articleOf(html, address); });
      }));
    }).then(function (articles) {
      document.body.appendChild(dossierOf(slugs, articles));
      document.documentElement.classList.add("recueil-printing-dossier");
      printStatus.textContent = "Dossier de " + slugs.length + (slugs.length > 1 ? " fiches" : " fiche") +
        " prêt : la fenêtre d'impression s'ouvre.";
      window.addEventListener("afterprint", removeDossier, { once: true });
      window.print();
    }).catch(function (error) {
      removeDossier();
      printStatus.textContent = error && error.message === "empty"
        ? "Aucune expérience dans cette sélection : rien à imprimer."
        : "Impression impossible : réessayez, ou imprimez chaque fiche depuis sa page.";
    }).then(function () { printButton.disabled = false; });
  });

  var printBox = document.createElement("p");
  printBox.className = "recueil-print";
  printBox.append(printButton, printHelp, printStatus);
  box.parentNode.insertBefore(printBox, box.nextSibling);
})();
