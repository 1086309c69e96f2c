// chapters/04-cnn/demo/www/app.js — the drawing page of chapter 4 (notes §4.4).
//
// What it does: lets one draw on #lienzo with mouse, pen or finger (Pointer
// Events), sends the drawing to POST /api/predict while it is being drawn, and
// shows the answer: each network's guess and ten probabilities, the 28×28
// input the networks saw, the CNN's saliency map and its 32 first-layer
// feature maps.
// What it is not: it does no preprocessing of its own. The server crops,
// scales and centres the drawing as MNIST was made (demo_preprocess.c), so the
// page sends the raw canvas and draws whatever "input" comes back.
//
// Ink: white on black, as in MNIST, so a pixel's grey level is simply its red
// channel / 255 (1 = ink) and nothing needs converting.
//
// Requests: at most one is in flight; a drawing that changes meanwhile is sent
// when the answer arrives (the latest drawing wins, the ones in between are
// skipped), and an answer to a drawing that has since been cleared is dropped.
//
// For tests: <body data-state> is "empty" (nothing drawn), "busy" (the shown
// answer is not yet the current drawing's), "ready" (it is) or "error".
'use strict';

// ---------------------------------------------------------------------------
// Text, in both languages. Every visible string of the page is here; the
// Spanish of index.html is what shows before this script runs.

