// The site in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Loads the pages from the files (file://) and checks what a
// third party would: axe-core on every page type at three widths and at 200%
// zoom, focus in forced colours, no sideways scrolling at 320 px, the bank's
// filters, their address and their speed on 4,000 entries, page sizes, that
// every request stays on the machine, that the pages work without
// JavaScript and keep their contrast; and saves screenshots. Run by
// check.sh, which builds both sites first.
//
//   node check.mjs SITE_DIR LARGE_SITE_DIR SCREENSHOT_DIR

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [site, large, shots] = process.argv.slice(2);
if (!site || !large || !shots) {
  console.error("usage: node check.mjs SITE_DIR LARGE_SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
const url = (rel) => pathToFileURL(path.join(site, rel)).href;
const largeUrl = (rel) => pathToFileURL(path.join(large, rel)).href;
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

// axe reads each stylesheet again (for rules such as orientation lock),
// which a browser refuses from file:, so its pages come from a web server
// on 127.0.0.1 that serves the two sites' files and nothing else.
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".xml": "application/atom+xml" };
const server = http.createServer((request, response) => {
  const [, root, ...rest] = decodeURIComponent(new URL(request.url, "http://x").pathname).split("/");
  const dir = { site, large }[root];
  const file = dir && path.join(dir, ...rest);
  if (!file || !file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const served = `http://127.0.0.1:${server.address().port}`;
const over = (address) => address.replace(pathToFileURL(site).href, `${served}/site`).replace(pathToFileURL(large).href, `${served}/large`);

let passed = 0;
let failed = 0;
function check(what, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${what}`);
  } else {
    failed += 1;
    console.log(`FAIL ${what}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
  }
}

// The flags keep Chromium's own background traffic off: this machine has no
// network beyond its package registries, and the site needs none.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

// Every request a page makes, and anything that leaves file: is refused.
const requests = [];
const problems = [];
async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", (route) => {
    const target = route.request().url();
    const local = target.startsWith("file:") || target.startsWith("data:") || target.startsWith(`${served}/`);
    return local ? route.continue() : route.abort();
  });
  context.on("page", (page) => {
    page.on("console", (m) => m.type() === "error" && problems.push(`${page.url()}: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
  });
  return context;
}

const rows = (page) =>
  page.$$eval("#bank tbody tr", (trs) =>
    trs
      .filter((tr) => tr.getClientRects().length > 0)
      .map((tr) => ({
        title: tr.querySelector("th").textContent.trim(),
        cells: Array.from(tr.querySelectorAll("td"), (td) => td.textContent.trim()),
      })),
  );
const count = (page) => page.textContent("#count").then((t) => t.trim());
const slug = (topic) => topic.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join("-");
// The rows of a list page, read without JavaScript.
async function plainPage(rel) {
  const ctx = await newContext({ javaScriptEnabled: false });
  const p = await ctx.newPage();
  await p.goto(url(rel));
  const shown = await p.$$eval("table.entries-table tbody tr", (trs) =>
    trs.map((tr) => ({ title: tr.querySelector("th").textContent.trim(), cells: Array.from(tr.querySelectorAll("td"), (td) => td.textContent.trim()) })),
  );
  await ctx.close();
  return shown;
}

// Every piece of text against the background it sits on: WCAG AA, 4.5:1.
const lowContrast = (page) =>
  page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const low = [];
    for (const el of document.body.querySelectorAll("*")) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.getClientRects().length === 0 || el.closest(".visually-hidden, .skip")) continue;
      const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) low.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
    return low;
  });

const context = await newContext();
const page = await context.newPage();

// Home.
await page.goto(url("index.html"));
await page.screenshot({ path: path.join(shots, "home.png") });
check("home: one h1", (await page.locator("h1").count()) === 1);
const topics = await page.$$eval("section[aria-labelledby=all] h3", (h) => h.map((x) => x.textContent));
check(
  "home: smarter practice grouped by topic",
  JSON.stringify(topics) === JSON.stringify(["Serious violence and homicide", "Violence against women and girls", "Vulnerable people"]),
  topics,
);
check("home: the retracted entry is gone", !(await page.content()).includes("Operation Withdrawn"));
check("home: the stylesheet applies", (await page.$eval(".masthead", (e) => getComputedStyle(e).backgroundColor)) === "rgb(11, 12, 12)");
await page.keyboard.press("Tab");
check("home: the first Tab reaches the skip link", await page.evaluate(() => document.activeElement.classList.contains("skip")));
check("home: the focused skip link is on screen", (await page.locator("a.skip").boundingBox()).x >= 0);
await page.keyboard.press("Enter");
check("home: the skip link moves focus to main", await page.evaluate(() => document.activeElement.id === "main"));
check("home: text keeps its contrast", (await lowContrast(page)).length === 0, await lowContrast(page));

// The practice bank and its filters.
await page.goto(url("practice-bank.html"));
const all = (await rows(page)).length;
check("bank: every live entry listed", all === 8, all);
check("bank: the filters show once the script runs", await page.isVisible("form#filters"));
check("bank: the count says all", (await count(page)) === "Showing all 8 entries", await count(page));
check("bank: no option for a topic only a retracted entry had", !(await page.$$eval("#filter-topic option", (o) => o.map((x) => x.value))).includes("Drugs"));

async function filter(what, choices, expected, test) {
  for (const [select, value] of Object.entries(choices)) {
    await page.selectOption(`#filter-${select}`, value);
  }
  const shown = await rows(page);
  const text = await count(page);
  const wanted = expected === 8 ? "Showing all 8 entries" : `Showing ${expected} of 8 entries`;
  check(`bank: ${what}: ${expected} shown`, shown.length === expected, shown.map((r) => r.title));
  check(`bank: ${what}: the live count says so`, text === wanted, text);
  if (test) check(`bank: ${what}: only matching rows`, shown.every(test), shown);
  check(`bank: ${what}: "no entries match" only when none do`, (await page.isVisible("#none")) === (expected === 0));
}
await filter("topic", { topic: "Serious violence and homicide" }, 2, (r) => r.cells[3] === "Serious violence and homicide");
await filter("topic and rating", { topic: "Vulnerable people", rating: "promising" }, 1, (r) => r.title === "Safer Sleep");
await page.click("button[type=reset]");
await page.waitForFunction(() => document.getElementById("count").textContent === "Showing all 8 entries");
check("bank: Show all brings every row back", (await rows(page)).length === 8);
await filter("rating", { rating: "smarter-practice" }, 4, (r) => r.cells[0] === "Reviewed as smarter practice");
await page.selectOption("#filter-rating", "");
await filter("organisation", { organisation: "Dorset Police" }, 2, (r) => r.cells[2].includes("Dorset Police"));
await filter("organisation and topic", { topic: "Vulnerable people", organisation: "Kent Police" }, 0);
await page.click("button[type=reset]");
await page.waitForFunction(() => document.getElementById("count").textContent === "Showing all 8 entries");
await page.focus("#filter-topic");
await page.keyboard.press("Tab");
check("bank: Tab moves between the filters", await page.evaluate(() => document.activeElement.id === "filter-rating"));
check("bank: a focused filter shows its focus", (await page.$eval("#filter-rating", (e) => getComputedStyle(e).outlineStyle)) !== "none");
await page.goto(url("practice-bank.html") + "?topic=" + encodeURIComponent("Serious violence and homicide"));
check("bank: a filter given in the address applies", (await rows(page)).length === 2 && (await count(page)) === "Showing 2 of 8 entries", await count(page));
check("bank: text keeps its contrast", (await lowContrast(page)).length === 0, await lowContrast(page));
await page.screenshot({ path: path.join(shots, "bank-filtered.png"), fullPage: true });

// An entry page, and a retracted one.
await page.goto(url("practice/enhanced-video-response-dorset-police.html"));
check("entry: its title", (await page.textContent("h1")).trim() === "Enhanced video response (EVR)");
const signOffs = await page.$$eval("table.sign-offs tbody tr", (trs) => trs.map((tr) => tr.innerText));
check("entry: four partners signed off", signOffs.length === 4 && signOffs.every((r) => r.includes("Suitable")), signOffs);
check("entry: text keeps its contrast", (await lowContrast(page)).length === 0, await lowContrast(page));
await page.screenshot({ path: path.join(shots, "entry.png"), fullPage: true });
await page.goto(url("practice/street-triage-car-dorset-police.html"));
check("imported: dated as its source gives", (await page.textContent("dl.details")).includes("On or before 14 November 2023"));
check("imported: a source that is an address is a link", (await page.locator("section[aria-labelledby=source] details a[href='https://www.college.police.uk/support-forces/practices/smarter-practice']").count()) === 1);
check("imported: what the source did not record is said once", (await page.locator("p.not-recorded").count()) === 1);
await page.goto(url("practice/operation-withdrawn-kent-police.html"));
check("retracted: a notice in place of the entry", (await page.textContent("p.notice")).includes("This entry was retracted on"));
await page.screenshot({ path: path.join(shots, "retracted.png") });

// Without JavaScript: no filters, every entry.
const noScript = await newContext({ javaScriptEnabled: false });
const plain = await noScript.newPage();
await plain.goto(url("practice-bank.html"));
check("no JavaScript: the filters stay hidden", !(await plain.isVisible("form#filters")));
check("no JavaScript: every entry shows", (await rows(plain)).length === 8);
await plain.goto(url("index.html"));
check("no JavaScript: the home page lists the examples", (await plain.locator("section[aria-labelledby=all] li").count()) === 4);

// The filters keep their state in the address: Back undoes a choice, and
// Forward makes it again.
await page.goto(url("practice-bank.html"));
await page.selectOption("#filter-topic", "Vulnerable people");
check("address: a choice is in the address", new URL(page.url()).searchParams.get("topic") === "Vulnerable people", page.url());
await page.selectOption("#filter-rating", "promising");
check("address: both choices are", new URL(page.url()).search === "?topic=Vulnerable+people&rating=promising", page.url());
await page.goBack();
check("address: Back undoes the last choice", (await page.inputValue("#filter-rating")) === "" && (await rows(page)).length === 2, await count(page));
await page.goBack();
check("address: Back again shows every entry", (await rows(page)).length === 8 && (await page.inputValue("#filter-topic")) === "");
await page.goForward();
check("address: Forward chooses again", (await page.inputValue("#filter-topic")) === "Vulnerable people" && (await rows(page)).length === 2);
await page.click("button[type=reset]");
await page.waitForFunction(() => document.getElementById("count").textContent === "Showing all 8 entries");
check("address: Show all clears the address", new URL(page.url()).search === "", page.url());

// Without JavaScript a topic's own page is the filter.
const topicPage = await plainPage(`topics/${slug("Serious violence and homicide")}.html`);
check("no JavaScript: a topic's page lists only its entries", topicPage.length === 2 && topicPage.every((r) => r.cells[3] === "Serious violence and homicide"), topicPage);

// Every kind of page, at every width and at 200% zoom, against axe-core.
const pageTypes = [
  ["home", url("index.html")],
  ["bank", url("practice-bank.html")],
  ["bank filtered", url("practice-bank.html") + "?rating=promising"],
  ["bank page 2", largeUrl("practice-bank.page-2.html")],
  ["topic", url(`topics/${slug("Vulnerable people")}.html`)],
  ["rating", url("ratings/promising.html")],
  ["entry", url("practice/enhanced-video-response-dorset-police.html")],
  ["imported entry", url("practice/street-triage-car-dorset-police.html")],
  ["retracted", url("practice/operation-withdrawn-kent-police.html")],
  ["feed page", url("feed.html")],
  ["accessibility statement", url("accessibility.html")],
];
const views = [
  ["1280px", { viewport: { width: 1280, height: 900 } }],
  ["375px", { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }],
  ["320px", { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true }],
  // 200% zoom of a 1280px window: half the CSS pixels, each drawn twice.
  ["200% zoom", { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 }],
];
for (const [view, options] of views) {
  // axe is injected, which the pages' own policy would refuse.
  const ctx = await newContext({ ...options, bypassCSP: true });
  const p = await ctx.newPage();
  for (const [what, address] of pageTypes) {
    await p.goto(over(address));
    await p.addScriptTag({ path: axePath });
    const result = await p.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    check(`axe ${view}: ${what}: no violations`, violations.length === 0, violations);
    // WCAG 1.4.10: no sideways scrolling at 320 CSS pixels (a phone, or a
    // 1280px window at 400% zoom).
    if (view === "320px") {
      const wide = await p.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll("body *"))
          .filter((e) => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length > 0 && !e.closest(".visually-hidden, .skip"))
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
          .slice(0, 5)
          .concat(document.documentElement.scrollWidth > width ? [`page ${document.documentElement.scrollWidth}px wide`] : []);
      });
      check(`320px: ${what}: nothing wider than the screen`, wide.length === 0, wide);
    }
  }
  if (view === "320px" || view === "1280px") {
    for (const [name, address] of [["home", url("index.html")], ["bank", url("practice-bank.html")], ["entry", url("practice/enhanced-video-response-dorset-police.html")]]) {
      await p.goto(address);
      await p.screenshot({ path: path.join(shots, `site-${name}-${view}.png`), fullPage: name !== "bank" });
    }
  }
  await ctx.close();
}

