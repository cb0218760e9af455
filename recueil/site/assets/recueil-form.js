/* The "Proposer une expérience" form, generated from the card JSON Schema.
 *
 * The page holds <div data-recueil-form data-settings="…/schemas/case.form.json">. The settings
 * (written by the build from the models) give the French labels, the labels of closed lists, the
 * text sections and the repository; the JSON Schema gives the fields, their help, their allowed
 * values and the rules. The card is validated with that same schema by Ajv, previewed, and
 * produced as the Markdown file that `recueil check` reads: downloaded, or sent to GitHub's
 * new-file page. User text only ever goes through textContent and form values, never innerHTML.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-recueil-form]");
  if (!root) return;
  var AjvClass = window.ajv2020 && (window.ajv2020.default || window.ajv2020);

  var MESSAGES = {
    required: function () { return "Ce champ est obligatoire."; },
    minLength: function (e) { return e.params.limit <= 1 ? "Ce champ est obligatoire." : "Au moins " + e.params.limit + " caractères."; },
    maxLength: function (e) { return "Au plus " + e.params.limit + " caractères."; },
    minimum: function (e) { return "La valeur doit être au moins " + e.params.limit + "."; },
    maximum: function (e) { return "La valeur doit être au plus " + e.params.limit + "."; },
    type: function (e) { return e.params.type === "integer" ? "Un nombre entier est attendu." : e.params.type === "number" ? "Un nombre est attendu (virgule ou point pour les décimales)." : "Valeur d'un type inattendu."; },
    enum: function () { return "Choisissez une valeur de la liste."; },
    minItems: function (e) { return e.params.limit === 1 ? "Choisissez ou ajoutez au moins un élément." : "Au moins " + e.params.limit + " éléments."; },
    maxItems: function (e) { return "Au plus " + e.params.limit + " éléments."; },
    format: function () { return "Date attendue (jour, mois, année)."; },
    pattern: function (e, field) { return PATTERN_MESSAGES[field] || "Format non valide : voir l'aide du champ."; },
    uniqueItems: function () { return "Une valeur est en double."; }
  };
  var PATTERN_MESSAGES = {
    url: "Une adresse web complète est attendue, commençant par https:// ou http://.",
    insee: "5 caractères : le code Insee de la commune (ex. 79191). Pour une intercommunalité, remplissez SIREN.",
    siren: "9 chiffres : le SIREN de l'intercommunalité (ex. 200041317)."
  };
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  var settings, schema, validate;
  var controls = {};   // dotted path → {path, prop, element or group}
  var lists = {};      // dotted path of a list of objects → {container, item schema, rows}
  var state = { submitted: false, slugEdited: false, checkOrder: 0 };

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else if (attributes[key] !== null && attributes[key] !== undefined && attributes[key] !== false) node.setAttribute(key, attributes[key] === true ? "" : attributes[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function resolve(prop) {
    if (prop.$ref) return schema.$defs[prop.$ref.split("/").pop()];
    var options = (prop.anyOf || []).filter(function (option) { return option.type !== "null"; });
    if (options.length === 1) return Object.assign({}, options[0], prop, { anyOf: undefined });
    return prop;
  }

  function fieldId(path) { return "f-" + path.join("-"); }
  /* The label of a field; rows of a list share their field's labels ("sources.0.url" → "sources.url"). */
  function label(path) {
    var dotted = path.filter(function (p) { return typeof p === "string" && !/^\d+$/.test(p); }).join(".");
    return settings.labels[dotted] || dotted;
  }

  /* ---------- building the form from the schema ---------- */

  function fieldShell(path, prop, required, control, isGroup) {
    var id = fieldId(path);
    var help = el("p", { class: "recueil-field__help", id: id + "-aide", text: (settings.help || {})[path.join(".")] || prop.description || "" });
    var error = el("p", { class: "recueil-field__error", id: id + "-erreur", hidden: true });
    var mark = required ? el("span", { class: "recueil-field__required", text: " (obligatoire)" }) : el("span", { class: "recueil-field__optional", text: " (facultatif)" });
    if (isGroup) {
      var legend = el("legend", { text: label(path) }, [mark]);
      control.setAttribute("aria-describedby", id + "-aide " + id + "-erreur");
      return el("fieldset", { class: "recueil-field recueil-field--group", id: id, tabindex: "-1", "aria-describedby": id + "-aide " + id + "-erreur" }, [legend, help, error, control]);
    }
    control.id = id;
    control.setAttribute("aria-describedby", id + "-aide " + id + "-erreur");
    if (required) control.setAttribute("aria-required", "true");
    return el("div", { class: "recueil-field" }, [el("label", { for: id, text: label(path) }, [mark]), help, error, control]);
  }

  function scalarControl(path, prop) {
    var dotted = path.join(".");
    var choices = settings.choices[dotted] || {};
    if (prop.enum) {
      var select = el("select", { name: dotted }, [el("option", { value: "", text: "— choisir —" })]);
      prop.enum.forEach(function (value) { select.appendChild(el("option", { value: value, text: choices[value] || value })); });
      return select;
    }
    if (prop.type === "string" && (prop.maxLength || 0) > 200) return el("textarea", { name: dotted, rows: "3" });
    if (prop.format === "date") return el("input", { type: "date", name: dotted, value: today() });
    var numeric = prop.type === "integer" || prop.type === "number";
    var input = el("input", { type: "text", name: dotted, inputmode: numeric ? (prop.type === "integer" ? "numeric" : "decimal") : null,
      autocomplete: "off", spellcheck: numeric ? "false" : null, value: prop.default !== undefined && prop.default !== null ? String(prop.default) : null });
    if (prop.examples && typeof prop.examples[0] !== "object") input.placeholder = "ex. " + prop.examples[0];
    return input;
  }

  function choiceGroup(path, item) {
    var dotted = path.join(".");
    var labels = settings.choices[dotted] || {};
    var list = el("ul", { class: "recueil-choices" });
    item.enum.forEach(function (value) {
      var id = fieldId(path) + "--" + value;
      var box = el("input", { type: "checkbox", id: id, name: dotted, value: value });
      box.addEventListener("change", function () { box.dataset.order = box.checked ? String(++state.checkOrder) : ""; });
      list.appendChild(el("li", {}, [box, el("label", { for: id, text: labels[value] || value })]));
    });
    return list;
  }

  /* The order of ticking is kept (the main theme first): say it, since check boxes cannot show it. */
  function choiceOrder(group) {
    var note = el("p", { class: "recueil-field__help recueil-choices__order", "aria-live": "polite" });
    group.addEventListener("change", function () {
      var ticked = Array.prototype.filter.call(group.querySelectorAll("input:checked"), function () { return true; });
      ticked.sort(function (a, b) { return Number(a.dataset.order || 0) - Number(b.dataset.order || 0); });
      note.textContent = ticked.length > 1 ? "Dans l'ordre : " + ticked.map(function (box) {
        return box.nextElementSibling.textContent;
      }).join(", ") + "." : "";
    });
    return note;
  }

  function buildField(path, rawProp, required) {
    var prop = resolve(rawProp);
    var dotted = path.join(".");
    if (prop.type === "object" && prop.properties) {
      var set = el("fieldset", { class: "recueil-form__group", id: fieldId(path) }, [el("legend", { text: label(path) })]);
      Object.keys(prop.properties).forEach(function (name) {
        set.appendChild(buildField(path.concat(name), prop.properties[name], required && (prop.required || []).indexOf(name) >= 0));
      });
      return set;
    }
    if (prop.type === "array") {
      var item = resolve(prop.items || {});
      if (item.enum) {
        var group = choiceGroup(path, item);
        controls[dotted] = { path: path, prop: prop, kind: "choices", element: group };
        var set = fieldShell(path, prop, required || prop.minItems > 0, group, true);
        set.appendChild(choiceOrder(group));
        return set;
      }
      if (item.type === "object") return objectList(path, prop, item, required || prop.minItems > 0);
      var area = el("textarea", { name: dotted, rows: "3" });
      controls[dotted] = { path: path, prop: prop, kind: "lines", element: area };
      var shell = fieldShell(path, prop, required, area, false);
      shell.querySelector(".recueil-field__help").textContent += " Une valeur par ligne.";
      return shell;
    }
    var control = scalarControl(path, prop);
    controls[dotted] = { path: path, prop: prop, kind: "scalar", element: control };
    return fieldShell(path, prop, required, control, false);
  }

  function objectList(path, prop, item, required) {
    var dotted = path.join(".");
    var rows = el("ol", { class: "recueil-items" });
    var add = el("button", { type: "button", class: "md-button recueil-items__add", text: "Ajouter : " + label(path).toLowerCase() });
    var entry = { path: path, prop: prop, item: item, rows: rows, kind: "objects" };
    lists[dotted] = entry;
    controls[dotted] = entry;
    add.addEventListener("click", function () { addRow(entry, true); });
    var group = el("div", { class: "recueil-items__body" }, [rows, add]);
    var shell = fieldShell(path, prop, required, group, true);
    for (var i = 0; i < (prop.minItems || 0); i++) addRow(entry, false);
    return shell;
  }

  function addRow(entry, focus) {
    var index = entry.rows.children.length;
    var li = el("li", { class: "recueil-items__row" });
    Object.keys(entry.item.properties).forEach(function (name) {
      var prop = resolve(entry.item.properties[name]);
      var path = entry.path.concat(index, name);
      var control = scalarControl(entry.path.concat(name), prop);
      control.name = entry.path.concat(name).join(".");
      var shell = fieldShell(path, prop, (entry.item.required || []).indexOf(name) >= 0, control, false);
      shell.querySelector("label").textContent = label(entry.path.concat(name)) + " " + (index + 1);
      shell.querySelector("label").appendChild(el("span", { class: (entry.item.required || []).indexOf(name) >= 0 ? "recueil-field__required" : "recueil-field__optional",
        text: (entry.item.required || []).indexOf(name) >= 0 ? " (obligatoire)" : " (facultatif)" }));
      control.dataset.part = name;
      li.appendChild(shell);
    });
    var remove = el("button", { type: "button", class: "recueil-items__remove", text: "Retirer l'élément " + (index + 1) });
    remove.addEventListener("click", function () { li.remove(); renumber(entry); refresh(); });
    li.appendChild(remove);
    entry.rows.appendChild(li);
    if (focus) li.querySelector("input, textarea, select").focus();
  }

  /* Ids and labels follow the rows' positions, so errors point at the right row after a removal. */
  function renumber(entry) {
    Array.prototype.forEach.call(entry.rows.children, function (li, index) {
      Array.prototype.forEach.call(li.querySelectorAll("[data-part]"), function (control) {
        var path = entry.path.concat(index, control.dataset.part);
        var id = fieldId(path);
        var shell = control.parentNode;
        control.id = id;
        control.setAttribute("aria-describedby", id + "-aide " + id + "-erreur");
        shell.querySelector("label").setAttribute("for", id);
        shell.querySelector("label").firstChild.textContent = label(entry.path.concat(control.dataset.part)) + " " + (index + 1);
        shell.querySelector(".recueil-field__help").id = id + "-aide";
        shell.querySelector(".recueil-field__error").id = id + "-erreur";
      });
      li.querySelector(".recueil-items__remove").textContent = "Retirer l'élément " + (index + 1);
    });
  }

  function sectionsFieldset() {
    var set = el("fieldset", { class: "recueil-form__group" }, [el("legend", { text: "Texte de la fiche" }),
      el("p", { class: "recueil-field__help", text: "Avec vos mots, des faits tirés des sources citées. Markdown permis : une ligne vide entre deux paragraphes, « - » en début de ligne pour une liste." })]);
    settings.sections.forEach(function (section, index) {
      var path = ["section", String(index)];
      var area = el("textarea", { name: "section-" + index, rows: "5" });
      controls["section." + index] = { path: path, prop: {}, kind: "section", element: area, section: section };
      var shell = fieldShell(path, { description: section.hint }, section.required, area, false);
      shell.querySelector("label").firstChild.textContent = section.title;
      set.appendChild(shell);
    });
    return set;
  }

  function slugField() {
    var input = el("input", { type: "text", name: "slug", autocomplete: "off", spellcheck: "false" });
    input.addEventListener("input", function () { state.slugEdited = input.value.trim() !== ""; });
    controls.slug = { path: ["slug"], prop: {}, kind: "slug", element: input };
    var shell = fieldShell(["slug"], { description: "Nom du fichier de la fiche : minuscules sans accent, chiffres et tirets. Proposé à partir du titre." }, true, input, false);
    shell.querySelector("label").firstChild.textContent = "Nom du fichier";
    return shell;
  }

  /* ---------- reading the form into a card ---------- */

  function readScalar(control, prop) {
    var raw = control.value.replace(/\r\n?/g, "\n").trim();
    if (raw === "") return undefined;
    if (prop.type === "integer" || prop.type === "number") {
      var compact = raw.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
      var number = Number(compact);
      return compact !== "" && isFinite(number) ? number : raw;
    }
    return raw;
  }

  function setAt(target, path, value) {
    if (value === undefined) return;
    for (var i = 0; i < path.length - 1; i++) target = target[path[i]] = target[path[i]] || {};
    target[path[path.length - 1]] = value;
  }

  function readCard() {
    var card = {};
    Object.keys(controls).forEach(function (dotted) {
      var c = controls[dotted];
      if (c.kind === "scalar") setAt(card, c.path, readScalar(c.element, c.prop));
      if (c.kind === "lines") {
        var lines = c.element.value.split(/\r?\n/).map(function (line) { return line.trim(); }).filter(Boolean);
        setAt(card, c.path, lines.length ? lines : undefined);
      }
      if (c.kind === "choices") {
        var checked = Array.prototype.filter.call(c.element.querySelectorAll("input:checked"), function () { return true; });
        checked.sort(function (a, b) { return Number(a.dataset.order || 0) - Number(b.dataset.order || 0); });
        setAt(card, c.path, checked.map(function (box) { return box.value; }));
      }
      if (c.kind === "objects") {
        var items = Array.prototype.map.call(c.rows.children, function (li) {
          var item = {};
          Array.prototype.forEach.call(li.querySelectorAll("[data-part]"), function (control) {
            setAt(item, [control.dataset.part], readScalar(control, resolve(c.item.properties[control.dataset.part])));
          });
          return item;
        });
        setAt(card, c.path, items);
      }
    });
    return card;
  }

  function readSections() {
    return settings.sections.map(function (section, index) {
      return { title: section.title, text: controls["section." + index].element.value.replace(/\r\n?/g, "\n").trim() };
    });
  }

  /* ---------- validation ---------- */

  function isDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    var day = new Date(text + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
  }

  function errorTarget(instancePath, error) {
    var path = instancePath.split("/").filter(Boolean);
    if (error.keyword === "required") path.push(error.params.missingProperty);
    while (path.length) {
      if (document.getElementById(fieldId(path))) return path;
      path.pop();
    }
    return null;
  }

  function collectErrors(card, sections, slug) {
    var found = [];
    if (!validate(card)) {
      validate.errors.forEach(function (error) {
        var path = errorTarget(error.instancePath, error);
        if (!path) return;
        var message = (MESSAGES[error.keyword] || function () { return error.message; })(error, path[path.length - 1]);
        found.push({ path: path, message: message });
      });
    }
    sections.forEach(function (section, index) {
      if (settings.sections[index].required && !section.text) found.push({ path: ["section", String(index)], message: "Écrivez au moins quelques phrases." });
    });
    if (!slug) found.push({ path: ["slug"], message: "Ce champ est obligatoire : il est proposé à partir du titre." });
    else if (!SLUG.test(slug)) found.push({ path: ["slug"], message: "Minuscules sans accent, chiffres et tirets, sans tiret au début ni à la fin." });
    else if (settings.existingSlugs.indexOf(slug) >= 0) found.push({ path: ["slug"], message: "Une fiche porte déjà ce nom : choisissez-en un autre." });
    var seen = {};
    found = found.filter(function (item) {
      var key = fieldId(item.path);
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
    return found.sort(function (a, b) { return documentOrder(document.getElementById(fieldId(a.path)), document.getElementById(fieldId(b.path))); });
  }

  function documentOrder(a, b) {
    if (!a || !b || a === b) return 0;
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  function showErrors(found) {
    Array.prototype.forEach.call(root.querySelectorAll(".recueil-field__error"), function (p) { p.hidden = true; p.textContent = ""; });
    Array.prototype.forEach.call(root.querySelectorAll("[aria-invalid]"), function (node) { node.removeAttribute("aria-invalid"); });
    found.forEach(function (item) {
      var id = fieldId(item.path);
      var error = document.getElementById(id + "-erreur");
      if (error) { error.textContent = item.message; error.hidden = false; }
      var node = document.getElementById(id);
      if (node) node.setAttribute("aria-invalid", "true");
    });
    var summary = root.querySelector(".recueil-form__summary");
    summary.textContent = "";
    summary.hidden = found.length === 0;
    if (!found.length) return;
    summary.appendChild(el("h2", { text: found.length === 1 ? "Un champ est à corriger" : found.length + " champs sont à corriger" }));
    var list = el("ul");
    found.forEach(function (item) {
      var link = el("a", { href: "#" + fieldId(item.path), text: fieldName(item.path) + " : " + item.message });
      link.addEventListener("click", function (event) { event.preventDefault(); focusField(item.path); });
      list.appendChild(el("li", {}, [link]));
    });
    summary.appendChild(list);
  }

  function fieldName(path) {
    if (path[0] === "section") return settings.sections[Number(path[1])].title;
    if (path[0] === "slug") return "Nom du fichier";
    var name = label(path);
    var index = path.filter(function (p) { return /^\d+$/.test(p); })[0];
    return index !== undefined ? name + " " + (Number(index) + 1) : name;
  }

  function focusField(path) {
    var node = document.getElementById(fieldId(path));
    if (!node) return;
    var target = node.matches("fieldset") ? (node.querySelector("input, select, textarea") || node) : node;
    target.focus();
  }

  /* ---------- producing the file ---------- */

  function yamlValue(value, indent) {
    if (Array.isArray(value)) {
      if (value.every(function (v) { return typeof v === "string" && SLUG.test(v); })) return " [" + value.join(", ") + "]";
      return value.map(function (item) {
        if (item !== null && typeof item === "object") {
          var lines = Object.keys(item).map(function (key, i) { return (i === 0 ? indent + "  - " : indent + "    ") + key + ":" + yamlValue(item[key], indent + "    "); });
          return "\n" + lines.join("\n");
        }
        return "\n" + indent + "  - " + yamlScalar(item);
      }).join("");
    }
    if (value !== null && typeof value === "object") {
      return Object.keys(value).map(function (key) { return "\n" + indent + "  " + key + ":" + yamlValue(value[key], indent + "  "); }).join("");
    }
    return " " + yamlScalar(value);
  }

  /* A JSON string is a valid YAML double-quoted scalar; ids, numbers and dates stay plain. */
  function yamlScalar(value) {
    if (typeof value === "number") return String(value);
    if (SLUG.test(value) || isDate(value)) return value;
    return JSON.stringify(value);
  }

  function cardText(card, sections) {
    var lines = ["---", settings.schemaComment];
    Object.keys(schema.properties).forEach(function (name) {
      if (card[name] !== undefined) lines.push(name + ":" + yamlValue(card[name], ""));
    });
    lines.push("---", "");
    sections.forEach(function (section, index) {
      // The optional section ("En savoir plus") left empty lists the sources.
      var text = section.text || (!settings.sections[index].required ? sourceLinks(card) : "");
      lines.push("## " + section.title, "", text, "");
    });
    return lines.join("\n").replace(/\n{3,}/g, "\n\n");
  }

  function sourceLinks(card) {
    return (card.sources || []).map(function (source) {
      var title = source.title.replace(/([\[\]\\])/g, "\\$1");
      return source.url ? "- [" + title + "](" + source.url + ")" : "- " + title;
    }).join("\n");
  }

  function slugify(text) {
    return text.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* ---------- preview and outputs ---------- */

  function preview(card, sections, slug, text) {
    var out = root.querySelector(".recueil-form__result");
    out.textContent = "";
    var choices = settings.choices;
    var place = card.territory || {};
    var facts = el("dl", { class: "recueil-facts" });
    function fact(name, value) { if (value) { facts.appendChild(el("dt", { text: name })); facts.appendChild(el("dd", { text: value })); } }
    fact(label(["territory"]), place.name + (place.region ? " (" + place.region + ", " + place.country + ")" : ""));
    fact(label(["territory", "kind"]), (choices["territory.kind"] || {})[place.kind]);
    fact(label(["territory", "population"]), place.population !== undefined ? place.population.toLocaleString("fr-FR") + " habitants" : "non renseignée");
    fact(label(["themes"]), card.themes.map(function (id) { return choices.themes[id]; }).join(", "));
    fact(label(["recommendations"]), card.recommendations.map(function (id) { return choices.recommendations[id]; }).join(" ; "));
    fact(label(["programme"]), card.programme ? choices.programme[card.programme] : "");
    fact(label(["status"]), choices.status[card.status] + ", depuis " + card.year + (card.end_year ? " (jusqu'en " + card.end_year + ")" : ""));
    var article = el("article", { class: "recueil-form__preview", "aria-labelledby": "recueil-apercu-titre" }, [
      el("h3", { id: "recueil-apercu-titre", text: card.title }),
      el("p", { class: "recueil-summary", text: card.summary }), facts]);
    sections.forEach(function (section) {
      if (!section.text) return;
      article.appendChild(el("h4", { text: section.title }));
      section.text.split(/\n{2,}/).forEach(function (paragraph) { article.appendChild(el("p", { text: paragraph })); });
    });
    article.appendChild(el("h4", { text: label(["sources"]) }));
    article.appendChild(el("ul", {}, card.sources.map(function (source) { return el("li", { text: source.title + (source.url ? " — " + source.url : "") }); })));

    var fileName = slug + ".md";
    var download = el("button", { type: "button", class: "md-button md-button--primary recueil-form__download", text: "Télécharger " + fileName });
    download.addEventListener("click", function () {
      var link = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" })), download: fileName });
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    });
    var github = proposal(fileName, text);
    var open = el("a", { class: "md-button recueil-form__github", href: github.href, target: "_blank", rel: "noopener",
      text: github.paste ? "Copier le fichier et ouvrir GitHub (nouvel onglet)" : "Proposer sur GitHub (nouvel onglet)" });
    var copied = el("p", { class: "recueil-form__copy", role: "status" });
    if (github.paste) {
      open.addEventListener("click", function () {
        copyText(text).then(function () {
          copied.textContent = "Le fichier est copié. Dans la page de GitHub qui s'ouvre, cliquez dans la zone de texte vide et collez-le (Ctrl+V, ou Cmd+V sur Mac), puis proposez la modification.";
        }, function () {
          copied.textContent = "La copie automatique n'a pas fonctionné : sélectionnez tout le contenu du fichier ci-dessous et copiez-le, ou téléchargez le fichier, puis collez-le dans la page de GitHub.";
        });
      });
    }
    out.appendChild(el("h2", { id: "recueil-resultat-titre", tabindex: "-1", text: "Aperçu de la fiche" }));
    out.appendChild(article);
    out.appendChild(el("h2", { text: "Le fichier " + fileName }));
    out.appendChild(el("p", { text: github.paste
      ? "Téléchargez-le pour le déposer dans le dossier " + settings.casesDir + "/ du dépôt, ou proposez-le sur GitHub. Ce fichier est trop long pour que GitHub le reçoive dans l'adresse de sa page : le bouton « Copier le fichier et ouvrir GitHub » le copie dans le presse-papiers et ouvre la page de création de fichier de GitHub avec le nom du fichier déjà rempli. Vous n'aurez qu'à coller le fichier dans la zone de texte (Ctrl+V, ou Cmd+V sur Mac) : GitHub vous proposera ensuite d'en faire une demande de fusion (pull request)."
      : "Téléchargez-le pour le déposer dans le dossier " + settings.casesDir + "/ du dépôt, ou ouvrez la page de création de fichier de GitHub, déjà remplie : GitHub vous proposera d'en faire une demande de fusion (pull request)." }));
    out.appendChild(el("p", { class: "recueil-form__actions" }, [download, document.createTextNode(" "), open]));
    out.appendChild(copied);
    // Focusable, so the file can be scrolled with the keyboard.
    out.appendChild(el("pre", { class: "recueil-form__file", tabindex: "0", "aria-label": "Contenu du fichier " + fileName },
      [el("code", { text: text })]));
    out.hidden = false;
  }

  /* GitHub answers 414 to an address longer than 8,191 bytes. Up to settings.addressLimit (declared once,
     in recueil/outputs/contribution.py) the address carries the file; above, only its name, and the file
     goes through the clipboard. */
  function proposal(fileName, text) {
    var page = settings.repoUrl + "/new/" + encodeURIComponent(settings.branch) + "/" + settings.casesDir +
      "?filename=" + encodeURIComponent(fileName);
    var full = page + "&value=" + encodeURIComponent(text);
    return byteLength(full) <= settings.addressLimit ? { href: full, paste: false } : { href: page, paste: true };
  }

  function byteLength(text) { return new TextEncoder().encode(text).length; }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error("no clipboard"));
  }

  function refresh() {
    if (!state.submitted) return;
    var card = readCard();
    showErrors(collectErrors(card, readSections(), currentSlug(card)));
  }

  function currentSlug(card) {
    var input = controls.slug.element;
    if (!state.slugEdited) input.value = slugify(card.title || "");
    return input.value.trim();
  }

  function submit(event) {
    event.preventDefault();
    state.submitted = true;
    var card = readCard();
    var sections = readSections();
    var slug = currentSlug(card);
    var found = collectErrors(card, sections, slug);
    showErrors(found);
    var result = root.querySelector(".recueil-form__result");
    var status = root.querySelector(".recueil-form__status");
    if (found.length) {
      result.hidden = true;
      status.textContent = "";
      root.querySelector(".recueil-form__summary").focus();
      return;
    }
    preview(card, sections, slug, cardText(card, sections));
    status.textContent = "La fiche est valide : aperçu et fichier ci-dessous.";
    document.getElementById("recueil-resultat-titre").focus();
  }

  function build() {
    var form = el("form", { class: "recueil-form", novalidate: true, "aria-label": "Proposer une expérience" });
    form.appendChild(el("p", { class: "recueil-form__intro", text: "Les champs marqués (obligatoire) doivent être remplis. Rien n'est envoyé tant que vous ne téléchargez pas le fichier ou ne l'ouvrez pas sur GitHub." }));
    form.appendChild(el("div", { class: "recueil-form__summary", role: "alert", tabindex: "-1", hidden: true }));
    Object.keys(schema.properties).forEach(function (name) {
      form.appendChild(buildField([name], schema.properties[name], (schema.required || []).indexOf(name) >= 0));
    });
    form.appendChild(sectionsFieldset());
    form.appendChild(slugField());
    form.appendChild(el("p", {}, [el("button", { type: "submit", class: "md-button md-button--primary", text: "Vérifier la fiche et voir l'aperçu" })]));
    form.appendChild(el("p", { class: "recueil-form__status", role: "status" }));
    form.addEventListener("submit", submit);
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    controls.title.element.addEventListener("input", function () { if (!state.slugEdited) controls.slug.element.value = slugify(controls.title.element.value); });
    root.textContent = "";
    root.appendChild(form);
    root.appendChild(el("section", { class: "recueil-form__result", "aria-labelledby": "recueil-resultat-titre", hidden: true }));
    territoryLookup();
    // For the tests and the measure of the longest address (tests/browser/test_propose_form.py).
    window.RecueilForm = { proposal: proposal };
    root.setAttribute("data-ready", "");
  }

  /* The territory's name completes from the official reference (recueil-territoire.js, « Mon
     territoire »); choosing one fills its code (insee or siren), kind, département and région. */
  function territoryLookup() {
    var name = controls["territory.name"], indexUrl = root.getAttribute("data-territoires");
    if (!window.RecueilTerritoire || !name || !indexUrl) return;
    var help = document.getElementById(fieldId(["territory", "name"]) + "-aide");
    if (help) help.textContent += " Tapez le nom d'une commune ou d'une intercommunalité française et choisissez-la dans la liste : son code et sa région sont remplis pour vous.";
    window.RecueilTerritoire.attach(name.element, new URL(indexUrl, document.baseURI).href, function (t) {
      var commune = t.kind === "commune";
      setValue("territory.insee", commune ? t.code : "");
      setValue("territory.siren", commune ? "" : t.code);
      setValue("territory.kind", commune ? "commune" : "intercommunalite");
      setValue("territory.departement", t.departement || "");
      setValue("territory.region", t.regionName || "");
      setValue("territory.country", "France");
      refresh();
    });
  }

  function setValue(dotted, value) {
    var control = controls[dotted];
    if (control && control.element) control.element.value = value;
  }

  function fail(message) {
    root.textContent = "";
    root.appendChild(el("p", { class: "recueil-form__failure", role: "alert", text: message }));
  }

  function load() {
    if (!AjvClass) return fail("Le validateur du formulaire n'a pas pu être chargé : rechargez la page, ou proposez votre expérience par l'un des autres moyens décrits plus bas.");
    var settingsUrl = new URL(root.getAttribute("data-settings"), document.baseURI);
    fetch(settingsUrl).then(function (response) { return response.json(); }).then(function (data) {
      settings = data;
      return fetch(new URL(settings.schema, settingsUrl));
    }).then(function (response) { return response.json(); }).then(function (data) {
      schema = data;
      var ajv = new AjvClass({ allErrors: true, unicodeRegExp: false });
      ajv.addFormat("date", { type: "string", validate: isDate });
      validate = ajv.compile(schema);
      build();
    }).catch(function () {
      fail("Le formulaire n'a pas pu être chargé : rechargez la page, ou proposez votre expérience par l'un des autres moyens décrits plus bas.");
    });
  }

  load();
})();
