// The dashboard's filters: show the date fields only for a custom period, and apply a
// change at once (the Show button does the same without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("dashboard-filters");
  if (!form) {
    return;
  }
  const period = form.elements.namedItem("period");
  const dates = form.querySelectorAll(".custom-dates");
  const start = form.elements.namedItem("start");
  const end = form.elements.namedItem("end");

  const showDates = () => {
    const custom = period.value === "custom";
    dates.forEach((field) => field.classList.toggle("d-none", !custom));
  };
  showDates();

  form.addEventListener("change", (event) => {
    if (event.target === period) {
      showDates();
      if (period.value === "custom") {
        (start.value ? end : start).focus();
        return;
      }
    }
    if (period.value === "custom" && (!start.value || !end.value)) {
      return;
    }
    if (event.target.matches("select, input[type=date]")) {
      form.requestSubmit();
    }
  });
});
