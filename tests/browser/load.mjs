// tests/browser/load.mjs — the drawing page's server under load (notes §4.4),
// from a second process on loopback:
//
//   node tests/browser/load.mjs [--server build/rel/bin/demo] [--mlp FILE] [--cnn FILE]
//                               [--data datasets/mnist] [--requests 2000] [--clients 16]
//
// It starts the server itself on a free port (--port 0) with the trained
// models (default out/03-mnist-mlp/model.safetensors and
// out/04-cnn/model.safetensors; NN_OUT=DIR reads DIR's), then sends the
// requests from that many clients at once, in a fixed shuffled order (seed 42),
// a mix of
//   good: MNIST test images (784 pixels) for model mlp, cnn and both; the same
//         images drawn large on raw canvases of other sizes; blank canvases;
//         the page's files
//   bad:  malformed JSON, wrong pixel counts, NaN and Infinity, values outside
//         [0, 1], unknown or missing models, canvases too large, a 5 MB body,
//         wrong methods, unknown paths, paths that climb out of the served folder
// and checks every answer: its status, its Content-Type, and its shape — for a
// guess: the 784 inputs (a 28×28 image comes back as it went), ten
// probabilities that add up to 1, the guess their largest, 32×26×26 feature
// maps after ReLU, a saliency map whose largest value is 1; for an error:
// {"error": "…"} and nothing else. An image asked again must get the same
// numbers (a request must not see another's), and each network must still
// recognise most images. Meanwhile a few clients stall halfway through their
// requests: they must not hold up the others, and the server must close them
// (its idle timeout). It ends with one line, e.g.
//   load: 2000 requests from 16 clients in 4.1 s: 490 requests/s, p50 21 ms, p99 96 ms; 0 failed
// and exits 1 on any failed or wrong answer, 0 otherwise.
//
// Most requests go through fetch (Node 18 or later). The paths that climb out
// go through node:http: fetch, as a browser, tidies "/../" away before sending.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MAX_BODY = 4 * 1024 * 1024; // DEMO_MAX_BODY (demo_api.h)
const IMAGES = 300;               // MNIST test images used

// --- the server -------------------------------------------------------------------------

// Starts the server on a free port of 127.0.0.1 and resolves when it prints
// "Abre http://…/". stop() sends SIGTERM and resolves with how it ended.
export async function startServer({ server, mlp, cnn, www, notebooks }) {
  const args = ['--mlp', mlp, '--cnn', cnn, '--host', '127.0.0.1', '--port', '0'];
  if (www) args.push('--www', www);
  if (notebooks) args.push('--notebooks', notebooks);
  const proc = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const ended = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${server} did not say "Abre http://…" within 60 s`)), 60000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/^Abre (http:\/\/\S+)$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start ${server}: ${e.message}`)); });
    ended.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${server} ended before it listened (${signal || 'exit ' + code}): ${stderr.trim()}`));
    });
  });
  return {
    url,
    async stop() {
      proc.kill('SIGTERM');
      const end = await ended;
      return { ...end, stdout, stderr };
    },
  };
}

// --server, --mlp, ... as an object, with the defaults make uses.
export function options(argv, extra = {}) {
  const out = process.env.NN_OUT || 'out';
  const o = {
    server: 'build/rel/bin/demo',
    mlp: path.join(out, '03-mnist-mlp/model.safetensors'),
    cnn: path.join(out, '04-cnn/model.safetensors'),
    ...extra,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(key in o) || argv[i + 1] === undefined) {
      console.error(`unknown or incomplete option '${argv[i]}' (options: ${Object.keys(o).map((k) => '--' + k).join(' ')})`);
      process.exit(2);
    }
    o[key] = argv[i + 1];
  }
  return o;
}

// --- what is sent ------------------------------------------------------------------------

// mulberry32: a small seeded generator, so that every run sends the same mix.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The first `count` MNIST test images, as grey levels in [0, 1] to 3 decimals.
function readMnist(dir, count) {
  const images = fs.readFileSync(path.join(dir, 't10k-images-idx3-ubyte'));
  const labels = fs.readFileSync(path.join(dir, 't10k-labels-idx1-ubyte'));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049)
    throw new Error(`${dir}: not MNIST's IDX files (run make data)`);
  const found = [];
  for (let i = 0; i < count; i++) {
    const pixels = Array.from(images.subarray(16 + 784 * i, 16 + 784 * (i + 1)), (v) => Math.round(v / 255 * 1000) / 1000);
    found.push({ index: i, label: labels[8 + i], pixels });
  }
  return found;
}

