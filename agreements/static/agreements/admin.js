// What Django's admin (5.2) leaves undone for assistive technology, finished once the
// admin's own scripts have built their widgets (on load):
// - the fields of a tabular inline have no label: the column heading names them only
//   visually, so it becomes their aria-label;
// - the filter icons of a filter_horizontal widget carry an aria-label on a plain span,
//   which needs a role to be read.
window.addEventListener("load", () => {
  document.querySelectorAll(".tabular table").forEach((table) => {
    const headings = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
    for (const row of table.tBodies[0].rows) {
      [...row.cells].forEach((cell, column) => {
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((field) => {
          if (headings[column] && !field.labels.length && !field.hasAttribute("aria-label")) {
            field.setAttribute("aria-label", headings[column]);
          }
        });
      });
    }
  });
  document.querySelectorAll(".search-label-icon[aria-label]").forEach((icon) => {
    icon.setAttribute("role", "img");
  });
});
