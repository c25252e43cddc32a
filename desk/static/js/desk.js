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
  // On a phone the navigation folds into a menu button (the CSS shows the button only at phone width).
  var toggle = document.querySelector(".nav-toggle");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (nav) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    };
    toggle.hidden = false;
    toggle.closest(".topbar").classList.add("has-menu");
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") { setOpen(false); toggle.focus(); }
    });
  }
  // Tables that stack into one block per row on a phone: each cell gets its column heading as a label.
  document.querySelectorAll("table.stack, .field-intake .lookup table").forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headings.length) { return; }
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (headings[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", headings[i]); }
      });
    });
    table.classList.add("labelled");
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
