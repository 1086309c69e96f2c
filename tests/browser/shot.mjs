// tests/browser/shot.mjs — a screenshot of one part of a page, as a reader
// sees it (for looking at a page while writing it; not a test).
//   node tests/browser/shot.mjs PAGE.html OUT.png [CSS-SELECTOR] [WIDTH]
// With a selector, the window is scrolled to that element and 1400 px of
// the page from there are taken; without one, the top of the page.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, out, selector, width] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node tests/browser/shot.mjs PAGE.html OUT.png [CSS-SELECTOR] [WIDTH]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: Number(width) || 1100, height: 1400 } });
await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
if (selector) {
  const el = page.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  await page.evaluate((s) => document.querySelector(s).scrollIntoView({ block: 'start' }), selector);
}
await page.screenshot({ path: out });
await browser.close();