// The image drawn large, as a person draws on the page: each pixel a
// scale × scale square, somewhere on a wider canvas, grey levels to 2 decimals.
function canvasOf(image, random) {
  const scale = 4 + Math.floor(random() * 9);
  const width = 28 * scale + Math.floor(random() * 200), height = 28 * scale + Math.floor(random() * 120);
  const left = Math.floor(random() * (width - 28 * scale)), top = Math.floor(random() * (height - 28 * scale));
  const pixels = new Array(width * height).fill(0);
  for (let y = 0; y < 28 * scale; y++)
    for (let x = 0; x < 28 * scale; x++)
      pixels[(top + y) * width + left + x] = Math.round(image.pixels[Math.floor(y / scale) * 28 + Math.floor(x / scale)] * 100) / 100;
  return { width, height, pixels };
}

const predictJson = (fields) => JSON.stringify(fields);
const zeros = (n) => new Array(n).fill(0);

// Every kind of request: its weight in the mix, how to make one, and what
// answer it must get (expect: status; check: more checks of a 200).
function kinds(images, random) {
  const pick = () => images[Math.floor(random() * images.length)];
  const post = (body, extra = {}) => ({ method: 'POST', path: '/api/predict', body, ...extra });
  const bad400 = (weight, name, body) => ({ name, weight, make: () => post(body), expect: 400 });
  const nearly = zeros(783).join(',');
  const huge = '{"model": "both", "pixels": [' + '0.5,'.repeat(Math.ceil((5 * 1024 * 1024) / 4)) + '0]}';
  let round = 0;
  return [
    { name: 'MNIST image', weight: 50, make: () => {
        const image = pick(), model = ['both', 'cnn', 'mlp'][round++ % 3];
        return { ...post(predictJson({ model, pixels: image.pixels })), image, model };
      }, expect: 200 },
    { name: 'MNIST image on a raw canvas', weight: 16, make: () => {
        const image = pick();
        return { ...post(predictJson({ model: 'both', ...canvasOf(image, random) })), image, model: 'both', canvas: true };
      }, expect: 200 },
    { name: 'blank canvas', weight: 3, make: () => {
        const width = 1 + Math.floor(random() * 300), height = 1 + Math.floor(random() * 300);
        return { ...post(predictJson({ model: 'both', width, height, pixels: zeros(width * height) })), model: 'both', blank: true };
      }, expect: 200 },
    { name: 'page file', weight: 5, make: () => {
        const [file, type] = [['/', 'text/html'], ['/index.html', 'text/html'], ['/app.js', 'text/javascript'],
                              ['/style.css', 'text/css']][Math.floor(random() * 4)];
        return { method: 'GET', path: file, type };
      }, expect: 200 },
    bad400(3, 'truncated JSON', '{"model": "both", "pixels": [0, 0.5,'),
    bad400(2, 'JSON with trailing garbage', predictJson({ model: 'cnn', pixels: zeros(784) }) + ' }'),
    bad400(2, 'not an object', '[0, 1, 2]'),
    bad400(2, 'empty body', ''),
    bad400(2, 'not JSON at all', 'model=cnn&pixels=0'),
    bad400(3, '783 pixels', `{"model": "mlp", "pixels": [${nearly}]}`),
    bad400(2, '785 pixels', `{"model": "mlp", "pixels": [${nearly},0,0]}`),
    bad400(2, 'width × height not the count', predictJson({ model: 'both', width: 30, height: 20, pixels: zeros(599) })),
    bad400(3, 'NaN', `{"model": "cnn", "pixels": [NaN,${nearly}]}`),
    bad400(2, 'Infinity', `{"model": "cnn", "pixels": [${nearly},Infinity]}`),
    bad400(2, 'a number too large for a double', `{"model": "cnn", "pixels": [${nearly},1e999]}`),
    bad400(2, 'a string for a pixel', `{"model": "cnn", "pixels": ["0",${nearly}]}`),
    bad400(3, 'a pixel above 1', `{"model": "both", "pixels": [${nearly},1.5]}`),
    bad400(2, 'a pixel below 0', `{"model": "both", "pixels": [-0.01,${nearly}]}`),
    bad400(3, 'unknown model', predictJson({ model: 'rnn', pixels: zeros(784) })),
    bad400(2, 'no model', predictJson({ pixels: zeros(784) })),
    bad400(2, 'no pixels', predictJson({ model: 'both' })),
    bad400(2, 'canvas wider than 1024', predictJson({ model: 'both', width: 2000, height: 1, pixels: zeros(2000) })),
    bad400(1, 'canvas of width 0', predictJson({ model: 'both', width: 0, height: 5, pixels: [] })),
    { name: '5 MB body', weight: 1, make: () => post(huge), expect: 413 },
    { name: 'GET /api/predict', weight: 2, make: () => ({ method: 'GET', path: '/api/predict', allow: 'POST' }), expect: 405 },
    { name: 'DELETE /api/predict', weight: 1, make: () => ({ method: 'DELETE', path: '/api/predict', allow: 'POST' }), expect: 405 },
    { name: 'PUT /', weight: 1, make: () => ({ method: 'PUT', path: '/', body: 'x', allow: 'GET, HEAD' }), expect: 405 },
    { name: 'unknown API path', weight: 2, make: () => post(predictJson({ model: 'cnn', pixels: zeros(784) }), { path: '/api/guess' }), expect: 404 },
    { name: 'unknown file', weight: 2, make: () => ({ method: 'GET', path: '/no-such-page.html' }), expect: 404 },
    { name: 'path climbing out', weight: 3, make: () => ({
        method: 'GET', raw: true,
        path: ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc/passwd',
               '/notebooks/../../../../etc/passwd', '//etc/passwd'][Math.floor(random() * 5)] }), expect: 403 },
  ];
}

