// Reception: pickers found by typing, the look-up of earlier visits as the receptionist types (POST, so no ID
// number in any URL), the ID number checked as typed, group rows only for groups, keyboard shortcuts.
// Without this script the page is a plain form: selects, every row shown, a look-up button.
(function () {
  "use strict";
  var form = document.getElementById("reception-form");
  if (!form) { return; }

  // --- Category and place: an ARIA combobox over the <select>, which stays the field that is sent.
  var comboCount = 0;
  function combobox(select) {
    var n = ++comboCount;
    var input = document.createElement("input");
    var list = document.createElement("ul");
    input.type = "text";
    input.id = select.id + "-search";
    input.className = "combobox-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-listbox");
    ["aria-invalid", "aria-describedby", "data-shortcut"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); select.removeAttribute(name); }
    });
    var empty = select.querySelector("option[value='']");
    input.placeholder = empty ? empty.textContent : "";
    list.id = select.id + "-listbox";
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) { label.setAttribute("for", input.id); list.setAttribute("aria-labelledby", label.id || (label.id = select.id + "-label")); }
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; }).map(function (o) {
      return {value: o.value, label: o.textContent.trim(), search: (o.textContent + " " + (o.getAttribute("data-search") || "")).toLowerCase()};
    });
    var shown = [];
    var active = -1;
    function chosenLabel() {
      var o = select.options[select.selectedIndex];
      return o && o.value !== "" ? o.textContent.trim() : "";
    }
    input.value = chosenLabel();
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0 && list.children[i]) { input.setAttribute("aria-activedescendant", list.children[i].id); list.children[i].scrollIntoView({block: "nearest"}); }
    }
    function pick(i) {
      var o = shown[i];
      if (!o) { return; }
      select.value = o.value;
      input.value = o.label;
      close();
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
    function filter() {
      var q = input.value.trim().toLowerCase();
      list.innerHTML = "";
      if (!q) { shown = []; close(); return; }
      // Matches at the start of a word first, then shorter labels (a village before its grids).
      shown = options.filter(function (o) { return o.search.indexOf(q) >= 0; }).map(function (o) {
        return {o: o, rank: (" " + o.search).indexOf(" " + q) >= 0 ? 0 : 1};
      }).sort(function (a, b) { return a.rank - b.rank || a.o.label.length - b.o.label.length; })
        .slice(0, 12).map(function (x) { return x.o; });
      shown.forEach(function (o, j) {
        var li = document.createElement("li");
        li.id = list.id + "-" + j;
        li.setAttribute("role", "option");
        li.textContent = o.label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(j); });
        list.appendChild(li);
      });
      list.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
      highlight(shown.length ? 0 : -1);
    }
    input.addEventListener("input", function () { if (select.value !== "") { select.value = ""; } filter(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (list.hidden) { filter(); } else if (shown.length) {
          highlight((active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length);
        }
        e.preventDefault();
      } else if (e.key === "Enter" && !list.hidden && active >= 0) {
        pick(active);
        e.preventDefault();   // Enter picks here; it saves only once the list is closed
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { close(); if (select.value === "") { input.value = ""; } else { input.value = chosenLabel(); } });
    select.addEventListener("change", function () { if (document.activeElement !== input) { input.value = chosenLabel(); } });
    select.hidden = true;
    select.tabIndex = -1;
    var wrap = document.createElement("div");
    wrap.className = "combobox";
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(select);
    if (select.autofocus) { input.focus(); }
    select.focus = function () { input.focus(); };
    return input;
  }
  form.querySelectorAll("select.js-combobox").forEach(combobox);

  // --- The look-up of earlier visits: again as any of the visitor's or matter's fields change (debounced).
  var target = document.getElementById("lookup-result");
  var timer = null;
  var sent = "";
  function lookup() {
    var data = new FormData(form);
    data.delete("attachments");
    data.set("action", "lookup");
    var key = new URLSearchParams(data).toString();
    if (key === sent) { return; }
    sent = key;
    fetch(form.getAttribute("data-lookup-url") || "lookup", {method: "POST", body: data, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (html && sent === key && !target.contains(document.activeElement)) { target.innerHTML = html; } });
  }
  function later() { window.clearTimeout(timer); timer = window.setTimeout(lookup, 350); }
  form.querySelectorAll(".js-lookup").forEach(function (el) {
    el.addEventListener("input", later);
    el.addEventListener("change", later);
  });
  // Choosing "same matter" fills the empty category, place and subject from that case (visible, changeable).
  target.addEventListener("change", function (e) {
    var radio = e.target;
    if (radio.name !== "repeat_decision" || !radio.getAttribute("data-category")) { return; }
    [["category_id", "data-category"], ["place_id", "data-place"], ["title", "data-title"]].forEach(function (pair) {
      var el = document.getElementById(pair[0]);
      var value = radio.getAttribute(pair[1]);
      if (!el || !value || el.value !== "") { return; }
      if (el.tagName === "SELECT" && !el.querySelector("option[value='" + value + "']")) { return; }
      el.value = value;
      el.dispatchEvent(new Event("change", {bubbles: true}));
    });
  });

  // --- The ID number, checked as it is typed (GB 11643-1999); the server checks it again on save.
  var id = form.querySelector(".js-id-number");
  if (id) {
    var note = document.createElement("div");
    note.className = "error";
    note.id = "id_number-live";
    note.setAttribute("aria-live", "polite");
    id.parentNode.appendChild(note);
    var weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    var checkId = function () {
      var v = id.value.replace(/\s+/g, "").toUpperCase();
      var msg = "";
      if (v.length >= 18 || /[^0-9X]/.test(v) || (v.indexOf("X") >= 0 && v.indexOf("X") < 17)) {
        if (!/^\d{17}[\dX]$/.test(v)) {
          msg = id.getAttribute("data-msg-format");
        } else {
          var y = +v.slice(6, 10), m = +v.slice(10, 12), d = +v.slice(12, 14);
          var born = new Date(y, m - 1, d);
          if (born.getFullYear() !== y || born.getMonth() !== m - 1 || born.getDate() !== d || y < 1900 || born > new Date()) {
            msg = id.getAttribute("data-msg-date");
          } else {
            var total = 0;
            for (var i = 0; i < 17; i++) { total += (+v[i]) * weights[i]; }
            var c = (12 - total % 11) % 11;
            if ((c === 10 ? "X" : String(c)) !== v[17]) { msg = id.getAttribute("data-msg-checksum"); }
          }
        }
      }
      note.textContent = msg;
      var field = document.getElementById("field-id_number");
      if (field) { field.classList.toggle("has-error", !!msg || !!field.querySelector(".error:not(#id_number-live):not(:empty)")); }
      if (msg) { id.setAttribute("aria-invalid", "true"); id.setAttribute("aria-describedby", note.id); } else if (!field.querySelector("#id_number-error")) { id.removeAttribute("aria-invalid"); }
    };
    id.addEventListener("input", checkId);
    if (id.value) { checkId(); }
  }

  // --- Representative rows only for a group (they stay shown while they hold anything or an error); hidden, they
  // are disabled, so an ordinary visit does not send six empty rows.
  var heads = form.querySelector(".js-head-count");
  var reps = form.querySelector(".js-representatives");
  function toggleReps() {
    if (!heads || !reps) { return; }
    var used = Array.prototype.some.call(reps.querySelectorAll("input"), function (i) { return i.value.trim() !== ""; }) ||
      reps.querySelector(".error");
    reps.hidden = !(parseInt(heads.value, 10) > 1 || used);
    reps.disabled = reps.hidden;   // hidden rows are empty: they are not sent
    var hint = reps.querySelector(".js-representatives-hint");
    if (hint) { hint.hidden = true; }
  }
  if (heads) { heads.addEventListener("input", toggleReps); toggleReps(); }

  // The kind of demand only matters for appeal/demand matters.
  var type = document.getElementById("petition_type");
  var branch = document.getElementById("field-demand_branch");
  function toggle() { if (type && branch) { branch.hidden = type.value !== "demand"; } }
  if (type) { type.addEventListener("change", toggle); toggle(); }

  // --- Shortcuts: Alt+letter on the element marked data-shortcut (accesskey is left to plain pages).
  form.querySelectorAll("[accesskey]").forEach(function (el) { el.removeAttribute("accesskey"); });
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || !/^Key[A-Z]$/.test(e.code)) { return; }
    var el = form.querySelector("[data-shortcut='" + e.code.slice(3).toLowerCase() + "']");
    if (!el) { return; }
    e.preventDefault();
    if (el.tagName === "BUTTON" || el.tagName === "A") { el.click(); } else { el.focus(); if (el.select) { el.select(); } }
  });

  // After a refused save the cursor is in the first field in error (autofocus; the combobox takes it over).
  var first = form.querySelector("[autofocus]");
  if (first && document.activeElement !== first && !first.hidden) { first.focus(); }
})();
