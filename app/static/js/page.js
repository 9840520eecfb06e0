// What every page may need beyond the DSFR's own script. A module file: the CSP allows no
// inline script. Each button below is hidden in the HTML and shown only when it can work.

// After a POST, focus what its answer says first (the error summary, or the notice), so
// that it is in view and read out, rather than the top of a page that looks unchanged.
const first = document.querySelector("[data-autofocus]");
if (first) {
  first.focus();
}

// "Copy the link": the address goes to the clipboard; a status line says it did.
for (const button of document.querySelectorAll("[data-copy]")) {
  if (!navigator.clipboard) continue;
  const status = document.getElementById(button.dataset.status);
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      status.textContent = button.dataset.copied;
    } catch {
      status.textContent = button.dataset.failed;
    }
  });
}

// "Print the ticket": the print style sheet lays it out on one A4 page.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
