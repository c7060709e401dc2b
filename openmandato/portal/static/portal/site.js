/* Progressive enhancement only: without JavaScript every page works and the filters stay open. */
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 767.98px)");
  function collapseFiltersOnPhones() {
    document.querySelectorAll("details.filters-toggle").forEach(function (details) {
      details.open = !phone.matches;
    });
  }
  function selectEmbedCode(event) {
    event.target.select();
  }
  document.addEventListener("DOMContentLoaded", function () {
    collapseFiltersOnPhones();
    // Turning a tablet or widening the window must never leave the filters hidden behind no button.
    phone.addEventListener("change", collapseFiltersOnPhones);
    document.querySelectorAll("textarea.embed-code").forEach(function (area) {
      area.addEventListener("focus", selectEmbedCode);
    });
  });
})();
