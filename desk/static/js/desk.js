// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.querySelectorAll("select.js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Forms marked data-confirm ask once before submitting (e.g. "did not show").
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { ev.preventDefault(); }
    });
  });
  // Pages with data-refresh reload themselves (the waiting-room display, room boards).
  var refresh = document.body.getAttribute("data-refresh");
  if (refresh) { window.setTimeout(function () { window.location.reload(); }, parseInt(refresh, 10) * 1000); }
  // A submitted form cannot be submitted twice by a double click.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
