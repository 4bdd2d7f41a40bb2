// The register: a tap that did not reach the server is shown as not saved, so the
// facilitator taps again; marks already saved stay saved on the server.
(function () {
  function unsaved(event) {
    var row = event.detail.elt.closest("[data-testid=register-row]");
    var list = document.querySelector("[data-testid=register]");
    if (!row || !list) return;
    var note = row.querySelector(".lgnet-row-note");
    note.innerHTML = "";
    var span = document.createElement("span");
    span.className = "lgnet-unsaved";
    span.textContent = list.dataset.unsaved;
    note.appendChild(span);
    row.dataset.unsaved = "1";
  }
  document.body.addEventListener("htmx:sendError", unsaved);
  document.body.addEventListener("htmx:responseError", unsaved);
})();
