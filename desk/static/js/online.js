// The citizens' online report: once a town is chosen, the village list shows only that town's villages
// (without this file the list shows every village, grouped by town, and the server checks the pair).
(function () {
  "use strict";
  var town = document.getElementById("town_id");
  var village = document.getElementById("village_id");
  if (!town || !village) { return; }
  var placeholder = village.querySelector("option[value='']");
  // Kept aside as copies: the list is rebuilt from them each time the town changes.
  var options = Array.prototype.map.call(village.querySelectorAll("option[data-town]"),
                                         function (o) { return o.cloneNode(true); });
  var groups = Array.prototype.map.call(village.querySelectorAll("optgroup"),
                                        function (g) { return g.cloneNode(true); });
  function show() {
    var chosen = village.value;
    while (village.firstChild) { village.removeChild(village.firstChild); }
    if (placeholder) { village.appendChild(placeholder); }
    if (town.value) {
      options.forEach(function (o) { if (o.getAttribute("data-town") === town.value) { village.appendChild(o.cloneNode(true)); } });
    } else {
      groups.forEach(function (g) { village.appendChild(g.cloneNode(true)); });
    }
    village.value = chosen;
    if (village.value !== chosen) { village.value = ""; }
  }
  town.addEventListener("change", show);
  show();
})();
