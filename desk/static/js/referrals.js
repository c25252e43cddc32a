// Talent import: poll the status and reload when done (the page also works without this file).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.getAttribute("data-done") === "1") { return; }
  var bar = box.querySelector("progress");
  function poll() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (s) {
        bar.max = s.total || 1; bar.value = s.processed;
        box.querySelector(".js-processed").textContent = s.processed;
        box.querySelector(".js-total").textContent = s.total;
        box.querySelector(".js-imported").textContent = s.imported;
        box.querySelector(".js-errors").textContent = s.errors;
        if (s.done) { window.location.reload(); } else { window.setTimeout(poll, 700); }
      });
  }
  poll();
})();