const TEXT = {
  es: {
    title: 'Dibuja un dígito — capítulo 4',
    notebookLink: 'Cuaderno del capítulo 4',
    otherLanguage: 'English',
    heading: 'Dibuja un dígito',
    lead: 'Dibuja una cifra del 0 al 9 en el recuadro negro: la red del capítulo 3 y la red convolucional del capítulo 4 dicen qué número ven mientras dibujas.',
    drawHeading: 'Tu dibujo',
    canvasLabel: 'Lienzo para dibujar un dígito con el ratón, un lápiz o el dedo',
    hint: 'Dibuja grande, ocupando casi todo el recuadro, con el ratón, un lápiz o el dedo. Tinta blanca sobre fondo negro, como en MNIST.',
    clear: 'Borrar',
    statusEmpty: 'Dibuja un dígito en el recuadro negro.',
    statusBusy: 'Pensando…',
    statusBlank: 'El servidor no encuentra tinta en el dibujo.',
    statusDone: (mlp, cnn) => `El perceptrón multicapa dice ${mlp}; la red convolucional dice ${cnn}.`,
    statusUnreachable: 'No se pudo contactar con el servidor. ¿Sigue en marcha «make demo»?',
    statusServerError: (code, msg) => `Error del servidor (${code}): ${msg}`,
    statusBadAnswer: 'El servidor respondió algo que esta página no entiende.',
    time: (ms) => `respuesta en ${ms} ms`,
    modelsHeading: 'Qué dicen las redes',
    mlpName: 'Perceptrón multicapa',
    mlpChapter: 'Capítulo 3',
    cnnName: 'Red convolucional',
    cnnChapter: 'Capítulo 4',
    says: 'Dice',
    second: (digit, pct) => `segunda opción: ${digit} (${pct})`,
    mlpBars: 'Probabilidades del perceptrón multicapa para cada dígito',
    cnnBars: 'Probabilidades de la red convolucional para cada dígito',
    inputHeading: 'Lo que ven las redes',
    inputLabel: 'La imagen de 28×28 píxeles que reciben las dos redes',
    inputCaption: 'La entrada: 28×28 píxeles, recortada, a 20×20 y centrada como MNIST.',
    saliencyLabel: 'Mapa de saliencia de la red convolucional sobre la entrada',
    saliencyCaption: 'Saliencia de la red convolucional: en magenta, los píxeles que más mueven su confianza en la cifra que dice.',
    mapsHeading: 'Los 32 mapas de la primera capa convolucional',
    mapsLabel: 'Los 32 mapas de características de 26×26 de la primera capa convolucional',
    mapsCaption: 'Cada filtro de 3×3 recorre la entrada y deja un mapa de 26×26 (tras la ReLU); blanco es donde más responde. Cada mapa está escalado a su propio máximo. Canales 0 a 31, por filas.',
    aboutHeading: 'Qué está pasando',
    about: 'Las dos redes se entrenaron en C con las 60 000 imágenes de MNIST. El <strong>perceptrón multicapa</strong> del capítulo 3 ve los 784 píxeles como una lista, sin saber cuáles son vecinos. La <strong>red convolucional</strong> del capítulo 4 pasa filtros de 3×3 por la imagen (32 en la primera capa, 64 en la segunda), reduce con max-pooling y decide con dos capas densas. Tu dibujo se prepara como se hizo MNIST: el servidor lo recorta a la caja que contiene la tinta, lo escala para que quepa en 20×20 sin deformarlo y lo coloca en 28×28 con su centro de masa en el centro. Por eso da igual dónde y a qué tamaño dibujes, pero no el grosor ni la forma del trazo.',
    more: 'El cuaderno del capítulo 4 explica cada paso con el código en C: <a href="/notebooks/es/04-cnn.html">Redes neuronales convolucionales</a>.',
    percent: (p) => `${formatPercent(p, ',')}\u00a0%`,
  },
  en: {
    title: 'Draw a digit — chapter 4',
    notebookLink: 'Chapter 4 notebook',
    otherLanguage: 'Español',
    heading: 'Draw a digit',
    lead: 'Draw a digit from 0 to 9 in the black square: the chapter 3 network and the chapter 4 convolutional network say which number they see while you draw.',
    drawHeading: 'Your drawing',
    canvasLabel: 'Canvas to draw a digit on with the mouse, a pen or a finger',
    hint: 'Draw big, filling most of the square, with the mouse, a pen or a finger. White ink on black, as in MNIST.',
    clear: 'Clear',
    statusEmpty: 'Draw a digit in the black square.',
    statusBusy: 'Thinking…',
    statusBlank: 'The server finds no ink in the drawing.',
    statusDone: (mlp, cnn) => `The multilayer perceptron says ${mlp}; the convolutional network says ${cnn}.`,
    statusUnreachable: 'Could not reach the server. Is “make demo” still running?',
    statusServerError: (code, msg) => `Server error (${code}): ${msg}`,
    statusBadAnswer: 'The server answered something this page does not understand.',
    time: (ms) => `answered in ${ms} ms`,
    modelsHeading: 'What the networks say',
    mlpName: 'Multilayer perceptron',
    mlpChapter: 'Chapter 3',
    cnnName: 'Convolutional network',
    cnnChapter: 'Chapter 4',
    says: 'Says',
    second: (digit, pct) => `second choice: ${digit} (${pct})`,
    mlpBars: 'The multilayer perceptron’s probability for each digit',
    cnnBars: 'The convolutional network’s probability for each digit',
    inputHeading: 'What the networks see',
    inputLabel: 'The 28×28 pixel image both networks receive',
    inputCaption: 'The input: 28×28 pixels, cropped, scaled to 20×20 and centred as in MNIST.',
    saliencyLabel: 'Saliency map of the convolutional network over the input',
    saliencyCaption: 'The convolutional network’s saliency: in magenta, the pixels that move its confidence in its guess the most.',
    mapsHeading: 'The 32 maps of the first convolutional layer',
    mapsLabel: 'The 32 feature maps of 26×26 of the first convolutional layer',
    mapsCaption: 'Each 3×3 filter slides over the input and leaves a 26×26 map (after the ReLU); white is where it responds most. Each map is scaled to its own maximum. Channels 0 to 31, row by row.',
    aboutHeading: 'What is going on',
    about: 'Both networks were trained in C on the 60,000 MNIST images. The chapter 3 <strong>multilayer perceptron</strong> sees the 784 pixels as a list, without knowing which are neighbours. The chapter 4 <strong>convolutional network</strong> slides 3×3 filters over the image (32 in the first layer, 64 in the second), shrinks with max-pooling and decides with two dense layers. Your drawing is prepared as MNIST was made: the server crops it to the box that holds the ink, scales it to fit 20×20 without distorting it and places it in 28×28 with its centre of mass at the centre. That is why where and how big you draw does not matter, but the stroke’s thickness and shape do.',
    more: 'The chapter 4 notebook explains every step with the C code: <a href="/notebooks/en/04-cnn.html">Convolutional neural networks</a>.',
    percent: (p) => `${formatPercent(p, '.')}\u00a0%`,
  },
};

const LANG = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'es';
const T = TEXT[LANG];

// A probability as a percentage a reader can take in at a glance: whole
// numbers, one decimal below 10 % and above 99.5 %, and "< 0.1" or "> 99.9"
// rather than a 0 or a 100 that softmax never gives.
function formatPercent(p, decimalMark) {
  const pct = 100 * p;
  let s;
  if (pct >= 99.95) return `> 99${decimalMark}9`;
  if (pct >= 99.5 || (pct < 10 && pct >= 0.05)) s = pct.toFixed(1);
  else if (pct >= 10) s = pct.toFixed(0);
  else return `< 0${decimalMark}1`;
  return s.replace('.', decimalMark);
}

