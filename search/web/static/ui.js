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
