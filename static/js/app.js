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

// A form sent back with mistakes: put the focus on the first field that needs another look,
// so keyboard and screen reader users start where the first error message is (it is the
// field's description: aria-describedby).
const INVALID_FIELD =
  'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"], ' +
  "input.is-invalid, select.is-invalid, textarea.is-invalid";

function focusFirstMistake(root) {
  const field = root.querySelector(INVALID_FIELD);
  if (field) field.focus();
}

document.addEventListener("DOMContentLoaded", () => focusFirstMistake(document));
// The same for a form htmx swapped into the page (a panel's form answered with its errors).
document.addEventListener("htmx:afterSettle", (event) => focusFirstMistake(event.detail.elt));

// A table or list that scrolls inside its own box must scroll by keyboard too: such a box
// joins the tab order, but only while its content overflows it.
function reachScrollingBoxes() {
  for (const box of document.querySelectorAll(".table-responsive, .scroll-box")) {
    const scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
    if (scrolls) box.setAttribute("tabindex", "0");
    else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
  }
}

document.addEventListener("DOMContentLoaded", reachScrollingBoxes);
window.addEventListener("resize", reachScrollingBoxes);
document.addEventListener("htmx:afterSettle", reachScrollingBoxes);
