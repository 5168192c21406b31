// Live countdown of a personal-data breach's notification deadline (data-deadline, ISO 8601).
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick(el) {
    var left = Math.floor((Date.parse(el.getAttribute("data-deadline")) - Date.now()) / 1000);
    if (isNaN(left)) { return; }
    if (left <= 0) { el.textContent = el.getAttribute("data-overdue") || "00:00:00"; el.classList.add("late"); return; }
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    el.textContent = h + ":" + pad(m) + ":" + pad(s);
  }
  function start() {
    var els = document.querySelectorAll("[data-countdown], [data-deadline]");
    els.forEach(function (el) { tick(el); setInterval(function () { tick(el); }, 1000); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