function applyLanguage() {
  document.documentElement.lang = LANG;
  document.title = T.title;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = T[el.dataset.t];
  for (const el of document.querySelectorAll('[data-t-html]')) el.innerHTML = T[el.dataset.tHtml];
  for (const el of document.querySelectorAll('[data-t-aria-label]')) {
    el.setAttribute('aria-label', T[el.dataset.tAriaLabel]);
  }
  const other = LANG === 'en' ? 'es' : 'en';
  const languageLink = document.getElementById('enlace-idioma');
  languageLink.href = `?lang=${other}`;
  languageLink.hreflang = other;
  languageLink.lang = other;
  document.getElementById('enlace-cuaderno').href = `/notebooks/${LANG}/04-cnn.html`;
}

// ---------------------------------------------------------------------------
// The drawing canvas. Its backing store is 2 or 3 times 280×280, so that
// strokes stay sharp on phones and high-density screens; what is sent is that
// canvas downscaled to 280×280.

const SEND_SIDE = 280;        // width and height of the image sent to the server
const INK_WIDTH = 22;         // stroke width in SEND_SIDE pixels: a digit drawn
                              // 200 px tall comes out of the server's 20×20
                              // scaling with strokes about 2 px wide, as in MNIST
const INK = '#fff';
const PAPER = '#000';

const canvas = document.getElementById('lienzo');
const scale = Math.min(3, Math.max(2, Math.ceil(window.devicePixelRatio || 1)));
canvas.width = canvas.height = SEND_SIDE * scale;
const pen = canvas.getContext('2d');

let hasInk = false;           // anything drawn since the last clear
let activePointer = null;     // the pointer drawing now (one at a time)
let lastPoint = null;

function clearCanvas() {
  pen.fillStyle = PAPER;
  pen.fillRect(0, 0, canvas.width, canvas.height);
  pen.strokeStyle = INK;
  pen.fillStyle = INK;
  pen.lineWidth = INK_WIDTH * scale;
  pen.lineCap = 'round';      // round ends and joins: strokes look like a pen's
  pen.lineJoin = 'round';
}

// A pointer event's position in the canvas's own pixels, whatever size CSS
// gives the canvas on screen.
function canvasPoint(event) {
  const box = canvas.getBoundingClientRect();
  return {
    x: (event.clientX - box.left) * canvas.width / box.width,
    y: (event.clientY - box.top) * canvas.height / box.height,
  };
}

function drawDot(p) {
  pen.beginPath();
  pen.arc(p.x, p.y, pen.lineWidth / 2, 0, 2 * Math.PI);
  pen.fill();
}

function drawSegment(from, to) {
  pen.beginPath();
  pen.moveTo(from.x, from.y);
  pen.lineTo(to.x, to.y);
  pen.stroke();
}

function onPointerDown(event) {
  if (activePointer !== null || event.button !== 0) return;   // a second finger, a right click
  event.preventDefault();
  activePointer = event.pointerId;
  canvas.setPointerCapture(event.pointerId);   // keep the stroke when it leaves the canvas
  lastPoint = canvasPoint(event);
  drawDot(lastPoint);
  drawingChanged();
}

function onPointerMove(event) {
  if (event.pointerId !== activePointer) return;
  // The browser may merge several moves into one event; drawing all of them
  // keeps fast curves round instead of polygonal.
  const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const move of moves.length ? moves : [event]) {
    const p = canvasPoint(move);
    drawSegment(lastPoint, p);
    lastPoint = p;
  }
  drawingChanged();
}

function onPointerEnd(event) {
  if (event.pointerId !== activePointer) return;
  activePointer = null;
  lastPoint = null;
}

// The canvas as the server wants it: SEND_SIDE×SEND_SIDE grey levels in
// [0, 1], row by row, ink = 1, three decimals (enough for 256 grey levels and
// a request of a few hundred kB at most).
function canvasPixels() {
  const small = document.createElement('canvas');
  small.width = SEND_SIDE;
  small.height = SEND_SIDE;
  const smallPen = small.getContext('2d', { willReadFrequently: true });
  smallPen.imageSmoothingEnabled = true;
  smallPen.imageSmoothingQuality = 'high';
  smallPen.drawImage(canvas, 0, 0, SEND_SIDE, SEND_SIDE);
  const rgba = smallPen.getImageData(0, 0, SEND_SIDE, SEND_SIDE).data;
  const pixels = new Array(SEND_SIDE * SEND_SIDE);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = Math.round(rgba[4 * i] / 255 * 1000) / 1000;   // red channel: white ink
  }
  return pixels;
}

