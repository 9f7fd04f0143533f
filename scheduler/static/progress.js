// Refresh the counters of a background job (invitations being sent, an import being
// checked or written) while it runs. A box with data-reload-when-done reloads the
// page when the job ends, to show its report.
(function () {
  var box = document.getElementById("invitation-progress") || document.querySelector("[data-live-progress]");
  if (!box) { return; }
  function pick(data, path) {
    return path.split(".").reduce(function (value, key) { return value == null ? value : value[key]; }, data);
  }
  function refresh() {
    fetch(box.getAttribute("data-url"), {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelectorAll("[data-field]").forEach(function (element) {
          var name = element.getAttribute("data-field");
          if (name === "bar" && data.indeterminate) {
            element.removeAttribute("value");
          } else if (name === "bar") {
            element.max = data.total || 1;
            element.value = data.done;
          } else {
            element.textContent = pick(data, name);
          }
        });
        box.setAttribute("data-busy", data.busy ? "true" : "false");
        if (data.busy) { window.setTimeout(refresh, 2000); }
        else if (box.hasAttribute("data-reload-when-done")) { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  if (box.getAttribute("data-busy") === "true") { window.setTimeout(refresh, 1000); }
})();