// `count` requests drawn from the kinds by weight, in a shuffled order.
function deck(count, images, random) {
  const all = kinds(images, random), total = all.reduce((s, k) => s + k.weight, 0);
  const requests = [];
  for (const kind of all) {
    const n = Math.max(1, Math.round((count * kind.weight) / total));
    for (let i = 0; i < n; i++) requests.push({ kind, ...kind.make() });
  }
  while (requests.length > count) requests.splice(Math.floor(random() * requests.length), 1);
  while (requests.length < count) requests.push({ kind: all[0], ...all[0].make() });
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [requests[i], requests[j]] = [requests[j], requests[i]];
  }
  return requests;
}

// --- sending -----------------------------------------------------------------------------

const rawAgent = new http.Agent({ keepAlive: true });

// A path sent exactly as written (fetch would tidy "/../" away).
function rawGet(url, rawPath) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: 'GET', agent: rawAgent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] || '', allow: res.headers.allow, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function send(url, r) {
  if (r.raw) return rawGet(url, r.path);
  const res = await fetch(new URL(r.path, url), {
    method: r.method,
    body: r.body,
    headers: r.body === undefined ? {} : { 'content-type': 'application/json' },
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') || '', allow: res.headers.get('allow'), text };
}

// --- checking ----------------------------------------------------------------------------

function numbers(value, n, lo, hi, what) {
  if (!Array.isArray(value) || value.length !== n) return `${what}: ${Array.isArray(value) ? value.length : typeof value} values, not ${n}`;
  const bad = value.findIndex((v) => typeof v !== 'number' || !(v >= lo && v <= hi));
  return bad >= 0 ? `${what}[${bad}] = ${value[bad]}, outside [${lo}, ${hi}]` : null;
}

function checkGuess(net, name, withMaps) {
  if (!net || typeof net !== 'object') return `no "${name}" in the answer`;
  const p = net.probabilities;
  const problem = numbers(p, 10, 0, 1, `${name}.probabilities`);
  if (problem) return problem;
  const sum = p.reduce((s, v) => s + v, 0);
  if (Math.abs(sum - 1) > 0.01) return `${name}.probabilities add up to ${sum}`;
  if (!Number.isInteger(net.guess) || net.guess < 0 || net.guess > 9) return `${name}.guess = ${net.guess}`;
  if (p[net.guess] < Math.max(...p)) return `${name}.guess ${net.guess} is not the most probable digit`;
  if (!withMaps) return null;
  const maps = net.feature_maps;
  if (!maps || maps.channels !== 32 || maps.size !== 26) return `${name}.feature_maps: not 32 maps of 26×26`;
  const mapsProblem = numbers(maps.values, 32 * 26 * 26, 0, Infinity, `${name}.feature_maps.values`);
  if (mapsProblem) return mapsProblem;
  const saliencyProblem = numbers(net.saliency, 784, 0, 1, `${name}.saliency`);
  if (saliencyProblem) return saliencyProblem;
  const top = Math.max(...net.saliency);
  if (top !== 0 && Math.abs(top - 1) > 1e-3) return `${name}.saliency: its largest value is ${top}, not 1`;
  return null;
}

// What a prediction's answer must hold; null when it is right.
function checkPrediction(r, a) {
  const problem = numbers(a.input, 784, 0, 1, 'input');
  if (problem) return problem;
  if (r.blank) {
    if (a.empty !== true) return 'a blank canvas without "empty": true';
    if ('mlp' in a || 'cnn' in a) return 'a blank canvas with guesses';
    if (a.input.some((v) => v !== 0)) return 'a blank canvas with ink in its input';
    return null;
  }
  if (a.empty) return '"empty" for a drawing';
  if (!r.canvas) {
    const moved = r.image.pixels.findIndex((v, i) => Math.abs(v - a.input[i]) > 0.0006);
    if (moved >= 0) return `input[${moved}] = ${a.input[moved]}, but the image sent has ${r.image.pixels[moved]}`;
  }
  for (const name of ['mlp', 'cnn']) {
    const wanted = r.model === 'both' || r.model === name;
    if (!wanted && name in a) return `"${name}" answered for model ${r.model}`;
    if (wanted) {
      const netProblem = checkGuess(a[name], name, name === 'cnn');
      if (netProblem) return netProblem;
    }
  }
  return null;
}

function check(r, got) {
  const { kind } = r;
  if (got.status !== kind.expect) return `status ${got.status}, not ${kind.expect}: ${got.text.slice(0, 160)}`;
  if (r.type) return got.type.startsWith(r.type) ? null : `Content-Type ${got.type}, not ${r.type}`;
  if (!got.type.startsWith('application/json')) return `Content-Type ${got.type}, not JSON`;
  let a;
  try { a = JSON.parse(got.text); } catch (e) { return `not JSON (${e.message}): ${got.text.slice(0, 160)}`; }
  if (kind.expect !== 200) {
    const keys = a && typeof a === 'object' && !Array.isArray(a) ? Object.keys(a) : [];
    if (keys.length !== 1 || keys[0] !== 'error' || typeof a.error !== 'string' || !a.error.trim())
      return `not {"error": "…"}: ${got.text.slice(0, 160)}`;
    if (r.allow && got.allow !== r.allow) return `Allow: ${got.allow}, not ${r.allow}`;
    return null;
  }
  const problem = checkPrediction(r, a);
  if (problem) return problem;
  r.answer = a;
  return null;
}

// The same image must get the same numbers each time it is asked (whatever
// else runs at the same time), and each network must recognise most images.
function consistency(requests) {
  const seen = new Map(), problems = [];
  const right = { mlp: [0, 0], cnn: [0, 0], canvas: [0, 0] };
  for (const r of requests) {
    if (!r.answer || !r.image) continue;
    for (const name of ['mlp', 'cnn']) {
      const net = r.answer[name];
      if (!net) continue;
      const key = `${r.image.index} ${name}`;
      const numbersOf = JSON.stringify(net.probabilities);
      if (!r.canvas) {
        if (seen.has(key) && seen.get(key) !== numbersOf)
          problems.push(`MNIST test image ${r.image.index}: ${name} gave different probabilities on two requests`);
        seen.set(key, numbersOf);
      }
      const tally = r.canvas ? right.canvas : right[name];
      if (!r.canvas || name === 'cnn') { tally[0] += net.guess === r.image.label; tally[1]++; }
    }
  }
  const rate = ([ok, n]) => (n ? ok / n : 1);
  // a network that works recognises far more than these; a broken one, about 10 %
  if (rate(right.mlp) < 0.9) problems.push(`the MLP recognised only ${pct(rate(right.mlp))} of the MNIST images`);
  if (rate(right.cnn) < 0.9) problems.push(`the CNN recognised only ${pct(rate(right.cnn))} of the MNIST images`);
  if (rate(right.canvas) < 0.8) problems.push(`the CNN recognised only ${pct(rate(right.canvas))} of the images drawn on canvases`);
  return { problems, right, rate };
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;

// --- stalled clients ---------------------------------------------------------------------

// Clients that start a request and stop: half the headers, or the headers and
// part of the body. Resolves, for each, with the seconds until the server
// closed it.
function stall(url, count) {
  const { hostname, port } = new URL(url);
  const starts = ['POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Le',
                  'POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{"model": "cnn", "pix'];
  return Array.from({ length: count }, (_, i) => new Promise((resolve) => {
    const t0 = performance.now();
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(starts[i % 2]));
    socket.on('error', () => {});
    socket.on('close', () => resolve((performance.now() - t0) / 1000));
    socket.resume();
  }));
}

// --- the run -----------------------------------------------------------------------------

async function main() {
  const o = options(process.argv.slice(2), { data: 'datasets/mnist', requests: '2000', clients: '16', www: '', notebooks: '' });
  const count = Number(o.requests), clients = Number(o.clients);
  const random = rng(42);
  const requests = deck(count, readMnist(o.data, IMAGES), random);
  const server = await startServer(o);
  const stalled = stall(server.url, 4);

  const failures = [];
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  async function client() {
    while (next < requests.length) {
      const r = requests[next++];
      const start = performance.now();
      let problem;
      try {
        const got = await send(server.url, r);
        latencies.push(performance.now() - start);
        problem = check(r, got);
      } catch (e) {
        latencies.push(performance.now() - start);
        problem = `no answer: ${e.cause?.code || e.cause?.message || e.message}`;
      }
      if (problem) failures.push(`${r.kind.name} (${r.method} ${r.path}): ${problem}`);
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - t0) / 1000;

  const { problems, right, rate } = consistency(requests);
  failures.push(...problems);
  // the stalled clients: the server must have closed them by now, or within
  // its idle timeout (10 s) and a little more
  const cut = await Promise.race([Promise.all(stalled), new Promise((r) => setTimeout(() => r(null), 15000))]);
  if (!cut) failures.push('the stalled clients were still connected 15 s after they stalled');
  const end = await server.stop();
  if (end.code !== 0) failures.push(`the server ended with ${end.signal || 'exit ' + end.code} on SIGTERM: ${end.stderr.trim()}`);
  else if (!/^Servidor parado/m.test(end.stdout)) failures.push(`the server did not say it stopped: ${end.stdout.trim()}`);

  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const bad = requests.filter((r) => r.kind.expect >= 400).length;
  console.log(`load: ${requests.length - bad} good requests and ${bad} bad ones; ` +
    `MLP right on ${pct(rate(right.mlp))} of ${right.mlp[1]} MNIST images, CNN on ${pct(rate(right.cnn))} of ${right.cnn[1]}, ` +
    `CNN on ${pct(rate(right.canvas))} of ${right.canvas[1]} drawn on canvases; ` +
    (cut ? `4 stalled clients cut after ${Math.max(...cut).toFixed(1)} s` : 'stalled clients not cut'));
  for (const f of failures.slice(0, 20)) console.log(`  FAILED ${f}`);
  if (failures.length > 20) console.log(`  ... and ${failures.length - 20} more`);
  console.log(`load: ${requests.length} requests from ${clients} clients in ${seconds.toFixed(1)} s: ` +
    `${Math.round(requests.length / seconds)} requests/s, p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms; ` +
    `${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => { console.error(`load: ${e.message}`); process.exit(1); });
}
