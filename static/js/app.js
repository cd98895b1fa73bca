// Small behaviours for every page. Loaded from our own origin, so the CSP allows it.
document.addEventListener("submit", (event) => {
  // One click, one submission: a double-click must not post a form twice.
  const form = event.target;
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  window.setTimeout(() => delete form.dataset.submitted, 5000);
});
