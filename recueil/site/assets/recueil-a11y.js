/* Recueil: keyboard access that Material and the map's SVG do not give by themselves (RGAA 4.1.2,
 * criteria 7.1, 10.7, 12.8, 12.13). Loaded on every page (mkdocs.yml, extra_javascript).
 *
 * 1. The menu button. Below 1,220 px the navigation is a drawer opened by Material's
 *    <label for="__drawer">, which a keyboard cannot reach. The label is replaced by a <button>
 *    (name, aria-expanded, aria-controls) that toggles Material's checkbox: Enter or Space opens the
 *    drawer and moves the focus into it, Escape closes it and brings the focus back to the button;
 *    while it is open, Tab goes round the button and the drawer only. While it is closed, the drawer is
 *    out of the Tab order through CSS (recueil/site/assets/recueil.css, `visibility`), also without JavaScript.
 * 2. The map's markers (recueil/templates/_map.j2): one Tab stop into the map, not one per case.
 *    Chosen over taking the markers out of the Tab order (the list being the keyboard path) because
 *    the map is what a sighted keyboard user sees and wants to use: a "roving tabindex", where the
 *    marker last visited holds tabindex="0" and the others "-1"; the arrow keys move to the nearest
 *    marker in their direction, Home and End to the first and last; Tab leaves the map. Markers the
 *    bank's filters hide are skipped. Screen readers still find every marker, each a named link.
 *    Without JavaScript, every marker is a Tab stop, as before.
 * 3. Wide tables: Material wraps Markdown tables in a box that scrolls sideways when they are wider
 *    than the screen; such a box is made a focusable, named region, so that a keyboard can scroll it
 *    (tables written in HTML by the engine have their own region, e.g. recueil/templates/data.md.j2).
 */
