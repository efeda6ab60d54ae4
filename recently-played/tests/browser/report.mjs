// Opens a page written by `recently-played report` in the system's headless Chromium (through
// playwright-core, which downloads no browser), as a person would, and prints on stdout one
// JSON object saying what the browser saw: console messages and page errors, every request
// the page made, each chart as drawn, the figures its tables hold, and whether the charts'
// text takes the page's colours in light and dark mode. It writes a full-page screenshot.
// The Rust test `recently-played/tests/it/report.rs` runs it and judges what it prints.
//
// Usage: node report.mjs PAGE.html SCREENSHOT.png CHROMIUM
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [pagePath, screenshotPath, executablePath] = process.argv.slice(2);
if (!pagePath || !screenshotPath || !executablePath) {
  console.error("usage: node report.mjs PAGE.html SCREENSHOT.png CHROMIUM");
  process.exit(2);
}
const pageUrl = pathToFileURL(pagePath).href;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const seen = { console: [], pageErrors: [], requests: [], schemes: {} };
  for (const colorScheme of ["light", "dark"]) {
    // Offline: anything the page tried to fetch from elsewhere would fail, and be seen.
    const context = await browser.newContext({
      offline: true,
      colorScheme,
      viewport: { width: 1000, height: 800 },
    });
    const page = await context.newPage();
    page.on("console", (message) =>
      seen.console.push({ type: message.type(), text: message.text() }),
    );
    page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
    page.on("request", (request) => seen.requests.push(request.url()));
    await page.goto(pageUrl, { waitUntil: "load", timeout: 30_000 });

    seen.schemes[colorScheme] = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      const charts = {};
      for (const figure of document.querySelectorAll("figure[data-chart]")) {
        const svg = figure.querySelector("svg");
        const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
        const texts = svg ? [...svg.querySelectorAll("text")] : [];
        charts[figure.dataset.chart] = {
          width: box.width,
          height: box.height,
          shapes: svg ? svg.querySelectorAll("rect").length : 0,
          labelled: figure.querySelector("[role=img][aria-labelledby]") !== null,
          texts: texts.length,
          // Every label drawn in the page's text colour (not plotters' black).
          textsInPageColour: texts.every((t) => getComputedStyle(t).fill === body.color),
        };
      }
      const cells = (selector, key) =>
        Object.fromEntries(
          [...document.querySelectorAll(selector)].map((e) => [key(e), Number(e.dataset.plays)]),
        );
      return {
        background: body.backgroundColor,
        color: body.color,
        charts,
        figures: {
          perDay: cells("tr[data-day]", (e) => e.dataset.day),
          hourByWeekday: cells("td[data-weekday]", (e) => `${e.dataset.weekday} ${e.dataset.hour}`),
          topArtists: [...document.querySelectorAll("table[data-figures=top-artists] tr[data-name]")].map(
            (e) => [e.dataset.name, Number(e.dataset.plays)],
          ),
        },
      };
    });
    if (colorScheme === "light") {
      await page.screenshot({ path: screenshotPath, fullPage: true });
    }
    await context.close();
  }
  seen.pageUrl = pageUrl;
  process.stdout.write(JSON.stringify(seen));
} finally {
  await browser.close();
}
