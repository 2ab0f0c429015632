/* The search over units: filters the index of search-index.js (= search.json) ({t: title, n: unit, r: region, y: year, s: stage, h: href})
   by every word typed, shows the first 50 matches. */
(function () {
  "use strict";
  var box = document.getElementById("q"), list = document.getElementById("results");
  var index = window.CATALOG_INDEX || [];   /* search-index.js: search.json as a script, readable from file:// */
  function show() {
    var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { return; }
    var hits = index.filter(function (e) {
      var text = [e.t, e.n, e.r, e.y, e.s].join(" ").toLowerCase();
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    });
    hits.slice(0, 50).forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e.h; a.textContent = e.t;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + [e.r, e.y, e.s].join(" ")));
      list.appendChild(li);
    });
    list.setAttribute("data-hits", String(hits.length));
  }
  box.addEventListener("input", show);
  var q = new URLSearchParams(location.search).get("q");
  if (q) { box.value = q; }
  show();
}());
