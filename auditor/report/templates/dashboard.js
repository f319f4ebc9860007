(function () {
  "use strict";
  // Sort and filter the article table in place (no innerHTML: rows exist already).
  var table = document.getElementById("arts");
  if (!table) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-v");
    if (v === null) { v = cell.textContent; }
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v.toLowerCase();
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      var keyed = rows.map(function (r, i) { return [key(r, col, numeric), i, r]; });
      keyed.sort(function (a, b) {
        var d = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
        return (asc ? d : -d) || (a[1] - b[1]);
      });
      var frag = document.createDocumentFragment();
      keyed.forEach(function (k) { frag.appendChild(k[2]); });
      body.appendChild(frag);
    });
  });
  var q = document.getElementById("q");
  var timer = null;
  if (q) {
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var needle = q.value.trim().toLowerCase();
        Array.prototype.forEach.call(body.rows, function (r) {
          r.classList.toggle("hid", !!needle && r.textContent.toLowerCase().indexOf(needle) < 0);
        });
      }, 120);
    });
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
