/* Under `mkdocs serve` only (hooks/recueil_hooks.py adds this script to each served page, with the
   address of the status file in data-recueil-pdf-status; recueil/outputs/pdf_background.py writes that
   file): while the status says the booklet is being made, the links to guide.pdf say so instead of
   leading to a missing file. */
(function () {
  "use strict";
  var status = document.currentScript.getAttribute("data-recueil-pdf-status");
  var links = Array.prototype.filter.call(document.querySelectorAll("a[href]"), function (a) {
    return /(^|\/)guide\.pdf$/.test(a.getAttribute("href"));
  });
  if (!links.length) return;
  var saved = links.map(function (a) { return [a.getAttribute("href"), a.innerHTML]; });
  function show(making) {
    links.forEach(function (a, i) {
      if (making) {
        a.removeAttribute("href");
        a.setAttribute("aria-disabled", "true");
        a.style.color = "inherit";
        a.style.textDecoration = "none";
        a.textContent = "Le guide PDF est en cours de fabrication (il sera là dans une minute)";
      } else if (!a.hasAttribute("href")) {
        a.setAttribute("href", saved[i][0]);
        a.removeAttribute("aria-disabled");
        a.style.color = "";
        a.style.textDecoration = "";
        a.innerHTML = saved[i][1];
      }
    });
  }
  function check() {
    fetch(status, {cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : {etat: "pret"}; })
      .then(function (s) { var making = s.etat === "en-cours"; show(making); if (making) setTimeout(check, 3000); })
      .catch(function () { setTimeout(check, 5000); });
  }
  check();
})();
