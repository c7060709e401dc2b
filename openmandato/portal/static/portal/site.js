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
  // A page that says "being prepared" (a report, an uploaded program) reloads itself once the worker
  // has finished; without JavaScript its button does the same.
  function pollUntilReady(element) {
    var url = element.getAttribute("data-poll") || window.location.href;
    var tries = 0;
    function check() {
      tries += 1;
      fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.status === 200 && !response.headers.has("X-Pending")) {
          window.location.reload();
        } else if (tries < 100) {
          window.setTimeout(check, 3000);
        }
      });
    }
    window.setTimeout(check, 2000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    collapseFiltersOnPhones();
    document.querySelectorAll("[data-poll]").forEach(pollUntilReady);
    // Turning a tablet or widening the window must never leave the filters hidden behind no button.
    phone.addEventListener("change", collapseFiltersOnPhones);
    document.querySelectorAll("textarea.embed-code").forEach(function (area) {
      area.addEventListener("focus", selectEmbedCode);
    });
  });
})();
