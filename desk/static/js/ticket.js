// The queue ticket: print once on opening, remember the paper width for the next tickets.
(function () {
  "use strict";
  var body = document.body;
  try { window.localStorage.setItem("desk.ticketWidth", body.getAttribute("data-width")); } catch (e) { /* private mode */ }
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  if (body.getAttribute("data-autoprint")) {
    window.addEventListener("load", function () { window.print(); });
  }
})();