(function () {
  "use strict";

  /* ---- 1. The menu button ---- */

  var drawerToggle = document.getElementById("__drawer");
  var menuLabel = document.querySelector(".md-header label.md-header__button[for='__drawer']");
  var drawer = document.querySelector(".md-sidebar--primary");

  function focusables(root) {
    return Array.prototype.filter.call(
      root.querySelectorAll("a[href], button, input, select, textarea, [tabindex='0']"),
      function (el) { return el.getClientRects().length > 0 && !el.disabled && getComputedStyle(el).visibility === "visible"; });
  }

  if (drawerToggle && menuLabel && drawer) {
    // A real <button> in place of the label (a label cannot take role="button"), with its icon and
    // classes; recueil/site/assets/recueil.css gives it the label's look and hides it from 1,220 px.
    var menuButton = document.createElement("button");
    menuButton.type = "button";
    menuButton.className = menuLabel.className + " recueil-menu-button";
    while (menuLabel.firstChild) menuButton.appendChild(menuLabel.firstChild);
    menuLabel.parentNode.replaceChild(menuButton, menuLabel);
    if (!drawer.id) drawer.id = "recueil-menu";
    menuButton.setAttribute("aria-label", "Menu");
    menuButton.setAttribute("aria-controls", drawer.id);
    var syncMenu = function () { menuButton.setAttribute("aria-expanded", drawerToggle.checked ? "true" : "false"); };
    var setDrawer = function (open) {
      if (drawerToggle.checked === open) return;
      drawerToggle.checked = open;
      drawerToggle.dispatchEvent(new Event("change", {bubbles: true})); // Material follows the checkbox
      syncMenu();
    };
    syncMenu();
    drawerToggle.addEventListener("change", syncMenu);
    menuButton.addEventListener("click", function (event) {
      setDrawer(!drawerToggle.checked);
      // From the keyboard (a click without a pointer), the focus goes into the open drawer.
      if (drawerToggle.checked && event.detail === 0) {
        var first = focusables(drawer)[0];
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !drawerToggle.checked) return;
      setDrawer(false);
      menuButton.focus();
    });
    // While the drawer covers the page (the menu button is shown), Tab and Shift+Tab go round the
    // menu button and the drawer's links, never to the page behind it (RGAA 12.8); Escape closes it.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
      if (!drawerToggle.checked || menuButton.getClientRects().length === 0) return;
      var cycle = [menuButton].concat(focusables(drawer));
      var at = cycle.indexOf(document.activeElement);
      var next = at < 0 ? (event.shiftKey ? cycle.length - 1 : 0) : (at + (event.shiftKey ? -1 : 1) + cycle.length) % cycle.length;
      event.preventDefault();
      cycle[next].focus();
    });
  }

  /* The drawer's sections. Material names each section's sub-list (a <nav>) after the label that
     opens it, which holds only an arrow when the section has an index page: several navigation
     landmarks without a name (axe-core: landmark-unique). They take the section's name. A section
     opens as a pane whose title, with its back arrow, closes it: that title takes the focus too
     (Material opens and closes its focusable labels with Enter). */
  Array.prototype.forEach.call(document.querySelectorAll(".md-nav--primary nav.md-nav[aria-labelledby]"), function (nav) {
    var label = document.getElementById(nav.getAttribute("aria-labelledby"));
    if (!label || label.textContent.trim()) return;
    var link = label.parentNode.querySelector("a.md-nav__link");
    var name = link ? link.textContent.trim() : "";
    if (!name) return;
    nav.removeAttribute("aria-labelledby");
    nav.setAttribute("aria-label", name);
    label.setAttribute("aria-label", "Pages de la rubrique « " + name + " »");
  });
  Array.prototype.forEach.call(document.querySelectorAll(".md-nav--primary .md-nav[data-md-level] > label.md-nav__title[for]"), function (title) {
    title.setAttribute("tabindex", "0");
    title.setAttribute("aria-label", "Revenir au menu (" + title.textContent.trim() + ")");
    // Back in the list, the focus goes to the section's own label, not into the pane just closed.
    title.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      setTimeout(function () {
        var opener = document.getElementById(title.htmlFor + "_label");
        if (opener && !document.getElementById(title.htmlFor).checked) opener.focus();
      }, 0);
    });
  });

  /* ---- 2. The map's markers: one Tab stop, arrows inside ---- */

  var ARROWS = {ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1]};

  function rovingMap(svg) {
    var markers = Array.prototype.slice.call(svg.querySelectorAll("a.recueil-map__marker"));
    if (markers.length < 2) return;
    var points = markers.map(function (marker) {
      var circle = marker.querySelector("circle");
      return {x: parseFloat(circle.getAttribute("cx")) || 0, y: parseFloat(circle.getAttribute("cy")) || 0};
    });
    var current = null;
    // The <svg> clips what it draws (a scroll container for Chromium): with every marker but one out of
    // the Tab order, Chromium would make the <svg> itself a Tab stop; it is not one.
    svg.setAttribute("tabindex", "-1");

    function shown(marker) { return !marker.hasAttribute("hidden") && !marker.classList.contains("recueil-is-off"); }

    function setCurrent(marker) {
      current = marker;
      markers.forEach(function (other) { other.setAttribute("tabindex", other === marker ? "0" : "-1"); });
    }

    function elect() {
      if (current && shown(current)) return;
      var first = markers.filter(shown)[0];
      setCurrent(first || markers[0]);
    }

    function nearest(from, direction) {
      var origin = points[markers.indexOf(from)], best = null, bestScore = Infinity;
      markers.forEach(function (marker, index) {
        if (marker === from || !shown(marker)) return;
        var dx = points[index].x - origin.x, dy = points[index].y - origin.y;
        var along = dx * direction[0] + dy * direction[1];
        if (along <= 0) return;
        var across = Math.abs(dx * direction[1] - dy * direction[0]);
        var score = along + 2 * across; // straight ahead beats closer but off to the side
        if (score < bestScore) { bestScore = score; best = marker; }
      });
      return best;
    }

    svg.addEventListener("keydown", function (event) {
      var from = event.target.closest ? event.target.closest("a.recueil-map__marker") : null;
      if (!from) return;
      var visible = markers.filter(shown), to = null;
      if (ARROWS[event.key]) to = nearest(from, ARROWS[event.key]);
      else if (event.key === "Home") to = visible[0];
      else if (event.key === "End") to = visible[visible.length - 1];
      else return;
      event.preventDefault(); // the page does not scroll; an arrow with no marker that way stays put
      if (to) { setCurrent(to); to.focus(); }
    });
    svg.addEventListener("focusin", function (event) {
      var marker = event.target.closest ? event.target.closest("a.recueil-map__marker") : null;
      if (marker) setCurrent(marker);
    });
    // The bank's filters hide markers: the Tab stop moves to a marker still shown.
    new MutationObserver(elect).observe(svg, {subtree: true, attributes: true, attributeFilter: ["hidden", "class"]});
    elect();
  }

  Array.prototype.forEach.call(document.querySelectorAll("figure.recueil-map svg.recueil-map__svg"), rovingMap);

  /* ---- 3. Tables wider than the screen: a focusable, named box ---- */

  function labelScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        var header = box.querySelector("th");
        var name = caption ? caption.textContent : header ? "commençant par « " + header.textContent.trim() + " »" : "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", ("Tableau " + name).trim() + " (défile horizontalement)");
      } else if (!wide && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(labelScrollers, 150);
  });
  // Material wraps the tables from its own script, which runs on DOMContentLoaded like this one: after it.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setTimeout(labelScrollers, 0); });
  else setTimeout(labelScrollers, 0);
})();
