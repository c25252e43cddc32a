// While a PDF is made (templates/reports/summary/archive.html): the button or link says "generating", with a
// turning mark, and takes no second click, until the download has arrived. The request stays a plain GET
// download; the server answers the token added here with a cookie (reports/summary/views.py), which is how
// this page learns that the file came. Without this file the form and links work as they are.
(function () {
  "use strict";
  var FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  var LIMIT_MS = 180000;   // give the page back even if the answer never came (e.g. an error page in a new tab)

  function arrived(token) {
    var match = document.cookie.match(/(?:^|;\s*)desk_download=([^;]*)/);
    return match !== null && match[1] === token;
  }

  function newToken() {
    return Date.now().toString(36) + Math.floor(Math.random() * 1e9).toString(36);
  }

  // Show the busy text on ``label`` (and in ``status`` when given) until the token's cookie is set.
  function busy(label, status, token, done) {
    var text = label.getAttribute("data-busy");
    var original = label.textContent;
    var frame = 0;
    var waited = 0;
    label.textContent = text;
    label.setAttribute("aria-busy", "true");
    if (status) { status.hidden = false; status.textContent = FRAMES[0] + " " + text; }
    var timer = window.setInterval(function () {
      waited += 200;
      frame = (frame + 1) % FRAMES.length;
      if (status) { status.textContent = FRAMES[frame] + " " + text; } else { label.textContent = FRAMES[frame] + " " + text; }
      if (arrived(token) || waited >= LIMIT_MS) {
        window.clearInterval(timer);
        label.textContent = original;
        label.removeAttribute("aria-busy");
        if (status) { status.hidden = true; status.textContent = ""; }
        done();
      }
    }, 200);
  }

  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[role=status]");
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "download";
    form.appendChild(field);
    form.addEventListener("submit", function (ev) {
      if (button.disabled) { ev.preventDefault(); return; }
      field.value = newToken();
      window.setTimeout(function () { button.disabled = true; }, 0);   // after the browser has taken the form
      busy(button, status, field.value, function () { button.disabled = false; });
    });
  });

  document.querySelectorAll("a[data-progress]").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      if (link.getAttribute("aria-disabled") === "true") { ev.preventDefault(); return; }
      var token = newToken();
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("download", token);
      link.href = url.toString();
      link.setAttribute("aria-disabled", "true");
      busy(link, null, token, function () { link.removeAttribute("aria-disabled"); });
    });
  });

  // Coming back to the page from the history: nothing is being generated any more.
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) {
      document.querySelectorAll("form[data-progress] button[type=submit]").forEach(function (b) { b.disabled = false; });
    }
  });
})();
