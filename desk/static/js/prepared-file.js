// A file being prepared (templates/desk/prepared_file.html): follow its progress and start the download once
// it is ready; a file that could not be made reloads the page to say so. Without this file the page refreshes
// itself every few seconds and the download is a link.
(function () {
  "use strict";
  var box = document.getElementById("prepared-file");
  if (!box || box.getAttribute("data-waiting") !== "1") { return; }
  var bar = box.querySelector("progress");
  function show(cls, value) { var el = box.querySelector(cls); if (el) { el.textContent = value; } }
  function number(n) { return n.toLocaleString(document.documentElement.lang || undefined); }
  function poll() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (s) {
        show(".js-status", s.title);
        if (bar && s.total) { bar.max = s.total; bar.value = s.done; }
        show(".js-done", number(s.done));
        if (s.total) { show(".js-total", number(s.total)); }
        if (!s.finished) { window.setTimeout(poll, 700); return; }
        if (!s.ready) { window.location.reload(); return; }
        box.querySelector(".js-waiting").hidden = true;
        box.querySelector(".js-ready").hidden = false;
        window.location.assign(s.download);   // an attachment: the page stays
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
