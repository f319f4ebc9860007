(function () {
  "use strict";
  // The table is rendered from JSON, one page of rows at a time, so a feed of
  // tens of thousands of articles opens fast. Text goes in via textContent only.
  var data = JSON.parse(document.getElementById("rows").textContent);
  var body = document.querySelector("#arts tbody");
  var heads = document.querySelectorAll("#arts th");
  var q = document.getElementById("q"), shown = document.getElementById("shown");
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var PAGE = 200, start = 0, view = data.slice(), timer = null;
  var SAFE_HREF = /^articles\/[A-Za-z0-9_.-]+$/;
  var hay = data.map(function (r) { return [r[1], r[3], r[4], r[13], r[14], r[15], r[16]].join(" ").toLowerCase(); });
  data.forEach(function (r, i) { r.push(i); });  // r[18]: index into hay

  function td(text, cls) {
    var c = document.createElement("td");
    c.textContent = text;
    if (cls) { c.className = cls; }
    return c;
  }
  function draw() {
    var frag = document.createDocumentFragment();
    view.slice(start, start + PAGE).forEach(function (r) {
      var tr = document.createElement("tr");
      tr.appendChild(td(String(r[0]), "num"));
      var t = td("", "t");
      if (r[2] && SAFE_HREF.test(r[2])) {
        var a = document.createElement("a");
        a.setAttribute("href", r[2]);
        a.textContent = r[1];
        t.appendChild(a);
      } else {
        t.textContent = r[1];
        if (r[15]) { var e = document.createElement("span"); e.className = "note"; e.textContent = " " + r[15]; t.appendChild(e); }
      }
      tr.appendChild(t);
      tr.appendChild(td(r[3]));
      tr.appendChild(td(r[4]));
      var v = td(""), badge = document.createElement("span");
      badge.className = "v " + (/^(fail|review|pass|error)$/.test(r[14]) ? r[14] : "error");
      badge.textContent = r[14];
      v.appendChild(badge);
      tr.appendChild(v);
      [17, 6, 7, 8, 9].forEach(function (k) { tr.appendChild(td(String(r[k]), "num")); });
      tr.appendChild(td(r[10] + "/" + r[11], "num"));
      tr.appendChild(td(r[12] === null ? "" : String(Math.round(r[12])), "num"));
      var cats = td("", "cats");
      (r[13] ? r[13].split(" ") : []).forEach(function (c) {
        var i = document.createElement("i");
        if (/^[a-z]+$/.test(c)) { i.className = "k-" + c; }
        i.title = c;
        cats.appendChild(i);
      });
      cats.appendChild(document.createTextNode(r[13].split(" ").join(", ")));
      tr.appendChild(cats);
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    var end = Math.min(start + PAGE, view.length);
    shown.textContent = view.length ? (start + 1) + "–" + end + " of " + view.length : "no articles";
    prev.disabled = start === 0;
    next.disabled = end >= view.length;
  }
  var sortKey = null, asc = true;
  function order() {
    if (sortKey === null) { return; }
    var numeric = heads[sortKey.col].getAttribute("data-type") === "num", k = sortKey.k;
    view.sort(function (a, b) {
      var x = a[k], y = b[k];
      if (numeric) { x = x === null ? -Infinity : x; y = y === null ? -Infinity : y; }
      else { x = String(x).toLowerCase(); y = String(y).toLowerCase(); }
      var d = x < y ? -1 : x > y ? 1 : 0;
      return (asc ? d : -d) || (a[0] - b[0]);
    });
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener("click", function () {
      asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      sortKey = { col: col, k: +th.getAttribute("data-k") };
      order(); start = 0; draw();
    });
  });
  function filter() {
    var needle = q.value.trim().toLowerCase();
    view = needle ? data.filter(function (r) { return hay[r[18]].indexOf(needle) >= 0; }) : data.slice();
    order(); start = 0; draw();
  }
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, 120); });
  prev.addEventListener("click", function () { start = Math.max(0, start - PAGE); draw(); });
  next.addEventListener("click", function () { if (start + PAGE < view.length) { start += PAGE; draw(); } });
  // worst first: the score batch ranks its worst articles by
  Array.prototype.forEach.call(heads, function (th, col) {
    if (th.getAttribute("data-k") === "17") {
      th.setAttribute("aria-sort", "descending");
      sortKey = { col: col, k: 17 }; asc = false; order();
    }
  });
  draw();
  document.documentElement.setAttribute("data-ready", "1");
})();
