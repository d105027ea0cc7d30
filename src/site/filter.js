// The practice bank's filters. Without JavaScript the form stays hidden, the
// bank is read a page at a time, and each topic and rating has its own pages.
// With it, the whole bank (bank-data.js) is filtered by topic, rating and
// organisation, a page of matches is drawn in place of the table's rows, and
// the count (a live region) says how many match. The choice is kept in the
// address (?topic=…&rating=…&organisation=…&page=…), so a filtered view can
// be bookmarked, shared, and come back to with Back.
"use strict";
(function () {
  const data = window.PRACTICE_BANK;
  const form = document.getElementById("filters");
  const table = document.getElementById("bank");
  const count = document.getElementById("count");
  const none = document.getElementById("none");
  const pager = document.getElementById("pager");
  if (!data || !form || !table || !count) return;
  const body = table.tBodies[0];
  const fields = ["topic", "rating", "organisation"];
  const size = data.pageSize;
  const firstPage = Number(table.dataset.page) || 1;
  const ratingIndex = new Map(data.ratings.map((r, i) => [r[0], i]));

  function entries(n) {
    return n === 1 ? "1 entry" : n.toLocaleString("en-GB") + " entries";
  }

  // What the address asks for; a value no option has is ignored.
  function wanted(search) {
    const params = new URLSearchParams(search);
    const w = {};
    for (const name of fields) {
      const value = params.get(name);
      const select = form.elements[name];
      w[name] = value !== null && Array.from(select.options).some((o) => o.value === value) ? value : "";
    }
    const page = Number(params.get("page"));
    w.page = Number.isInteger(page) && page > 0 ? page : null;
    return w;
  }

  function address(w, page) {
    const params = new URLSearchParams();
    for (const name of fields) if (w[name]) params.set(name, w[name]);
    // Page 1 of a static page other than the first is asked for by name.
    if (page > 1 || firstPage > 1) params.set("page", String(page));
    const query = params.toString();
    return query ? "?" + query : window.location.pathname;
  }

  function matcher(w) {
    const topic = w.topic === "" ? null : w.topic === "-" ? -1 : data.topics.indexOf(w.topic);
    const rating = w.rating === "" ? null : ratingIndex.get(w.rating);
    const organisation = w.organisation === "" ? null : data.organisations.indexOf(w.organisation);
    return (e) =>
      (topic === null || e[3] === topic) &&
      (rating === null || e[2] === rating) &&
      (organisation === null || e[4].includes(organisation));
  }

  function cell(tag, label, text) {
    const c = document.createElement(tag);
    if (label) c.dataset.label = label;
    if (text) c.textContent = text;
    return c;
  }

  // One row, as the page's own rows are written.
  function row(e) {
    const tr = document.createElement("tr");
    const th = cell("th");
    th.scope = "row";
    const a = document.createElement("a");
    a.href = "practice/" + e[1] + ".html";
    a.textContent = e[0];
    th.appendChild(a);
    tr.appendChild(th);
    tr.appendChild(cell("td", "Does it work?", data.ratings[e[2]][1]));
    tr.appendChild(cell("td", "Focus", e[5]));
    tr.appendChild(cell("td", "Organisations", e[4].map((i) => data.organisations[i]).join(", ")));
    tr.appendChild(cell("td", "Topic", e[3] >= 0 ? data.topics[e[3]] : ""));
    const published = cell("td", "Published");
    if (e[8]) published.appendChild(document.createTextNode("On or before "));
    const time = document.createElement("time");
    time.dateTime = e[6];
    time.textContent = e[7];
    published.appendChild(time);
    if (e[8]) {
      const tag = document.createElement("span");
      tag.className = "tag imported";
      tag.textContent = "Imported, not reviewed here";
      published.append(" ", tag);
    }
    tr.appendChild(published);
    return tr;
  }

  function drawPager(w, page, pages) {
    if (!pager) return;
    pager.replaceChildren();
    pager.hidden = pages <= 1;
    if (pages <= 1) return;
    const list = document.createElement("ul");
    const link = (text, n, extra) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = address(w, n);
      a.textContent = text;
      a.dataset.page = String(n);
      for (const [k, v] of Object.entries(extra || {})) a.setAttribute(k, v);
      li.appendChild(a);
      list.appendChild(li);
    };
    if (page > 1) link("Previous", page - 1, { rel: "prev" });
    for (let n = 1; n <= pages; n += 1) {
      link(String(n), n, n === page ? { "aria-current": "page" } : { "aria-label": "Page " + n });
    }
    if (page < pages) link("Next", page + 1, { rel: "next" });
    pager.appendChild(list);
  }

  function draw(w) {
    const filtered = fields.some((name) => w[name] !== "");
    const hits = filtered ? data.entries.filter(matcher(w)) : data.entries;
    const pages = Math.max(1, Math.ceil(hits.length / size));
    const page = Math.min(w.page || (filtered ? 1 : firstPage), pages);
    // A page past the end shows the last, and the address says so.
    if (w.page && w.page !== page) history.replaceState(null, "", address(w, page));
    const shown = hits.slice((page - 1) * size, page * size);
    const rows = document.createDocumentFragment();
    for (const e of shown) rows.appendChild(row(e));
    body.replaceChildren(rows);
    const total = data.entries.length;
    let said;
    if (pages > 1) {
      const from = (page - 1) * size + 1;
      const to = from + shown.length - 1;
      said = "Showing " + from.toLocaleString("en-GB") + "–" + to.toLocaleString("en-GB") + " of " + entries(hits.length) +
        (filtered ? " that match, of " + entries(total) : "");
    } else {
      said = filtered ? "Showing " + hits.length + " of " + entries(total) : "Showing all " + entries(total);
    }
    count.textContent = said;
    if (none) none.hidden = hits.length !== 0;
    drawPager(w, page, pages);
  }

  function choose(w) {
    for (const name of fields) form.elements[name].value = w[name];
    draw(w);
  }

  function chosen() {
    const w = {};
    for (const name of fields) w[name] = form.elements[name].value;
    w.page = null;
    return w;
  }

  form.addEventListener("change", () => {
    const w = chosen();
    history.pushState(null, "", address(w, 1));
    draw(w);
  });
  // A reset changes the values after the event; draw once it has.
  form.addEventListener("reset", () =>
    setTimeout(() => {
      const w = chosen();
      w.page = 1;
      history.pushState(null, "", address(w, 1));
      draw(w);
    }, 0),
  );
  form.addEventListener("submit", (event) => event.preventDefault());
  if (pager) {
    pager.addEventListener("click", (event) => {
      const a = event.target.closest("a[data-page]");
      if (!a) return;
      event.preventDefault();
      const w = chosen();
      w.page = Number(a.dataset.page);
      history.pushState(null, "", address(w, w.page));
      draw(w);
      table.scrollIntoView();
      // The link that had focus is gone: keep the keyboard on the pager.
      const current = pager.querySelector("a[aria-current]");
      if (current) current.focus();
    });
  }
  window.addEventListener("popstate", () => choose(wanted(window.location.search)));
  form.hidden = false;
  const start = wanted(window.location.search);
  // Only redraw when the address asks for something the page does not show.
  if (fields.some((name) => start[name] !== "") || start.page) choose(start);
})();
