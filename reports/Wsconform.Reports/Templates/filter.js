// wsconform report filters. Runs from file:// with no network. It only reads data-* attributes and toggles the
// hidden property; it never builds HTML from report strings (counts go in via textContent).
(function () {
  "use strict";
  var matrix = document.getElementById("matrix");
  if (!matrix) return;
  var verdict = document.getElementById("f-verdict");
  var category = document.getElementById("f-category");
  var search = document.getElementById("f-search");
  var notOk = document.getElementById("f-notok");
  var count = document.getElementById("f-count");
  var empty = document.getElementById("f-empty");
  var groups = Array.prototype.slice.call(matrix.tBodies);
  var rows = Array.prototype.slice.call(matrix.querySelectorAll("tr.case-row"));
  var total = rows.length;

  function apply() {
    var v = verdict.value, c = category.value, q = search.value.trim().toLowerCase(), onlyNotOk = notOk.checked;
    // A query that is a case ID selects that case; an ID prefix such as "6.4" selects 6.4.*; anything else
    // searches ID, sub-category and requirement text.
    var exact = q !== "" && rows.some(function (r) { return r.dataset.id.toLowerCase() === q; });
    var byId = exact || (q !== "" && rows.some(function (r) { return r.dataset.id.toLowerCase().indexOf(q + ".") === 0; }));
    var shown = 0;
    rows.forEach(function (r) {
      var id = r.dataset.id.toLowerCase();
      var ok = (v === "" || (" " + r.dataset.verdicts + " ").indexOf(" " + v + " ") >= 0)
        && (c === "" || r.dataset.category === c)
        && (!onlyNotOk || r.dataset.ok !== "1")
        && (q === "" || (exact ? id === q : byId ? id.indexOf(q + ".") === 0 : r.dataset.search.indexOf(q) >= 0));
      r.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (g) {
      if (!g.classList.contains("cat")) return;
      g.hidden = !g.querySelector("tr.case-row:not([hidden])");
    });
    count.textContent = shown + " of " + total + " cases shown";
    empty.hidden = shown !== 0;
  }

  [verdict, category, notOk].forEach(function (el) { el.addEventListener("change", apply); });
  search.addEventListener("input", apply);

  // Following a link to a case opens its wire log.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.classList.contains("case")) {
      var wire = el.querySelector("details.wire");
      if (wire) wire.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  apply();
})();
