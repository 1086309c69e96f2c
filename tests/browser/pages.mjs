// tests/browser/pages.mjs — every woven notebook page, opened from disk in
// Debian's chromium (driven by playwright-core), as a reader would open it.
//
//   node tests/browser/pages.mjs out/notebooks
//
// For each page (out/notebooks/{es,en}/*.html) it fails on: a console error
// or warning, an uncaught exception, a request that failed (a missing image,
// a link to a missing stylesheet), an image that did not load, a formula
// that the browser did not lay out as MathML (zero size), a page wider than
// the window. It saves a full-page screenshot of each in
// out/notebooks/screenshots/, and ends with one line:
//   pages: N opened, M with problems
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.argv[2] || 'out/notebooks';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = path.join(root, 'screenshots');

function pages() {
  const found = [];
  for (const lang of ['es', 'en']) {
    const dir = path.join(root, lang);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort())
      if (f.endsWith('.html')) found.push(path.join(dir, f));
  }
  return found;
}

async function check(browser, file) {
  const problems = [];
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:'))
      problems.push(`asks the network: ${r.url()}`);
  });
  await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
  const seen = await page.evaluate(() => {
    const images = [...document.images];
    const broken = images.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute('src'));
    const maths = [...document.querySelectorAll('math')];
    const flat = maths.filter((m) => {
      const r = m.getBoundingClientRect();
      return r.width === 0 || r.height === 0;
    }).length;
    // MathML laid out as mathematics: a fraction's numerator sits above its
    // denominator (as plain text they would share one line)
    const fractions = [...document.querySelectorAll('mfrac')];
    const tall = fractions.filter((f) => f.children.length === 2 &&
      f.children[0].getBoundingClientRect().bottom <= f.children[1].getBoundingClientRect().top + 1).length;
    return {
      images: images.length, broken, maths: maths.length, flat,
      fractions: fractions.length, tall,
      wide: document.documentElement.scrollWidth > window.innerWidth + 1,
      title: document.title,
    };
  });
  for (const src of seen.broken) problems.push(`image did not load: ${src}`);
  if (seen.flat) problems.push(`${seen.flat} of ${seen.maths} formulas have no size`);
  if (seen.tall < seen.fractions)
    problems.push(`${seen.fractions - seen.tall} of ${seen.fractions} fractions not laid out as MathML`);
  if (seen.wide) problems.push('the page is wider than the window');
  if (!seen.title) problems.push('no title');
  const lang = path.basename(path.dirname(file));
  const shot = path.join(shots, `${lang}-${path.basename(file, '.html')}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return { problems, seen, shot };
}

const files = pages();
if (files.length === 0) {
  console.log(`no pages in ${root}/es or ${root}/en: run \`make notebooks\``);
  process.exit(1);
}
fs.mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
let bad = 0;
for (const f of files) {
  const { problems, seen, shot } = await check(browser, f);
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${f}: ${seen.images} images, ${seen.maths} formulas -> ${shot}`);
  for (const p of problems) console.log(`     ${p}`);
  if (problems.length) bad++;
}
await browser.close();
console.log(`pages: ${files.length} opened, ${bad} with problems`);
process.exit(bad ? 1 : 0);
