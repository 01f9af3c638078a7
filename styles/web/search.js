// The web edition's search: reads the index built with the site (search-index.js) and lists the passages
// holding every word asked for. Loaded by search.html only; it fetches nothing.
(function () {
  "use strict";
  var me = document.currentScript;
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-words");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = window.bookSearchIndex || [];
  var LIMIT = 100;

  function fold(text) {  // case and accents do not matter: "Über" finds "uber"
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function snippet(text, word) {
    var at = fold(text).indexOf(word);
    var start = Math.max(0, at - 80), end = Math.min(text.length, at + word.length + 120);
    if (start > 0) start = Math.min(at, text.indexOf(" ", start) + 1);  // whole words only
    if (end < text.length) end = Math.max(at + word.length, text.lastIndexOf(" ", end));
    var li = document.createDocumentFragment();
    li.appendChild(document.createTextNode((start > 0 ? "… " : "") + text.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + word.length);
    li.appendChild(mark);
    li.appendChild(document.createTextNode(text.slice(at + word.length, end) + (end < text.length ? " …" : "")));
    return li;
  }

  function run(query) {
    list.textContent = "";
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) { status.textContent = ""; return; }
    var found = 0;
    index.forEach(function (page) {
      page.b.forEach(function (block) {
        var folded = fold(block[2]);
        if (!words.every(function (w) { return folded.indexOf(w) >= 0; })) return;
        found += 1;
        if (found > LIMIT) return;
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = page.u + (block[0] ? "#" + block[0] : "");
        a.textContent = page.t + (block[1] ? ", " + me.dataset.page + " " + block[1] : "");
        var p = document.createElement("p");
        p.appendChild(snippet(block[2], words[0]));
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
    });
    status.textContent = found ? (found === 1 ? me.dataset.foundOne : me.dataset.foundOther)
      .replace("{n}", String(found)) : me.dataset.none;
  }

  var asked = new URLSearchParams(window.location.search).get("q") || "";
  input.value = asked;
  run(asked);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value);
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* a page opened from a folder may not rewrite its address */ }
  });
}());
