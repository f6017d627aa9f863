// BİYS UI helpers. No inline scripts: everything is wired here by data attributes.
(function () {
  "use strict";

  // "Select all" checkbox of a list table selects every row checkbox of the same table.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("th input[type=checkbox]")) return;
    var table = box.closest("table");
    table.querySelectorAll("td input[type=checkbox][name=pk]").forEach(function (row) {
      row.checked = box.checked;
    });
  });

  // Tabs of a detail page load their panel with HTMX: keep the tab strip's state in step.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-tab-link]");
    if (!link) return;
    link.closest("[role=tablist]").querySelectorAll("[data-tab-link]").forEach(function (tab) {
      var active = tab === link;
      tab.classList.toggle("active", active);
      tab.setAttribute("aria-selected", active ? "true" : "false");
    });
  });

  // "Expand all" / "Collapse all" of the organisation chart.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-tree-toggle]");
    if (!button) return;
    var tree = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("data-tree-toggle") === "open";
    tree.querySelectorAll("details").forEach(function (node) { node.open = open; });
  });

  // After an HTMX swap, move keyboard focus to the new region if it asks for it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var focusTarget = event.detail.target.querySelector("[data-focus-after-swap]");
    if (focusTarget) focusTarget.focus();
  });

  // A form with data-confirm asks before it submits (discarding a draft cannot be undone).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // Show the Bootstrap toasts the server rendered.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.bootstrap) return;
    document.querySelectorAll(".toast[data-autoshow]").forEach(function (el) {
      window.bootstrap.Toast.getOrCreateInstance(el).show();
    });
  });
})();
