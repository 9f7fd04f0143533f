// "Copy" buttons: data-copy names the field whose text goes to the clipboard.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) { return; }
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field) { return; }
  function done() {
    button.textContent = button.getAttribute("data-copied") || button.textContent;
  }
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () {
      document.execCommand("copy");
      done();
    });
  } else {
    document.execCommand("copy");  // plain-HTTP intranets have no async clipboard
    done();
  }
});