// ---------------------------------------------------------------------------
// Asking the server: one request in flight at most, the latest drawing wins.

let drawingVersion = 0;       // bumped by every change to the canvas
let clearedVersion = 0;       // the version the last clear made
let sentVersion = 0;          // the version of the last request sent
let inFlight = false;
let frameQueued = false;

function drawingChanged() {
  if (!hasInk) setStatus(T.statusBusy);   // the first stroke since a clear
  hasInk = true;
  drawingVersion++;
  setState('busy');
  // Many pointer events arrive per screen frame; look at the drawing once a frame.
  if (!frameQueued) {
    frameQueued = true;
    requestAnimationFrame(() => {
      frameQueued = false;
      maybeSend();
    });
  }
}

function maybeSend() {
  if (inFlight || !hasInk || sentVersion === drawingVersion) return;
  send();
}

async function send() {
  inFlight = true;
  const version = drawingVersion;
  sentVersion = version;
  const body = JSON.stringify({ model: 'both', width: SEND_SIDE, height: SEND_SIDE, pixels: canvasPixels() });
  const started = performance.now();
  try {
    const response = await fetch('/api/predict', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (_) {
      answer = null;          // not JSON: reported below
    }
    if (version > clearedVersion) {   // not an answer about a drawing since cleared
      document.getElementById('tiempo').textContent = T.time(Math.round(performance.now() - started));
      handleAnswer(response.status, answer, version);
    }
  } catch (_) {
    if (version > clearedVersion) showProblem(T.statusUnreachable);
  } finally {
    inFlight = false;
  }
  maybeSend();                // the drawing may have changed while we waited
}

function handleAnswer(status, answer, version) {
  if (status !== 200) {
    const message = answer && typeof answer.error === 'string' ? answer.error : `HTTP ${status}`;
    showProblem(T.statusServerError(status, message));
    return;
  }
  if (answer && answer.empty === true) {
    showNothing();
    setStatus(T.statusBlank);
    setState(version === drawingVersion ? 'ready' : 'busy');
    return;
  }
  if (!wellFormed(answer)) {
    showProblem(T.statusBadAnswer);
    return;
  }
  showAnswer(answer);
  if (version === drawingVersion) {
    setState('ready');
    // Said once the drawing has settled, so a screen reader is not flooded.
    setStatus(T.statusDone(answer.mlp.guess, answer.cnn.guess));
  }
}

// The parts of the answer this page draws, with the sizes of the contract.
function wellFormed(a) {
  const isList = (x, n) => Array.isArray(x) && x.length === n && x.every(Number.isFinite);
  const isModel = (m) => m && isList(m.probabilities, 10) && Number.isInteger(m.guess) &&
                         m.guess >= 0 && m.guess <= 9;
  if (!a || !isList(a.input, 784) || !isModel(a.mlp) || !isModel(a.cnn)) return false;
  const maps = a.cnn.feature_maps;
  return isList(a.cnn.saliency, 784) && maps && maps.channels === 32 && maps.size === 26 &&
         isList(maps.values, 32 * 26 * 26);
}

// ---------------------------------------------------------------------------
// Showing the answer.

const MAP_CHANNELS = 32, MAP_SIZE = 26, MAP_COLUMNS = 8, MAP_GAP = 1;
const GAP_RGB = [252, 252, 250];               // the page's paper, between maps
const SALIENCY_RGB = [255, 46, 230];           // magenta, as in the notebook's figures

function setState(state) {
  document.body.dataset.state = state;
}

function setStatus(text, isProblem = false) {
  const line = document.getElementById('estado');
  if (line.textContent !== text) line.textContent = text;
  line.classList.toggle('problema', isProblem);
}

function showProblem(text) {
  setState('error');
  setStatus(text, true);
}

function buildBars(model) {
  const list = document.getElementById(`barras-${model}`);
  for (let digit = 0; digit < 10; digit++) {
    const item = document.createElement('li');
    item.innerHTML = '<span class="barra"><span class="relleno"></span></span>' +
                     `<span class="cifra">${digit}</span><span class="oculto"></span>`;
    list.append(item);
  }
}

function showModel(model, result) {
  const guess = document.getElementById(`guess-${model}`);
  const items = document.getElementById(`barras-${model}`).children;
  const probabilities = result ? result.probabilities : new Array(10).fill(0);
  for (let digit = 0; digit < 10; digit++) {
    const p = Math.min(1, Math.max(0, probabilities[digit]));
    const item = items[digit];
    item.querySelector('.relleno').style.height = `${100 * p}%`;
    item.querySelector('.oculto').textContent = result ? `: ${T.percent(p)}` : '';
    item.title = result ? `${digit}: ${T.percent(p)}` : '';
    item.classList.toggle('gana', Boolean(result) && digit === result.guess);
  }
  guess.textContent = result ? String(result.guess) : '';
  document.getElementById(`conf-${model}`).textContent = result ? T.percent(probabilities[result.guess]) : '';
  let second = '';
  if (result) {
    const ranked = [...probabilities.keys()].sort((a, b) => probabilities[b] - probabilities[a]);
    const runnerUp = ranked[0] === result.guess ? ranked[1] : ranked[0];
    second = T.second(runnerUp, T.percent(probabilities[runnerUp]));
  }
  document.getElementById(`segunda-${model}`).textContent = second;
}

// Paints an RGB image (a function of the pixel index) into a canvas of its size.
function paint(canvasId, colourAt) {
  const target = document.getElementById(canvasId);
  const brush = target.getContext('2d');
  const image = brush.createImageData(target.width, target.height);
  for (let i = 0; i < target.width * target.height; i++) {
    const [r, g, b] = colourAt(i);
    image.data.set([r, g, b, 255], 4 * i);
  }
  brush.putImageData(image, 0, 0);
}

const grey = (v) => { const c = Math.round(255 * Math.min(1, Math.max(0, v))); return [c, c, c]; };

function showInput(input) {
  paint('entrada', (i) => grey(input ? input[i] : 0));
}

// The digit dimmed to a third, the saliency laid over it in magenta.
function showSaliency(input, saliency) {
  paint('saliencia', (i) => {
    const base = input ? 0.33 * Math.min(1, Math.max(0, input[i])) : 0;
    const s = saliency ? Math.min(1, Math.max(0, saliency[i])) : 0;
    return SALIENCY_RGB.map((c) => Math.round(255 * base * (1 - s) + c * s));
  });
}

// 32 maps of 26×26 in a grid of 8 columns, each scaled to its own maximum
// (as in the notebook's figure, so faint maps still show their shape).
function showFeatureMaps(maps) {
  const target = document.getElementById('mapas');
  const cell = MAP_SIZE + MAP_GAP;
  const maxima = new Array(MAP_CHANNELS).fill(0);
  if (maps) {
    for (let c = 0; c < MAP_CHANNELS; c++) {
      for (let k = 0; k < MAP_SIZE * MAP_SIZE; k++) {
        maxima[c] = Math.max(maxima[c], maps.values[c * MAP_SIZE * MAP_SIZE + k]);
      }
    }
  }
  paint('mapas', (i) => {
    const x = i % target.width, y = Math.floor(i / target.width);
    const col = Math.floor(x / cell), row = Math.floor(y / cell);
    const mx = x % cell, my = y % cell;
    if (mx === MAP_SIZE || my === MAP_SIZE) return GAP_RGB;
    const channel = row * MAP_COLUMNS + col;
    if (!maps || maxima[channel] <= 0) return [0, 0, 0];
    return grey(maps.values[(channel * MAP_SIZE + my) * MAP_SIZE + mx] / maxima[channel]);
  });
}

function showAnswer(answer) {
  showModel('mlp', answer.mlp);
  showModel('cnn', answer.cnn);
  showInput(answer.input);
  showSaliency(answer.input, answer.cnn.saliency);
  showFeatureMaps(answer.cnn.feature_maps);
}

function showNothing() {
  showModel('mlp', null);
  showModel('cnn', null);
  showInput(null);
  showSaliency(null, null);
  showFeatureMaps(null);
}

function clearAll() {
  clearCanvas();
  hasInk = false;
  drawingVersion++;
  clearedVersion = drawingVersion;   // answers to anything before this are dropped
  sentVersion = drawingVersion;
  showNothing();
  document.getElementById('tiempo').textContent = '';
  setState('empty');
  setStatus(T.statusEmpty);
}

// ---------------------------------------------------------------------------

function start() {
  applyLanguage();
  buildBars('mlp');
  buildBars('cnn');
  clearAll();
  canvas.addEventListener('pointerdown', onPointerDown);
  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerup', onPointerEnd);
  canvas.addEventListener('pointercancel', onPointerEnd);
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());  // long press on a phone
  document.getElementById('borrar').addEventListener('click', clearAll);
}

start();
