// The practice bank's filters. Without JavaScript the form stays hidden and
// every entry shows; with it, choosing a topic, rating or organisation hides
// the rows that do not match and the count (a live region) says how many
// remain. Filters may also be given in the address: ?topic=…&rating=…
"use strict";
(function () {
  const form = document.getElementById("filters");
  const table = document.getElementById("bank");
  const count = document.getElementById("count");
  const none = document.getElementById("none");
  if (!form || !table || !count) return;
  const rows = Array.from(table.tBodies[0].rows);
  const fields = ["topic", "rating", "organisation"];

  function entries(n) {
    return n === 1 ? "1 entry" : n + " entries";
  }

  function organisations(row) {
    try {
      return JSON.parse(row.dataset.organisations || "[]");
    } catch (e) {
      return [];
    }
  }

  function matches(row, wanted) {
    if (wanted.topic && row.dataset.topic !== wanted.topic) return false;
    if (wanted.rating && row.dataset.rating !== wanted.rating) return false;
    if (wanted.organisation && !organisations(row).includes(wanted.organisation)) return false;
    return true;
  }

  function apply() {
    const wanted = {};
    for (const name of fields) wanted[name] = form.elements[name].value;
    let shown = 0;
    for (const row of rows) {
      const show = matches(row, wanted);
      row.hidden = !show;
      if (show) shown += 1;
    }
    count.textContent = shown === rows.length
      ? "Showing all " + entries(rows.length)
      : "Showing " + shown + " of " + entries(rows.length);
    if (none) none.hidden = shown !== 0;
  }

  const params = new URLSearchParams(window.location.search);
  for (const name of fields) {
    const select = form.elements[name];
    const value = params.get(name);
    if (value !== null && Array.from(select.options).some((o) => o.value === value)) {
      select.value = value;
    }
  }
  form.addEventListener("change", apply);
  // A reset changes the values after the event; apply once it has.
  form.addEventListener("reset", () => setTimeout(apply, 0));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  apply();
})();
