// The report's print button; a file of its own, as the Content-Security-Policy allows no
// inline scripts.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
