// Outreach pages: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // The offer form: show how many members are ticked, and keep the button off until at least one is.
  var form = document.querySelector("form[data-offer-form]");
  if (form) {
    var button = form.querySelector("button[type=submit]");
    var count = form.querySelector(".offer-count");
    var update = function () {
      var n = form.querySelectorAll("input[name=talent_ids]:checked").length;
      button.disabled = n === 0;
      if (count) { count.textContent = n ? count.getAttribute("data-template").replace("%n", n) : ""; }
    };
    form.addEventListener("change", update);
    update();
  }
})();
