// Event import: follow the run's status and reload with the result when it finishes (the page works without it).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.getAttribute("data-finished") === "1") { return; }
  var bar = box.querySelector("progress");
  function show(cls, value) { var el = box.querySelector(cls); if (el) { el.textContent = value; } }
  function poll() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (bar) { bar.max = s.total || 1; bar.value = s.total ? s.written : 0; }
        show(".js-status", s.status_title); show(".js-checked", s.checked);
        show(".js-written", s.written); show(".js-total", s.total || "?");
        if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 700); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