// Forced colours (Windows contrast themes): the focus keeps a real outline.
const forced = await newContext({ forcedColors: "active" });
const fp = await forced.newPage();
await fp.goto(url("practice-bank.html"));
const outline = async (selector) => {
  await fp.focus(selector);
  // Focus by keyboard, as :focus-visible asks.
  await fp.keyboard.press("Shift+Tab");
  await fp.keyboard.press("Tab");
  return fp.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { element: document.activeElement.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
};
for (const [what, selector] of [["a link", "nav[aria-label=Site] a"], ["a filter", "#filter-rating"], ["the Show all button", "button[type=reset]"]]) {
  const o = await outline(selector);
  check(`forced colours: ${what} shows an outline when focused`, o.style !== "none" && o.width >= 2, o);
}
await forced.close();

// Type for reading: 19px body text, lines of at most about 75 characters.
const reading = await newContext({ viewport: { width: 1280, height: 900 } });
const rp = await reading.newPage();
await rp.goto(url("accessibility.html"));
const measure = await rp.evaluate(() => {
  const p = Array.from(document.querySelectorAll("main p")).sort((a, b) => b.textContent.length - a.textContent.length)[0];
  const range = document.createRange();
  range.selectNodeContents(p);
  const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
  return { size: parseFloat(getComputedStyle(p).fontSize), perLine: p.textContent.length / lines, lines };
});
check("type: body text is about 19px", measure.size >= 18.5 && measure.size <= 20, measure);
check("type: lines hold at most about 75 characters", measure.perLine <= 80 && measure.lines > 1, measure);
await reading.close();

// A bank of 4,000 entries: every page small, the filters quick.
const sizes = [];
const walk = (dir) => {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) walk(file);
    else if (name.endsWith(".html")) sizes.push([path.relative(large, file), fs.statSync(file).size]);
  }
};
walk(large);
const biggest = sizes.sort((a, b) => b[1] - a[1])[0];
check(`large: ${sizes.length} pages, none over 200 KB`, sizes.length > 4000 && biggest[1] <= 200 * 1024, biggest);
const lc = await newContext();
const lp = await lc.newPage();
await lp.goto(largeUrl("practice-bank.html"));
const total = await lp.evaluate(() => window.PRACTICE_BANK.entries.length);
check("large: the bank's data holds every entry", total >= 4000, total);
check("large: the first page shows 100 of them", (await rows(lp)).length === 100 && (await count(lp)) === `Showing 1–100 of ${total.toLocaleString("en-GB")} entries`, await count(lp));
const timings = await lp.evaluate(() => {
  const select = document.getElementById("filter-topic");
  const time = (value) => {
    const start = performance.now();
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    void document.body.offsetHeight; // the layout of the new rows
    return performance.now() - start;
  };
  const topic = select.options[1].value;
  const runs = { choose: [], clear: [] };
  for (let i = 0; i < 5; i += 1) {
    runs.choose.push(time(topic));
    runs.clear.push(time(""));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[2];
  return { choose: median(runs.choose), clear: median(runs.clear) };
});
check("large: choosing a filter responds in under 100 ms", timings.choose < 100, timings);
check("large: clearing it responds in under 100 ms", timings.clear < 100, timings);
await lp.click("#pager a[data-page='2']");
check("large: the pager shows the next hundred, and says so in the address", new URL(lp.url()).searchParams.get("page") === "2" && (await count(lp)).startsWith("Showing 101–200 of"), [lp.url(), await count(lp)]);
check("large: the keyboard stays on the pager, at the page now shown", await lp.evaluate(() => document.activeElement.matches("#pager a[aria-current=page]") && document.activeElement.textContent === "2"));
await lp.goto(largeUrl("practice-bank.html") + "?page=999");
check("large: a page past the end shows the last, and the address says which", (await count(lp)).startsWith("Showing 4,001–4,001 of") && new URL(lp.url()).searchParams.get("page") === "41", [lp.url(), await count(lp)]);
await lp.goto(largeUrl("practice-bank.html") + "?page=1");
await lp.click("#pager a[data-page='2']");
await lp.goBack();
check("large: Back returns to the first hundred", (await count(lp)).startsWith("Showing 1–100 of"), await count(lp));
await lc.close();

await browser.close();
server.close();

// Nothing left the machine, and the watch on requests did see the site's own.
const elsewhere = requests.filter((r) => !r.startsWith("file:") && !r.startsWith("data:") && !r.startsWith(`${served}/`));
check("no request leaves the machine", elsewhere.length === 0, elsewhere);
check("the site's own files were requested", ["style.css", "filter.js"].every((f) => requests.some((r) => r.endsWith(`/${f}`))), requests.length);
check("no errors in the console", problems.length === 0, problems);

console.log(`screenshots in ${shots}`);
console.log(`browser check: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
