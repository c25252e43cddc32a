// Dashboard: a changed month reloads the figures (the scope select uses desk.js's js-autosubmit);
// a table's column header sorts its rows (numbers as numbers, "—" last). Works without this file.
(function () {
  "use strict";
  var month = document.getElementById("month");
  if (month) { month.addEventListener("change", function () { if (month.value) { month.form.submit(); } }); }
  function key(cell) {
    if (cell.hasAttribute("data-unranked")) { return null; }  // too few matters: never ranked first
    var text = cell.textContent.trim().replace(/[,%+]/g, "").replace(/\s*pp$/, "");
    var n = parseFloat(text);
    return isNaN(n) ? (text === "—" ? null : text) : n;
  }
  document.querySelectorAll("table.figures thead th").forEach(function (th, index) {
    th.tabIndex = 0;
    th.setAttribute("aria-sort", "none");
    function sort() {
      var body = th.closest("table").tBodies[0];
      var desc = th.getAttribute("aria-sort") !== "descending";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[index]), y = key(b.cells[index]);
        if (x === y) { return 0; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        return (x < y ? -1 : 1) * (desc ? -1 : 1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
      th.parentNode.querySelectorAll("th").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", desc ? "descending" : "ascending");
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sort(); } });
  });
})();
