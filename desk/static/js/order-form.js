// The dispatch order form: the department chosen as lead leaves the co-handling list (and is unticked).
(function () {
  "use strict";
  var lead = document.getElementById("department_id");
  var list = document.querySelector("[data-testid=co-departments]");
  if (!lead || !list) { return; }
  function sync() {
    list.querySelectorAll("li[data-value]").forEach(function (item) {
      var isLead = item.getAttribute("data-value") === lead.value;
      item.hidden = isLead;
      if (isLead) { item.querySelector("input").checked = false; }
    });
  }
  lead.addEventListener("change", sync);
  sync();
})();
