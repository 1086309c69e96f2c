// tests/browser/demo.mjs — the drawing page (notes §4.4) in a real browser:
// Debian's chromium, driven by playwright-core, draws digits as a person does.
//
//   node tests/browser/demo.mjs [--server build/rel/bin/demo] [--mlp FILE] [--cnn FILE]
//                               [--shots out/demo]
//
// It starts the server itself on a free port with the trained models (as
// load.mjs does; NN_OUT=DIR reads DIR's), opens the page, and for a 0, a 1, a
// 4 and a 7: presses the mouse on the canvas (#lienzo), moves it along the
// digit's strokes a few pixels at a time, lets go, waits for the page's last
// question to the server, reads both guesses off the page (#guess-mlp,
// #guess-cnn) and checks them, saves a screenshot (SHOTS/digito-N.png), and
// clears the canvas (#borrar), after which no guess may stay on the page. It
// also fails on a console error, an uncaught exception, a failed request, a
// request to anywhere but the server, and a page whose guesses never moved
// while a digit was being drawn. It ends with one line:
//   demo: 4 digits drawn, MLP read 0 1 4 7, CNN read 0 1 4 7; 0 problems
// and exits 1 on any problem.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { options, startServer } from './load.mjs';

// Each digit as strokes (polylines) in the unit square of the canvas, (0, 0)
// the top left: what a hand draws, big and roughly centred.
function ellipse(cx, cy, rx, ry, n) {
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = -Math.PI / 2 - (2 * Math.PI * i) / n;   // from the top, anticlockwise
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });
}
const DIGITS = [
  { digit: 0, strokes: [ellipse(0.5, 0.5, 0.24, 0.36, 48)] },
  { digit: 1, strokes: [[[0.46, 0.22], [0.56, 0.13], [0.56, 0.87]]] },
  { digit: 4, strokes: [[[0.36, 0.14], [0.24, 0.58], [0.76, 0.58]], [[0.62, 0.3], [0.62, 0.88]]] },
  { digit: 7, strokes: [[[0.24, 0.18], [0.76, 0.18], [0.44, 0.88]]] },
];

// The mouse along one stroke: down, a move every STEP_PX pixels with a short
// pause (a hand takes about half a second per stroke), up.
const STEP_PX = 6, PAUSE_MS = 6;
async function drawStroke(page, box, stroke) {
  const at = ([u, v]) => [box.x + u * box.width, box.y + v * box.height];
  let [x, y] = at(stroke[0]);
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (const point of stroke.slice(1)) {
    const [tx, ty] = at(point);
    const steps = Math.max(1, Math.round(Math.hypot(tx - x, ty - y) / STEP_PX));
    for (let s = 1; s <= steps; s++) {
      await page.mouse.move(x + ((tx - x) * s) / steps, y + ((ty - y) * s) / steps);
      await page.waitForTimeout(PAUSE_MS);
    }
    [x, y] = [tx, ty];
  }
  await page.mouse.up();
}

// Resolves once no question to /api/predict has been open for `quiet` ms.
async function settled(page, traffic, quiet = 400, limit = 15000) {
  const t0 = Date.now();
  while (Date.now() - t0 < limit) {
    if (traffic.open === 0 && Date.now() - traffic.last > quiet) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`the page was still asking the server after ${limit / 1000} s`);
}

const guesses = (page) => page.evaluate(() => ({
  mlp: document.getElementById('guess-mlp')?.textContent.trim() ?? null,
  cnn: document.getElementById('guess-cnn')?.textContent.trim() ?? null,
}));

async function main() {
  const o = options(process.argv.slice(2), { shots: 'out/demo', www: '', notebooks: '' });
  const server = await startServer(o);
  const origin = new URL(server.url).origin;
  fs.mkdirSync(o.shots, { recursive: true });
  const problems = [];
  const read = { mlp: [], cnn: [] };
  let browser;
  try {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    // every question the page asks, and when the last one ended
    const traffic = { open: 0, last: Date.now(), asked: 0 };
    page.on('request', (r) => {
      if (!r.url().startsWith(origin + '/') && !r.url().startsWith('data:')) problems.push(`asks the network: ${r.url()}`);
      if (r.url().endsWith('/api/predict')) { traffic.open++; traffic.asked++; }
    });
    const done = (r) => { if (r.url().endsWith('/api/predict')) { traffic.open--; traffic.last = Date.now(); } };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });

    await page.goto(server.url, { waitUntil: 'load' });
    const canvas = page.locator('#lienzo');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box || box.width < 100 || box.height < 100) throw new Error(`#lienzo is ${box ? `${box.width}×${box.height}` : 'not visible'}`);
    let movedWhileDrawing = 0;

    for (const { digit, strokes } of DIGITS) {
      const askedBefore = traffic.asked;
      for (const stroke of strokes) await drawStroke(page, box, stroke);
      // the page asked while the pen was down, not only at the end
      if (traffic.asked - askedBefore >= 2) movedWhileDrawing++;
      await settled(page, traffic);
      const g = await guesses(page);
      read.mlp.push(g.mlp || '-');
      read.cnn.push(g.cnn || '-');
      for (const name of ['mlp', 'cnn'])
        if (g[name] !== String(digit)) problems.push(`a ${digit} drawn: #guess-${name} shows '${g[name]}'`);
      await page.screenshot({ path: path.join(o.shots, `digito-${digit}.png`), fullPage: true });
      await page.click('#borrar');
      await settled(page, traffic);
      const cleared = await guesses(page);
      if (/\d/.test(cleared.mlp) || /\d/.test(cleared.cnn))
        problems.push(`after #borrar the page still shows MLP '${cleared.mlp}', CNN '${cleared.cnn}'`);
    }
    if (movedWhileDrawing === 0) problems.push('the page never asked the server while a digit was being drawn');
  } catch (e) {
    problems.push(e.message.split('\n')[0]);
  } finally {
    if (browser) await browser.close();
  }
  const end = await server.stop();
  if (end.code !== 0) problems.push(`the server ended with ${end.signal || 'exit ' + end.code}: ${end.stderr.trim()}`);

  for (const p of problems) console.log(`  PROBLEM ${p}`);
  console.log(`demo: ${read.cnn.length} digits drawn (${DIGITS.map((d) => d.digit).join(' ')}), ` +
    `MLP read ${read.mlp.join(' ')}, CNN read ${read.cnn.join(' ')}; screenshots in ${o.shots}/; ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => { console.error(`demo: ${e.message}`); process.exit(1); });
