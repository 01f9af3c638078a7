// The web edition in a real browser (Debian's chromium through puppeteer-core), for tests/test_web_edition.py.
//
//   node tests/web_browser.js SITE_DIR REPORT.json [SHOTS_DIR] [SEARCH_WORD]
//
// Serves SITE_DIR on 127.0.0.1 (fonts from file:// are refused by chromium's CORS rules), opens every page and
// reports: requests that left the site (intercepted and aborted), requests that failed, pages wider than the
// window at 320x640 and 390x844, axe-core's WCAG 2.2 AA violations in light and dark mode, what the search
// page finds for SEARCH_WORD, how much text an essay shows with JavaScript off, and where a followed note shows.
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const puppeteer = require("puppeteer-core");

const [siteDir, reportFile, shotsDir, searchWord] = process.argv.slice(2);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".jpg": "image/jpeg", ".png": "image/png", ".svg": "image/svg+xml",
  ".gif": "image/gif", ".webp": "image/webp", ".ttf": "font/ttf", ".otf": "font/otf" };
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SMALL = [[320, 640], [390, 844]];

function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(path.resolve(root))) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

(async () => {
  const root = path.resolve(siteDir);
  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-default-apps"],
  });
  const report = { origin, pages: [], foreign: [], failed: [], overflow: [], axe: {}, axePasses: 0,
    search: [], noscriptText: 0, note: null, shots: [] };
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    const url = req.url();
    if (url.startsWith(origin + "/") || url.startsWith("data:") || url === "about:blank") req.continue();
    else { report.foreign.push(url); req.abort(); }
  });
  page.on("requestfailed", (req) => {
    if (req.url().startsWith(origin)) report.failed.push(req.url());
  });
  page.on("response", (res) => { if (res.status() >= 400) report.failed.push(`${res.status()} ${res.url()}`); });

  const pages = fs.readdirSync(root).filter((f) => f.endsWith(".html")).sort();
  report.pages = pages;
  const open = async (file) => {
    await page.goto(`${origin}/${file}`, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready);
  };
  for (const file of pages) {
    for (const [width, height] of SMALL) {
      await page.setViewport({ width, height });
      await open(file);
      const wide = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth }));
      if (wide.scroll > wide.client) report.overflow.push(`${file} at ${width}x${height}: ${wide.scroll}px`);
    }
    await page.setViewport({ width: 1280, height: 900 });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      await open(file);
      await page.evaluate(axeSource);
      const result = await page.evaluate((tags) => window.axe.run(document,
        { runOnly: { type: "tag", values: tags } }), AXE_TAGS);
      report.axePasses += result.passes.length;
      if (result.violations.length) {
        report.axe[`${file} (${scheme})`] = result.violations.map((v) => ({ id: v.id, impact: v.impact,
          help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
      }
    }
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  }

  if (searchWord) {
    await page.setViewport({ width: 390, height: 844 });
    await page.goto(`${origin}/search.html?q=${encodeURIComponent(searchWord)}`, { waitUntil: "load" });
    await page.waitForFunction(() => document.getElementById("search-status").textContent.length > 0);
    report.search = await page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
    report.searchStatus = await page.$eval("#search-status", (el) => el.textContent);
  }

  // A note followed from its call rises over the foot of the window; the text stays where it was.
  const essay = pages.find((f) => fs.readFileSync(path.join(root, f), "utf8").includes('class="noteref"'));
  if (essay) {
    await page.setViewport({ width: 390, height: 844 });
    await open(essay);
    const ref = await page.$("a.noteref");
    await ref.evaluate((a) => a.scrollIntoView({ block: "center", behavior: "instant" }));
    const before = await page.evaluate(() => window.scrollY);
    await ref.click();
    await new Promise((r) => setTimeout(r, 400));
    report.note = await page.evaluate((before) => {
      const note = document.querySelector(":target");
      const box = note.getBoundingClientRect();
      return { id: note.id, top: box.top, bottom: box.bottom, height: window.innerHeight,
        position: getComputedStyle(note).position, scrolled: window.scrollY - before };
    }, before);
    if (shotsDir) {
      await page.screenshot({ path: path.join(shotsDir, "essay-note-390.png") });
      report.shots.push("essay-note-390.png");
    }
  }

  if (shotsDir) {
    fs.mkdirSync(shotsDir, { recursive: true });
    const first = pages.find((f) => fs.readFileSync(path.join(root, f), "utf8").includes('class="essay"'));
    for (const [name, file] of [["home", "index.html"], ["essay", first]]) {
      for (const [width, height] of [[390, 844], [1280, 900]]) {
        for (const scheme of ["light", "dark"]) {
          if (scheme === "dark" && width !== 390) continue;
          await page.setViewport({ width, height });
          await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
          await open(file);
          const shot = `${name}-${width}${scheme === "dark" ? "-dark" : ""}.png`;
          await page.screenshot({ path: path.join(shotsDir, shot), fullPage: name === "home" && width > 400 });
          report.shots.push(shot);
        }
      }
    }
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  }

  // With JavaScript off every page still reads: the essay's text is there.
  const reader = await browser.newPage();
  await reader.setJavaScriptEnabled(false);
  const essayFile = pages.find((f) => fs.readFileSync(path.join(root, f), "utf8").includes('class="essay"'));
  await reader.goto(`${origin}/${essayFile}`, { waitUntil: "load" });
  report.noscriptText = await reader.$eval("main", (m) => m.innerText.length);

  await browser.close();
  server.close();
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 1));
})().catch((error) => { console.error(error); process.exit(1); });
