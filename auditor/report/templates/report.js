(function () {
  "use strict";
  // Untrusted text is already escaped in the HTML; this script only clones
  // and toggles existing nodes (never innerHTML).
  var pop = document.getElementById("pop");
  var cards = {};
  document.querySelectorAll("#fdefs .fc").forEach(function (c) { cards[c.getAttribute("data-id")] = c; });
  var offCat = {}, offSev = {}, pinned = null;

  function ids(el) { return (el.getAttribute("data-f") || "").split(" ").filter(Boolean); }
  function isOn(i) { var c = cards[i]; return !!c && !offCat[c.getAttribute("data-cat")] && !offSev[c.getAttribute("data-sev")]; }
  function active(el) { return ids(el).filter(isOn); }

  function place(el) {
    var r = el.getBoundingClientRect();
    var vw = document.documentElement.clientWidth;
    pop.style.left = Math.max(4, Math.min(window.scrollX + r.left, window.scrollX + vw - pop.offsetWidth - 8)) + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
  }
  function show(el, pin) {
    var a = active(el);
    if (!a.length) { return; }
    pop.replaceChildren();
    a.forEach(function (i) { var n = cards[i].cloneNode(true); n.removeAttribute("id"); n.hidden = false; pop.appendChild(n); });
    pop.hidden = false;
    place(el);
    pinned = pin ? el : null;
  }
  function hide() { pop.hidden = true; pinned = null; }

  document.addEventListener("mouseover", function (e) {
    var el = e.target.closest && e.target.closest(".seg");
    if (el && !pinned) { show(el, false); }
  });
  document.addEventListener("mouseout", function (e) {
    var el = e.target.closest && e.target.closest(".seg");
    var to = e.relatedTarget;
    if (el && !pinned && !(to && (to === pop || pop.contains(to)))) { hide(); }
  });
  pop.addEventListener("mouseleave", function () { if (!pinned) { hide(); } });
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest(".seg");
    if (el) { if (pinned === el) { hide(); } else { show(el, true); } return; }
    if (!pop.contains(e.target)) { hide(); }
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.classList && e.target.classList.contains("seg")) { show(e.target, false); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hide(); }
    if ((e.key === "Enter" || e.key === " ") && e.target.classList && e.target.classList.contains("seg")) {
      e.preventDefault(); show(e.target, true);
    }
  });

  var RANK = { error: 3, warning: 2, info: 1 };
  function refilter() {
    document.querySelectorAll(".seg").forEach(function (el) {
      var a = active(el);
      var zw = el.classList.contains("zw") ? "zw " : "";
      if (!a.length) { el.className = "seg " + zw + "off"; el.tabIndex = -1; return; }
      a.sort(function (x, y) {
        var cx = cards[x], cy = cards[y];
        return (RANK[cy.getAttribute("data-sev")] - RANK[cx.getAttribute("data-sev")]) ||
          (+cx.getAttribute("data-len") - +cy.getAttribute("data-len")) || (+x - +y);
      });
      var c = cards[a[0]];
      el.className = "seg " + zw + "c-" + c.getAttribute("data-cat") + " s-" + c.getAttribute("data-sev") + (a.length > 1 ? " multi" : "");
      el.tabIndex = 0;
    });
    Object.keys(cards).forEach(function (i) {
      var on = isOn(i);
      document.querySelectorAll('.fc[data-id="' + i + '"]').forEach(function (n) { n.hidden = !on; });
    });
    document.querySelectorAll(".art .row").forEach(function (row) {
      var own = (row.getAttribute("data-f") || "").split(" ").filter(Boolean);
      row.classList.toggle("flagged", own.some(isOn));
    });
    hide();
  }
  document.querySelectorAll("input[data-cat]").forEach(function (box) {
    box.addEventListener("change", function () { offCat[box.getAttribute("data-cat")] = !box.checked; refilter(); });
  });
  document.querySelectorAll("input[data-sev]").forEach(function (box) {
    box.addEventListener("change", function () { offSev[box.getAttribute("data-sev")] = !box.checked; refilter(); });
  });
  var tClean = document.getElementById("t-clean"), tFlag = document.getElementById("t-flagged");
  function toggles() {
    document.body.classList.toggle("clean", !!(tClean && tClean.checked));
    document.body.classList.toggle("only-flagged", !!(tFlag && tFlag.checked));
  }
  if (tClean) { tClean.addEventListener("change", toggles); }
  if (tFlag) { tFlag.addEventListener("change", toggles); }
  toggles();
  document.documentElement.setAttribute("data-ready", "1");
})();
