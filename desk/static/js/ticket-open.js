// Open a queue ticket for printing (templates/intake/reception/registered.html, the queue board):
// links marked js-ticket use the paper width last chosen on a ticket; one marked data-print-now opens
// by itself once per tab (not again on reload or when coming back to the page).
(function () {
  "use strict";
  var width = null;
  try { width = window.localStorage.getItem("desk.ticketWidth"); } catch (e) { /* private mode */ }
  document.querySelectorAll("a.js-ticket").forEach(function (link) {
    if (width) {
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("width", width);
      link.href = url.toString();
    }
    if (!link.hasAttribute("data-print-now")) { return; }
    var key = "desk.ticketOpened." + link.getAttribute("data-ticket");
    try {
      if (window.sessionStorage.getItem(key)) { return; }
      window.sessionStorage.setItem(key, "1");
    } catch (e) { /* private mode: open it anyway */ }
    var opened = window.open(link.href, "_blank");
    if (opened) {
      opened.opener = null;
    } else {  // a pop-up blocker: say so and put the link under the receptionist's finger
      document.querySelectorAll("[data-testid=ticket-blocked]").forEach(function (el) { el.hidden = false; });
      link.focus();
    }
  });
})();
