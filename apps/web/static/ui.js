// Docket: small behaviours, served from 'self' (the CSP allows no inline script).
// On a narrow screen the search filters start folded behind their button.
(function () {
  "use strict";
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(max-width: 799px)").matches) {
    panel.open = false;
  }
})();
// A print button (the register book): the browser's print dialog, with the print stylesheet.
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest("[data-print]")) {
    window.print();
  }
});
// The inbox page reloads itself every data-refresh seconds, until its button stops it.
(function () {
  "use strict";
  var auto = document.getElementById("auto-refresh");
  if (!auto) { return; }
  var seconds = parseInt(auto.getAttribute("data-refresh"), 10) || 15;
  var timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  var stop = document.getElementById("stop-refresh");
  if (stop) {
    stop.addEventListener("click", function () {
      window.clearTimeout(timer);
      stop.textContent = stop.getAttribute("data-stopped");
      stop.disabled = true;
    });
  }
})();
