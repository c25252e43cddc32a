// Reception: look up earlier visits as the receptionist types (POST, so no ID number in any URL).
(function () {
  "use strict";
  var form = document.getElementById("reception-form");
  if (!form) { return; }
  var target = document.getElementById("lookup-result");
  var timer = null;
  function lookup() {
    var data = new FormData(form);
    data.delete("attachments");
    data.set("action", "lookup");
    fetch(form.getAttribute("data-lookup-url") || "lookup", {method: "POST", body: data, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (html) { target.innerHTML = html; } });
  }
  form.querySelectorAll(".js-lookup").forEach(function (el) {
    el.addEventListener("change", function () { window.clearTimeout(timer); timer = window.setTimeout(lookup, 150); });
  });
  // The kind of demand only matters for appeal/demand matters.
  var type = document.getElementById("petition_type");
  var branch = document.getElementById("field-demand_branch");
  function toggle() { if (type && branch) { branch.hidden = type.value !== "demand"; } }
  if (type) { type.addEventListener("change", toggle); toggle(); }
})();
