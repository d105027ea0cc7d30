// The site in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Loads the pages from the files (file://), works the
// practice bank's filters, checks that every request stays on the machine,
// that the pages work without JavaScript and keep their contrast, and saves
// screenshots. Run by check.sh, which builds the site first.
//
//   node check.mjs SITE_DIR SCREENSHOT_DIR

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [site, shots] = process.argv.slice(2);
if (!site || !shots) {
  console.error("usage: node check.mjs SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
const url = (rel) => pathToFileURL(path.join(site, rel)).href;

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
    return target.startsWith("file:") || target.startsWith("data:") ? route.continue() : route.abort();
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
await filter("rating", { rating: "smarter-practice" }, 4, (r) => r.cells[0] === "Smarter practice");
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

await browser.close();

// Nothing left the machine, and the watch on requests did see the site's own.
const elsewhere = requests.filter((r) => !r.startsWith("file:") && !r.startsWith("data:"));
check("no request leaves the machine", elsewhere.length === 0, elsewhere);
check("the site's own files were requested", ["style.css", "filter.js"].every((f) => requests.some((r) => r.endsWith(`/${f}`))), requests.length);
check("no errors in the console", problems.length === 0, problems);

console.log(`screenshots in ${shots}`);
console.log(`browser check: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
