// newsloom: simplified / traditional display switch.
// Every text carries the outlet's own wording plus data-hans / data-hant renderings; this
// swaps them in place. The choice comes from ?script=hans|hant|orig, else localStorage.
(function () {
  "use strict";
  var KEY = "newsloom-script";
  var MODES = { orig: 1, hans: 1, hant: 1 };

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function remember(mode) {
    try { window.localStorage.setItem(KEY, mode); } catch (e) { /* file:// in some browsers */ }
  }
  function apply(mode) {
    var root = document.documentElement;
    root.setAttribute("data-script", mode);
    root.setAttribute("lang", mode === "hant" ? "zh-Hant" : mode === "hans" ? "zh-Hans" : "zh");
    var els = document.querySelectorAll("[data-hans],[data-hant]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.hasAttribute("data-orig")) el.setAttribute("data-orig", el.textContent);
      var text = mode === "orig" ? null : el.getAttribute("data-" + mode);
      el.textContent = text === null ? el.getAttribute("data-orig") : text;
    }
    var buttons = document.querySelectorAll("[data-set-script]");
    for (var j = 0; j < buttons.length; j++) {
      var b = buttons[j];
      b.setAttribute("aria-pressed", b.getAttribute("data-set-script") === mode ? "true" : "false");
    }
  }
  function start() {
    var mode = null;
    var m = /[?&]script=(orig|hans|hant)\b/.exec(window.location.search);
    if (m) { mode = m[1]; remember(mode); }
    if (!mode) mode = stored();
    if (!MODES[mode]) mode = "orig";
    apply(mode);
    var buttons = document.querySelectorAll("[data-set-script]");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].addEventListener("click", function (ev) {
        var next = ev.currentTarget.getAttribute("data-set-script");
        remember(next);
        apply(next);
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
