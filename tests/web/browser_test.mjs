// Browser test of the WebAssembly build: drives Debian's Chromium (headless,
// WebGL2 on SwiftShader) with playwright-core against the site served at
// --url, and holds the page to the desktop `ringscope sim` (--ringscope).
//
//   node tests/web/browser_test.mjs --url http://127.0.0.1:PORT/ \
//        --ringscope build/ringscope --out DIR [--fps-seconds 5] [--only phones]
//
// Every wait is bounded; on failure it prints what the page showed (state,
// info, console) and saves a screenshot into --out. Prints the measured
// frame rates at 6,000 and 1,000,000 embeddings.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decodePng, isPng } from "./png.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const require = createRequire(path.join(repo, "web", "package.json"));

function arg(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  if (i > 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`missing --${name}`);
  return fallback;
}
const BASE = arg("url").replace(/\/?$/, "/");
const RINGSCOPE = arg("ringscope");
const OUT = arg("out");
const FPS_SECONDS = Number(arg("fps-seconds", "5"));
const CHROMIUM = arg("chromium", "/usr/bin/chromium");
// A guard against a hung page, not a speed test: under a shared 2-core
// machine's load the whole run (replicas step included) can pass 300 s.
const TOTAL_TIMEOUT_MS = 480_000;
mkdirSync(OUT, { recursive: true });

let playwright;
try {
  playwright = require("playwright-core");
} catch (e) {
  console.error(`browser test: cannot load playwright-core from ${repo}/web/node_modules (run npm ci in web/): ${e.message}`);
  process.exit(1);
}

// ---- what the page must look like: the node palette from src/render/pal.c
const palSrc = readFileSync(path.join(repo, "src/render/pal.c"), "utf8");
const palTable = /fixed\[PAL_FIXED\]\[3\]\s*=\s*\{([\s\S]*?)\};/.exec(palSrc);
if (!palTable) throw new Error("cannot find the fixed palette table in src/render/pal.c");
const PALETTE = [...palTable[1].matchAll(/\{\s*0x([0-9a-f]{2}),\s*0x([0-9a-f]{2}),\s*0x([0-9a-f]{2})\s*\}/gi)]
  .map((m) => [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)]);
if (PALETTE.length < 8) throw new Error(`palette table in pal.c has ${PALETTE.length} colours`);
const BACKGROUND = [8, 10, 15]; // glClearColor(0.031, 0.039, 0.059) in app.c

// Pixels clearly not background, and pixels within a small distance of each
// palette colour (node labels, ring points, distribution bars carry exact
// node colours; a node that is absent shows ~0 of its colour).
function analyse(png) {
  const img = decodePng(png);
  const counts = PALETTE.map(() => 0);
  let drawn = 0;
  const px = img.rgba;
  for (let i = 0; i < px.length; i += 4) {
    const r = px[i], g = px[i + 1], b = px[i + 2];
    if (Math.abs(r - BACKGROUND[0]) + Math.abs(g - BACKGROUND[1]) + Math.abs(b - BACKGROUND[2]) > 40) drawn++;
    for (let k = 0; k < PALETTE.length; k++) {
      const c = PALETTE[k];
      if (Math.abs(r - c[0]) + Math.abs(g - c[1]) + Math.abs(b - c[2]) <= 15) counts[k]++;
    }
  }
  return { width: img.width, height: img.height, drawn, fraction: drawn / (img.width * img.height), counts };
}

// WCAG relative luminance of an sRGB colour.
function luminance(r, g, b) {
  const lin = (c) => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

// Pixels within 20 px of (x, y) glowing in colour c's hue (a particle
// cloud: additive glow keeps the order of the dominant channels).
function cloudPixels(img, x, y, c) {
  let hits = 0;
  for (let dy = -20; dy <= 20; dy++)
    for (let dx = -20; dx <= 20; dx++) {
      const px = Math.round(x) + dx, py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
      const i = 4 * (py * img.width + px);
      const r = img.rgba[i], g = img.rgba[i + 1], b = img.rgba[i + 2];
      hits += r + g + b > 120 && (r >= b) === (c[0] >= c[2]) && (g >= b) === (c[1] >= c[2]);
    }
  return hits;
}

// ---- bookkeeping
const log = (...a) => console.log("browser-test:", ...a);
const consoleSeen = [];
let mainPage = null;
let step = "start";
const t0 = Date.now();

class Failure extends Error {}
function check(cond, message, seen) {
  if (!cond) throw new Failure(`${step}: ${message}${seen === undefined ? "" : `\n  seen: ${JSON.stringify(seen)}`}`);
}
function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Chromium's own messages that are not the page's fault: SwiftShader's
// software compositing reads the WebGL frame back every frame and Chromium
// says so once ("GPU stall due to ReadPixels").
const BENIGN = [/GPU stall due to ReadPixels/];

// Font files each page asked for (fonts/..., by label).
const fontRequests = {};
function watch(page, label) {
  fontRequests[label] = [];
  page.on("request", (r) => {
    const m = /\/fonts\/([^/?]+?)(?:\.gz)?$/.exec(r.url());
    if (m) fontRequests[label].push(m[1]);
  });
  page.on("console", (m) => {
    const text = m.text();
    consoleSeen.push(`[${label}] ${m.type()}: ${text}`);
  });
  page.on("pageerror", (e) => consoleSeen.push(`[${label}] pageerror: ${e.message}`));
  page.on("requestfailed", (r) => consoleSeen.push(`[${label}] requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) consoleSeen.push(`[${label}] http ${r.status()}: ${r.url()}`);
  });
}
function problems(label) {
  return consoleSeen.filter((l) => l.startsWith(`[${label}] `))
    .filter((l) => !/\] (log|info|debug): /.test(l))
    .filter((l) => !BENIGN.some((re) => re.test(l)));
}

// No glyph drawn as '?' (info().missing: code points no loaded font has,
// in the last frame whose glyphs changed).
async function noMissingGlyphs(page, what) {
  const i = await info(page);
  check(i.missing.length === 0, `${what}: every glyph drawn (none as '?')`,
    i.missing.map((cp) => "U+" + cp.toString(16).toUpperCase()));
}

// Opens a page that builds millions of embeddings and checks that it shows
// how far it got while its one thread builds (~1 s a million): the worker
// that draws the bar gets rising fractions, and the compositor's frames
// (CDP screencast: they need no main thread) show the bar filling.
async function openWatchingBuild(context, query, label) {
  const page = await context.newPage();
  watch(page, label);
  const cdp = await context.newCDPSession(page);
  const shots = [];
  cdp.on("Page.screencastFrame", (e) => {
    shots.push({ t: Date.now(), png: Buffer.from(e.data, "base64") });
    cdp.send("Page.screencastFrameAck", { sessionId: e.sessionId }).catch(() => {});
  });
  await cdp.send("Page.startScreencast", { format: "png", everyNthFrame: 1 });
  const seen = []; // [time, fraction the worker has]
  const t0 = Date.now();
  await page.goto(BASE + "index.html" + query, { timeout: 30_000, waitUntil: "commit" });
  for (;;) {
    const w = page.workers()[0];
    const f = w ? await w.evaluate(() => self.fraction).catch(() => null) : null;
    if (typeof f === "number" && (!seen.length || seen.at(-1)[1] !== f)) seen.push([Date.now(), f]);
    // page.evaluate waits for the busy thread: a short race instead.
    const up = await Promise.race([page.evaluate(() => !!(window.ringscope && window.ringscope.info().frames >= 1)),
      new Promise((done) => setTimeout(() => done(false), 200))]);
    if (up) break;
    check(Date.now() - t0 < 120_000, `the page starts with ${query}`, seen);
    await new Promise((done) => setTimeout(done, 100));
  }
  await cdp.send("Page.stopScreencast");
  const fractions = seen.map(([, f]) => f);
  check(fractions.filter((f) => f > 0 && f < 1).length >= 5 && fractions.every((f, i) => !i || f >= fractions[i - 1]) &&
    fractions.at(-1) === 1, "while building, the page's bar worker gets rising fractions", fractions);
  // Bar pixels (its blue-violet gradient) in a frame shown at t.
  const barAt = (t) => {
    const shot = shots.filter((x) => x.t <= t).at(-1);
    if (!shot) return -1;
    const img = decodePng(shot.png);
    let n = 0;
    for (let i = 0; i < img.rgba.length; i += 4)
      n += img.rgba[i + 2] > 200 && img.rgba[i] > 70 && img.rgba[i] < 170 && img.rgba[i + 1] > 100 && img.rgba[i + 1] < 160;
    return n;
  };
  const early = seen.find(([, f]) => f > 0.1 && f < 0.4), late = seen.find(([, f]) => f > 0.6 && f < 0.95);
  check(early && late, "fractions early and late in the build", fractions);
  const [a, b] = [barAt(early[0] + 150), barAt(late[0] + 150)];
  check(a > 0 && b > a * 1.5, `the bar fills on screen while building (${a} then ${b} bar pixels)`);
  results[`build_${label}_seconds`] = (Date.now() - t0) / 1000;
  log(`${query}: the bar showed ${fractions.length} steps of the build (${results[`build_${label}_seconds`].toFixed(1)} s)`);
  return page;
}

// ---- the desktop reference
function sim(args) {
  const out = execFileSync(RINGSCOPE, ["sim", "--json", ...args], { encoding: "utf8", timeout: 60_000 });
  const j = JSON.parse(out);
  return j.steps[j.steps.length - 1];
}
function compareWithSim(state, ref, what) {
  const ids = state.nodes.map((n) => n.id);
  check(sameJson(ids, Object.keys(ref.dist).sort()), `${what}: node ids differ from ringscope sim`,
    { page: ids, sim: Object.keys(ref.dist) });
  for (const n of state.nodes) {
    check(n.keys === ref.dist[n.id], `${what}: ${n.id} has ${n.keys} keys in the page, ${ref.dist[n.id]} in sim`);
    check(Math.abs(n.share - ref.arc_share[n.id]) < 2e-6, `${what}: ${n.id} share ${n.share} vs sim ${ref.arc_share[n.id]}`);
    check(n.vnodes === ref.vnodes, `${what}: ${n.id} vnodes ${n.vnodes} vs sim ${ref.vnodes}`);
  }
  check(state.vectors === ref.vectors, `${what}: vectors ${state.vectors} vs sim ${ref.vectors}`);
  check(state.vnodes === ref.vnodes, `${what}: vnodes ${state.vnodes} vs sim ${ref.vnodes}`);
}

// ---- page helpers
const state = (page) => page.evaluate(() => window.ringscope.state());
const info = (page) => page.evaluate(() => window.ringscope.info());
async function waitFor(page, fn, arg, what, timeout = 15_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 50 });
  } catch (e) {
    let seen;
    try {
      seen = await page.evaluate(() => window.ringscope
        ? { state: window.ringscope.state(), info: window.ringscope.info() }
        : { overlay: document.getElementById("status").textContent });
    } catch (_) { seen = "page not answering"; }
    throw new Failure(`${step}: timed out after ${timeout} ms waiting for ${what}\n  seen: ${JSON.stringify(seen).slice(0, 3000)}`);
  }
}
async function open(context, query, label) {
  const page = await context.newPage();
  watch(page, label);
  await page.goto(BASE + "index.html" + (query || ""), { timeout: 30_000 });
  await waitFor(page, () => window.ringscope && window.ringscope.info().frames >= 3, null, "the first frames", 60_000);
  return page;
}
// Frames drawn so far + n: proves drawing goes on (while something moves:
// a settled page draws nothing).
async function moreFrames(page, n, what) {
  const f = (await info(page)).frames;
  await waitFor(page, (want) => window.ringscope.info().frames >= want, f + n, what);
}
// At least one frame drawn since `since` (info().frames before an action):
// what the action changed is on screen.
async function drawnSince(page, since, what) {
  await waitFor(page, (want) => window.ringscope.info().frames >= want, since + 1, what);
}
async function settled(page, timeout = 20_000) {
  await waitFor(page, () => window.ringscope.state().settled, null, "the animation to settle", timeout);
}
// A replayed session plays each command once the last has settled.
const REPLAY_MS = 120_000;
async function canvasShot(page, name) {
  const png = await page.locator("#canvas").screenshot({ timeout: 20_000 });
  writeFileSync(path.join(OUT, name), png);
  return analyse(png);
}
// Clicks the centre of an in-canvas control (rects from rs_web_info, CSS px).
async function clickWidget(page, name) {
  const w = (await info(page)).widgets[name];
  check(w && w[2] > 0 && w[3] > 0, `control "${name}" has no rectangle`, w);
  await page.mouse.click(w[0] + w[2] / 2, w[1] + w[3] / 2);
}
// Runs an action and waits until state() shows its effect.
async function act(page, what, action, predicate, arg) {
  step = what;
  await action();
  await waitFor(page, predicate, arg ?? null, what);
}

// The drawing rate while the view pans (a settled page draws nothing): the
// mouse drags in a circle for `seconds`, a move every 15 ms.
async function measureFps(page, seconds) {
  await settled(page);
  const w = (await info(page)).win;
  const cx = w[0] / 2, cy = w[1] / 3;
  await page.mouse.move(cx + 40, cy);
  await page.mouse.down();
  const a = await page.evaluate(() => ({ f: window.ringscope.info().frames, t: performance.now() }));
  for (let t0 = Date.now(), k = 0; Date.now() - t0 < seconds * 1000; k++) {
    await page.mouse.move(cx + 40 * Math.cos(k / 20), cy + 40 * Math.sin(k / 20));
    await page.waitForTimeout(15);
  }
  const b = await page.evaluate(() => ({ f: window.ringscope.info().frames, t: performance.now() }));
  await page.mouse.up();
  return (b.f - a.f) / ((b.t - a.t) / 1000);
}

// CPU time (in clock ticks) of this test's Chromium processes of one type
// ("gpu-process", "renderer"): Linux /proc, children of this node process.
function chromiumTicks(type) {
  const ps = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Chromium rewrites its command line into one string.
      ps.push({ pid: +d, ppid: +f[1], ticks: +f[11] + +f[12], cmd: readFileSync(`/proc/${d}/cmdline`, "utf8") });
    } catch (_) { /* gone meanwhile */ }
  }
  const byPid = new Map(ps.map((p) => [p.pid, p]));
  const ours = (p) => { for (let q = p; q; q = byPid.get(q.ppid)) if (q.pid === process.pid) return true; return false; };
  return ps.filter((p) => p.cmd.includes(`--type=${type} `) && ours(p)).reduce((sum, p) => sum + p.ticks, 0);
}
const TICKS_PER_S = 100; // USER_HZ on Linux

// An automated accessibility audit (axe-core from web/node_modules, run in
// the page): the violations of serious or critical impact.
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
async function audit(page, what) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  check(found.length === 0, `${what}: the accessibility audit (axe-core) finds no serious violations`, found);
}

// The simulation as state() shows it, without what belongs to the moment
// (frame rate, message, view, field, selection): what a replay must give.
function replayed(st) {
  const o = { ...st };
  for (const k of ["fps", "bytes_last_frame", "idle", "message", "changed", "focus", "zoom", "field", "composing",
                   "paused", "help", "field_focus", "realtime"]) delete o[k];
  const nodes = (list) => list.map(({ selected, ...n }) => n);
  o.nodes = nodes(o.nodes);
  if (o.panes) o.panes = o.panes.map((q) => ({ ...q, zoom: undefined, nodes: nodes(q.nodes) }));
  return o;
}
// Waits for a page's ringscope API and first frames (a navigation in it).
async function started(page, timeout = 60_000) {
  await waitFor(page, () => window.ringscope && window.ringscope.info().frames >= 1, null, "the page to start", timeout);
}

// Horizontal bands of a canvas screenshot with (almost) nothing drawn: rows
// where at most 1% of the pixels stand off the background (a hairline
// between panes does not fill a band), at least 24 CSS px tall. Their
// share of the height, and the bands as [top, height] in CSS px.
function emptyBands(png, dpr) {
  const img = decodePng(png);
  const bands = [];
  let empty = 0, run = 0;
  for (let y = 0; y <= img.height; y++) {
    let drawn = 0;
    for (let x = 0; y < img.height && x < img.width; x++) {
      const i = 4 * (y * img.width + x);
      drawn += Math.abs(img.rgba[i] - BACKGROUND[0]) + Math.abs(img.rgba[i + 1] - BACKGROUND[1]) +
        Math.abs(img.rgba[i + 2] - BACKGROUND[2]) > 40;
    }
    if (y < img.height && drawn <= 0.01 * img.width) { run++; continue; }
    if (run >= 24 * dpr) { empty += run; bands.push([Math.round((y - run) / dpr), Math.round(run / dpr)]); }
    run = 0;
  }
  return { share: empty / img.height, bands };
}
const inside = (r, outer) => r[0] >= outer[0] - 0.5 && r[1] >= outer[1] - 0.5 &&
  r[0] + r[2] <= outer[0] + outer[2] + 0.5 && r[1] + r[3] <= outer[1] + outer[3] + 0.5;

// Every target a finger meets is at least 44 CSS px each way: the canvas's
// controls (rs_web_info's rectangles) and the page's buttons; the line of
// keyboard shortcuts is not shown on a touch screen.
async function fingerTargets(pp, what) {
  const pi = await info(pp);
  for (const [name, w] of Object.entries(pi.widgets))
    if (w[2] > 0) check(w[2] >= 44 - 0.01 && w[3] >= 44 - 0.01, `${what}: ${name} is at least 44 CSS px each way`, w);
  const page = await pp.evaluate(() => ({
    buttons: [...document.querySelectorAll("#foot button, #foot a")].filter((b) => b.checkVisibility())
      .map((b) => { const r = b.getBoundingClientRect(); return [b.id, r.width, r.height]; }),
    keys: document.getElementById("help").checkVisibility() }));
  check(page.buttons.length >= 3 && page.buttons.every(([, w, h]) => w >= 44 && h >= 44),
    `${what}: the page's buttons are at least 44 CSS px each way`, page.buttons);
  check(!page.keys, `${what}: no line of keyboard shortcuts on a touch screen`);
}

// A finger's drag (CDP touch events) from (x, y) by dy, in steps.
async function touchDrag(ctx, pp, x, y, dy) {
  const cdp = await ctx.newCDPSession(pp);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y, id: 0 }] });
  for (let k = 1; k <= 8; k++)
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: y + (dy * k) / 8, id: 0 }] });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

// 9b. Phones: touch at devicePixelRatio 3, upright and sideways. Every
// control is on the canvas, finger-sized, and works by a tap; a pinch (two
// CDP touch points moving apart) zooms. Upright: no empty bands, the panel
// under the ring; sideways: the controls in a rail at the right, the ring
// taking the height, the panel with all its rows. The panel scrolls by a
// finger. Then compare mode each way up (phoneCompare).
async function phone(vw, vh) {
  const upright = vh > vw;
  step = `phone ${vw}x${vh}`;
  const ctx = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 3,
    hasTouch: true, isMobile: true, acceptDownloads: true });
  const label = `phone${vw}`;
  const pp = await open(ctx, "?vectors=3000", label);
  await settled(pp);
  let pi = await info(pp);
  const controls = ["field", "add", "remove", "slider", "rebuild", "vec_minus", "vec_plus", "pause", "reset",
    "shot", "record", "strategy", "help", "weight_minus", "weight_plus", "session"];
  for (const name of controls) {
    const w = pi.widgets[name];
    check(w && w[2] > 0, `${vw}x${vh}: ${name} is on the canvas`, pi.widgets);
    check(w[0] >= 0 && w[1] >= 0 && w[0] + w[2] <= pi.win[0] + 0.5 && w[1] + w[3] <= pi.win[1] + 0.5,
      `${vw}x${vh}: ${name} inside the canvas`, { w, win: pi.win });
  }
  await fingerTargets(pp, `${vw}x${vh}`);
  const shotName = upright ? "phone-portrait.png" : "phone-landscape.png";
  const shot = await canvasShot(pp, shotName);
  check(shot.fraction > 0.03, `${vw}x${vh}: the ring is drawn`, shot);
  const empty = emptyBands(readFileSync(path.join(OUT, shotName)), 3);
  results[`phone_${vw}x${vh}_empty_bands`] = empty.share;
  check(empty.share <= 0.05, `${vw}x${vh}: no large empty bands (${(100 * empty.share).toFixed(1)}% of the height)`, empty.bands);
  const ring = pi.panes[0].ring;
  results[`phone_${vw}x${vh}_ring_px`] = ring;
  if (upright) {
    // The ring as wide as the frame lets it be; the panel under it, over
    // the controls, with rows to see.
    check(ring >= 0.45 * pi.win[0], `${vw}x${vh}: the ring is ${ring.toFixed(0)} px across (at least 45% of the width)`);
    const cell = pi.panes[0].cell;
    check(pi.panel[3] > 0 && pi.panel[1] >= cell[1] + cell[3] - 1 && pi.panel[1] + pi.panel[3] <= pi.bar[1] + 1 &&
      pi.panel_rows >= 3, `${vw}x${vh}: the panel is under the ring, over the controls, with at least 3 node rows`,
      { panel: pi.panel, cell, bar: pi.bar, rows: pi.panel_rows });
  } else {
    // The controls in a rail at the right edge, the ring taking the height,
    // every row of the panel shown.
    check(pi.rail[2] > 0 && Math.abs(pi.rail[0] + pi.rail[2] - pi.win[0]) < 1 && pi.rail[3] >= pi.win[1] - 1 &&
      pi.bar[3] === 0, `${vw}x${vh}: the controls are in a rail at the right edge`, { rail: pi.rail, bar: pi.bar });
    for (const [name, w] of Object.entries(pi.widgets))
      if (w[2] > 0) check(inside(w, pi.rail), `${vw}x${vh}: ${name} is in the rail`, { w, rail: pi.rail });
    check(ring >= 0.4 * pi.win[1], `${vw}x${vh}: the ring is ${ring.toFixed(0)} px across (at least 40% of the height)`);
    check(pi.panel_rows === 5 && pi.panel_nodes === 5, `${vw}x${vh}: the panel shows all 5 node rows`,
      { rows: pi.panel_rows, nodes: pi.panel_nodes });
  }
  // Rectangles are the canvas's; sideways the page's buttons are left of it.
  const [ox, oy] = await pp.evaluate(() => { const r = document.getElementById("canvas").getBoundingClientRect(); return [r.x, r.y]; });
  const tap = async (name) => {
    const w = (await info(pp)).widgets[name];
    check(w && w[2] > 0, `${vw}x${vh}: control "${name}" has a rectangle`, w);
    await pp.touchscreen.tap(ox + w[0] + w[2] / 2, oy + w[1] + w[3] / 2);
  };
  const s0 = await state(pp);
  await act(pp, `${vw}x${vh}: tap Add`, () => tap("add"), (n) => window.ringscope.state().nodes.length === n + 1, s0.nodes.length);
  await act(pp, `${vw}x${vh}: tap +1k`, () => tap("vec_plus"), (n) => window.ringscope.state().vectors === n + 1000, s0.vectors);
  await act(pp, `${vw}x${vh}: tap -1k`, () => tap("vec_minus"), (n) => window.ringscope.state().vectors === n, s0.vectors);
  await act(pp, `${vw}x${vh}: tap Pause`, () => tap("pause"), () => window.ringscope.state().paused);
  await act(pp, `${vw}x${vh}: tap Resume`, () => tap("pause"), () => !window.ringscope.state().paused);
  // The slider: a tap near its right end, then Rebuild applies it.
  const sl = (await info(pp)).widgets.slider;
  await act(pp, `${vw}x${vh}: tap the slider`, () => pp.touchscreen.tap(ox + sl[0] + sl[2] * 0.9, oy + sl[1] + sl[3] / 2),
    (v) => window.ringscope.state().slider !== v, s0.slider);
  await act(pp, `${vw}x${vh}: tap Rebuild`, () => tap("rebuild"),
    () => window.ringscope.state().vnodes === window.ringscope.state().slider);
  await act(pp, `${vw}x${vh}: tap the field`, () => tap("field"), () => window.ringscope.state().field_focus);
  // A tap on a node selects it; its weight and Remove then work by tap.
  await settled(pp);
  pi = await info(pp);
  const at = pi.node_px.nodeB;
  await act(pp, `${vw}x${vh}: tap nodeB`, () => pp.touchscreen.tap(ox + at[0], oy + at[1]),
    () => window.ringscope.state().nodes.some((n) => n.id === "nodeB" && n.selected));
  await act(pp, `${vw}x${vh}: tap Weight +`, () => tap("weight_plus"),
    () => window.ringscope.state().nodes.some((n) => n.id === "nodeB" && n.weight === 2));
  await act(pp, `${vw}x${vh}: tap Weight -`, () => tap("weight_minus"),
    () => window.ringscope.state().nodes.some((n) => n.id === "nodeB" && n.weight === 1));
  await act(pp, `${vw}x${vh}: tap Remove`, () => tap("remove"),
    () => !window.ringscope.state().nodes.some((n) => n.id === "nodeB"));
  await act(pp, `${vw}x${vh}: tap strategy`, () => tap("strategy"), (k) => window.ringscope.state().strategy !== k, s0.strategy);
  for (const [name, re] of [["shot", /^ringscope-.*\.png$/], ["session", /^ringscope-session-.*\.txt$/]]) {
    step = `${vw}x${vh}: tap ${name}`;
    const [dl] = await Promise.all([pp.waitForEvent("download", { timeout: 15_000 }), tap(name)]);
    check(re.test(dl.suggestedFilename()), `${vw}x${vh}: tapping ${name} downloads a file`, dl.suggestedFilename());
  }
  step = `${vw}x${vh}: tap Record twice`;
  await tap("record");
  await pp.waitForTimeout(1000);
  const [vid] = await Promise.all([pp.waitForEvent("download", { timeout: 15_000 }), tap("record")]);
  check(/^ringscope-.*\.webm$/.test(vid.suggestedFilename()), `${vw}x${vh}: Record by tap downloads a .webm`, vid.suggestedFilename());
  // Pinch: two fingers 60 px apart spread to 240 px around the ring's middle.
  step = `${vw}x${vh}: pinch`;
  const c0 = (await info(pp)).panes[0].cell;
  const cx = ox + c0[0] + c0[2] / 2, cy = oy + c0[1] + c0[3] / 2;
  const cdp = await ctx.newCDPSession(pp);
  const z0 = (await state(pp)).zoom;
  const pts = (d) => [{ x: cx - d, y: cy, id: 0 }, { x: cx + d, y: cy, id: 1 }];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: pts(30) });
  for (let d = 45; d <= 120; d += 15)
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: pts(d) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await waitFor(pp, (z) => window.ringscope.state().zoom > z * 2.5, z0, "the pinch to zoom in");
  check((await state(pp)).nodes.length === s0.nodes.length, `${vw}x${vh}: the pinch added or removed nothing`);
  await act(pp, `${vw}x${vh}: tap Reset`, () => tap("reset"), () => window.ringscope.state().zoom === 1);
  const helpF = (await info(pp)).frames;
  await act(pp, `${vw}x${vh}: tap ?`, () => tap("help"), () => window.ringscope.state().help);
  await drawnSince(pp, helpF, "the help overlay drawn");
  await canvasShot(pp, `phone-${vw}x${vh}-help.png`);
  await act(pp, `${vw}x${vh}: a tap closes help`, () => pp.touchscreen.tap(cx, cy), () => !window.ringscope.state().help);

  // The panel's rows scroll by a finger: more nodes than it shows, a drag
  // up shows later rows, a drag down the first again.
  step = `${vw}x${vh}: the panel scrolls by touch`;
  for (let k = 0; k < 24; k++) await pp.evaluate((id) => window.ringscope.run(`add more${id}`), k);
  await settled(pp);
  pi = await info(pp);
  check(pi.panel_rows > 0 && pi.panel_rows < pi.panel_nodes && pi.panel_first === 0,
    `${vw}x${vh}: the panel shows some of the ${pi.panel_nodes} rows, from the first`, { rows: pi.panel_rows, first: pi.panel_first });
  const px = ox + pi.panel[0] + pi.panel[2] / 2, py = oy + pi.panel[1] + pi.panel[3] * 0.6;
  let f0 = pi.frames;
  await touchDrag(ctx, pp, px, py, -60);
  await drawnSince(pp, f0, "a frame after the drag");
  await waitFor(pp, () => window.ringscope.info().panel_first > 0, null, "a drag up to scroll the panel's rows");
  f0 = (await info(pp)).frames;
  await touchDrag(ctx, pp, px, py - 60, 120);
  await waitFor(pp, () => window.ringscope.info().panel_first === 0, null, "a drag down to scroll back to the first row");
  check((await state(pp)).zoom === 1, `${vw}x${vh}: dragging the panel did not pan or zoom the ring`);

  // A tap on Crash crashes the selected node and turns the button into
  // Recover (the last crashed node's): it keeps its whole word.
  step = `${vw}x${vh}: Recover`;
  await pp.evaluate(() => window.ringscope.run("replicas 2"));
  await settled(pp);
  const atC = (await info(pp)).node_px.nodeC;
  await act(pp, `${vw}x${vh}: tap nodeC`, () => pp.touchscreen.tap(ox + atC[0], oy + atC[1]),
    () => window.ringscope.state().nodes.some((n) => n.id === "nodeC" && n.selected));
  await act(pp, `${vw}x${vh}: tap Crash`, () => tap("crash"), () => window.ringscope.state().crashed.includes("nodeC"));
  await settled(pp);
  pi = await info(pp);
  check(pi.widgets.crash[2] > 0 && pi.cut.length === 0, `${vw}x${vh}: every button's text is whole (Recover too)`, pi.cut);
  check(problems(label).length === 0, `${vw}x${vh}: no console errors or warnings`, problems(label));
  await ctx.close();
  await phoneCompare(vw, vh);
}

// Compare mode on a phone. Upright: two panes stacked, each the frame's
// width with its header whole, the compare table under them. Sideways:
// four strategies asked, two drawn (rings of a useful size) and said so.
async function phoneCompare(vw, vh) {
  const upright = vh > vw;
  step = `phone ${vw}x${vh} compare`;
  const ctx = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const label = `phone${vw}-compare`;
  const strategies = upright ? "ring,modulo" : "ring,modulo,jump,rendezvous";
  const pp = await open(ctx, `?vectors=3000&compare=${strategies}`, label);
  if (!upright)
    await waitFor(pp, () => /2 of 4 strategies drawn/.test(document.getElementById("announce").textContent), null,
      "the page to say that 2 of 4 strategies are drawn");
  await pp.evaluate(() => window.ringscope.run("add nodeF"));
  await settled(pp);
  const pi = await info(pp);
  await fingerTargets(pp, `${vw}x${vh} compare`);
  const shown = pi.panes.filter((q) => q.shown);
  const shotName = upright ? "phone-portrait-compare.png" : "phone-landscape-compare.png";
  await canvasShot(pp, shotName);
  results[`phone_${vw}x${vh}_compare_rings_px`] = shown.map((q) => q.ring);
  check(shown.length === 2 && shown.every((q) => q.ring >= 70), `${vw}x${vh}: two panes drawn, rings at least 70 px across`,
    pi.panes);
  if (upright) {
    const [a, b] = shown.map((q) => q.cell);
    check(a[0] === b[0] && b[1] >= a[1] + a[3] - 1 && a[2] >= pi.win[0] - 1 && b[2] >= pi.win[0] - 1,
      `${vw}x${vh}: the panes are stacked, each the frame's width`, { a, b });
    check(pi.header_cut.length === 2 && pi.header_cut.every((c) => !c), `${vw}x${vh}: each pane's header is whole`, pi.header_cut);
    check(pi.panel[3] > 0 && pi.panel[1] >= b[1] + b[3] - 1 && pi.panel[1] + pi.panel[3] <= pi.bar[1] + 1,
      `${vw}x${vh}: the compare table is under the panes`, { panel: pi.panel, b, bar: pi.bar });
    const empty = emptyBands(readFileSync(path.join(OUT, shotName)), 3);
    results[`phone_${vw}x${vh}_compare_empty_bands`] = empty.share;
    check(empty.share <= 0.05, `${vw}x${vh} compare: no large empty bands (${(100 * empty.share).toFixed(1)}%)`, empty.bands);
  } else {
    check(sameJson(pi.panes.map((q) => q.shown), [true, true, false, false]),
      `${vw}x${vh}: of four strategies the first two are drawn`, pi.panes);
    check((await state(pp)).panes.length === 4, `${vw}x${vh}: all four still run`);
  }
  check(problems(label).length === 0, `${vw}x${vh} compare: no console errors or warnings`, problems(label));
  await ctx.close();
}

async function phones() {
  for (const [vw, vh] of [[390, 844], [844, 390]]) await phone(vw, vh);
  log(`phones: rings ${results.phone_390x844_ring_px.toFixed(0)} px upright, ${results.phone_844x390_ring_px.toFixed(0)} px ` +
      `sideways; compare ${results["phone_390x844_compare_rings_px"].map((r) => r.toFixed(0)).join("/")} px upright, ` +
      `${results["phone_844x390_compare_rings_px"].map((r) => r.toFixed(0)).join("/")} px sideways; empty bands ` +
      `${(100 * results.phone_390x844_empty_bands).toFixed(1)}% upright`);
}

// ---- the test
const browser = await playwright.chromium.launch({
  executablePath: CHROMIUM,
  timeout: 30_000,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
    "--no-first-run", "--disable-default-apps", "--mute-audio",
    // a hidden headless page must keep its requestAnimationFrame running
    "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows"],
});
const watchdog = setTimeout(() => {
  console.error(`browser test: FAILED: no result after ${TOTAL_TIMEOUT_MS / 1000} s (step: ${step})`);
  console.error(consoleSeen.slice(-40).join("\n"));
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

const results = {};
// --only phones: the phone steps alone (9b), to work on the phone layouts.
if (arg("only", "") === "phones") {
  try {
    await phones();
    log(`PASSED (phones only) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`browser test: FAILED at step "${step}":\n${e instanceof Failure ? e.message : e.stack}`);
    console.error("  console (last 40 lines):\n    " + consoleSeen.slice(-40).join("\n    "));
    process.exitCode = 1;
  }
  clearTimeout(watchdog);
  await browser.close();
  process.exit();
}
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(BASE).origin });
  // Every track a canvas capture hands out, to check recordings stop them.
  await context.addInitScript(() => {
    const capture = HTMLCanvasElement.prototype.captureStream;
    window.__tracks = [];
    HTMLCanvasElement.prototype.captureStream = function (...a) {
      const stream = capture.apply(this, a);
      window.__tracks.push(...stream.getTracks());
      return stream;
    };
  });
  step = "load";
  const page = mainPage = await open(context, "", "main");
  log(`first frame after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  step = "overlay hidden";
  await waitFor(page, () => document.getElementById("overlay").classList.contains("hidden"), null, "the loading overlay to hide");


  // Accessibility: a labelled canvas with fallback text, the loader out of
  // the accessibility tree once gone, the page's own title kept.
  step = "accessibility";
  await waitFor(page, () => document.getElementById("overlay").hidden, null, "the faded loader to leave the page");
  const a11y = await page.evaluate(() => {
    const c = document.getElementById("canvas");
    return { role: c.getAttribute("role"), label: c.getAttribute("aria-label"), fallback: c.textContent.trim(),
      title: document.title, live: document.getElementById("announce").getAttribute("aria-live") };
  });
  check(a11y.role && /ring/i.test(a11y.label || "") && a11y.fallback.length > 40, "the canvas has a role, label and fallback text", a11y);
  check(a11y.title === "Ringscope — consistent hashing, live", "the page keeps its title after start", a11y.title);
  check(a11y.live === "polite", "a polite live region", a11y);
  check(await page.evaluate(() => document.getElementById("help").checkVisibility()),
    "a mouse and keyboard see the line of keyboard shortcuts (a touch screen does not)");
  const tree = await page.locator("body").ariaSnapshot();
  check(!/Loading|Starting/.test(tree) && /Ringscope/.test(tree), "the loader is not in the accessibility tree", tree);
  check(await page.evaluate(() => document.activeElement.id === "canvas" && !document.activeElement.matches(":focus-visible")),
    "the canvas has the keyboard on load, without a focus ring (no key brought it there)");
  await audit(page, "the page");

  // Browser shortcuts are not taken: not while the canvas has focus (reload,
  // address bar, developer tools), and no key at all while it has not.
  step = "browser shortcuts";
  const prevented = await page.evaluate(() => {
    const c = document.getElementById("canvas");
    const fire = (target, key, code, keyCode, mods = {}) => {
      const e = new KeyboardEvent("keydown", { key, code, keyCode, bubbles: true, cancelable: true, ...mods });
      target.dispatchEvent(e);
      return e.defaultPrevented;
    };
    const out = {};
    out.F5 = fire(c, "F5", "F5", 116);
    out.F12 = fire(c, "F12", "F12", 123);
    out.CtrlR = fire(c, "r", "KeyR", 82, { ctrlKey: true });
    out.CtrlL = fire(c, "l", "KeyL", 76, { ctrlKey: true });
    out.TabOutside = fire(document.body, "Tab", "Tab", 9);
    out.F5Outside = fire(document.body, "F5", "F5", 116);
    c.focus();
    return out;
  });
  check(Object.values(prevented).every((v) => v === false), "browser shortcuts keep their default", prevented);

  // 1. Placement equals the desktop's (portable SHA-256 in wasm vs OpenSSL).
  step = "initial state vs sim";
  let s = await state(page);
  compareWithSim(s, sim([]), "initial");
  check(s.nodes.length === 5 && s.vectors === 6000 && s.vnodes === 80, "default configuration", s);
  check(sameJson(s.nodes.map((n) => n.keys), [1257, 1230, 1071, 1379, 1063]), "reference counts A..E", s.nodes);

  // 2. The canvas is drawn, in the nodes' colours (and not in the next one's).
  step = "canvas drawn";
  await settled(page);
  let shot = await canvasShot(page, "initial.png");
  check(shot.width === 1280 && shot.height === 698, "canvas is the window minus the help line", shot);
  check(shot.fraction > 0.03, `only ${(100 * shot.fraction).toFixed(2)}% of the canvas is drawn`, shot);
  for (let k = 0; k < 5; k++) check(shot.counts[k] >= 40, `node colour ${k} (${PALETTE[k]}) barely visible`, shot.counts);
  check(shot.counts[5] <= 5, "colour of a sixth node visible before it exists", shot.counts);
  results.initial = shot;
  // The "H: help" hint above the control bar, left of the legend line:
  // its text reads at WCAG AA contrast (4.5:1) on the background.
  const hintImg = decodePng(readFileSync(path.join(OUT, "initial.png")));
  const addRect = (await info(page)).widgets.add;
  let hintLum = 0;
  for (let y = Math.round(addRect[1] - 40); y < addRect[1] - 4; y++)
    for (let x = 14; x < 75; x++) {
      const i = 4 * (y * hintImg.width + x);
      hintLum = Math.max(hintLum, luminance(hintImg.rgba[i], hintImg.rgba[i + 1], hintImg.rgba[i + 2]));
    }
  const hintContrast = (hintLum + 0.05) / (luminance(...BACKGROUND) + 0.05);
  check(hintContrast >= 4.5, `the "H: help" hint has ${hintContrast.toFixed(2)}:1 contrast (at least 4.5:1)`);

  // 2a. Idle: settled, the page draws nothing (the frame on screen already
  // shows it) and the GPU process rests; state() says so, with no stale
  // frame rate. A message wakes it on its own schedule (shown, then faded
  // out) and it sleeps again.
  step = "idle";
  await page.waitForTimeout(1000);
  const idleF0 = (await info(page)).frames;
  const gpu0 = chromiumTicks("gpu-process"), rend0 = chromiumTicks("renderer"), idleT0 = Date.now();
  await page.waitForTimeout(5000);
  const idleFrames = (await info(page)).frames - idleF0;
  const idleSecs = (Date.now() - idleT0) / 1000;
  const gpuPct = (100 * (chromiumTicks("gpu-process") - gpu0)) / TICKS_PER_S / idleSecs;
  const rendPct = (100 * (chromiumTicks("renderer") - rend0)) / TICKS_PER_S / idleSecs;
  results.settled_frames_5s = idleFrames;
  results.settled_gpu_process_cpu_percent = gpuPct;
  results.settled_renderer_cpu_percent = rendPct;
  log(`settled: ${idleFrames} frames in 5 s; GPU process ${gpuPct.toFixed(1)}% CPU, renderers ${rendPct.toFixed(1)}%`);
  check(idleFrames <= 2, `a settled page draws at most 2 frames in 5 s (drew ${idleFrames})`);
  check(gpuPct < 20, `the GPU process rests while settled (${gpuPct.toFixed(1)}% of a core)`);
  s = await state(page);
  check(s.idle === true && s.fps === 0, "state() says idle, with no stale frame rate", { idle: s.idle, fps: s.fps });
  const toastF0 = (await info(page)).frames;
  s = await page.evaluate(() => window.ringscope.run("add nodeA"));
  check(s.changed === false && /nodeA/.test(s.message), "a no-op run() leaves a message", s);
  await page.waitForTimeout(4500); // APP_TOAST_HOLD + APP_TOAST_FADE: the message fades out, unprompted
  const toastFrames = (await info(page)).frames - toastF0;
  check(toastFrames >= 5, `the message is drawn and fades without input (${toastFrames} frames)`);
  const toastF1 = (await info(page)).frames;
  await page.waitForTimeout(1500);
  check((await info(page)).frames - toastF1 <= 1, "and the page sleeps again", (await info(page)).frames - toastF1);

  // 2b. Fonts: the first frame's subset has every glyph the UI draws, so
  // an ordinary visit fetches no other font.
  step = "no font fetched";
  await noMissingGlyphs(page, "the first frames");
  check(fontRequests.main.length === 0 && (await page.evaluate(() => Module.fontsLoaded.length)) === 0,
    "an ordinary visit fetches no font", fontRequests.main);

  // 3. Keys: A adds nodeF (1,075 embeddings move, as the reference), ] [ vnodes, V vectors.
  const cmds = [];
  await act(page, "key A", () => page.keyboard.press("KeyA"), () => window.ringscope.state().nodes.length === 6);
  cmds.push("add nodeF");
  s = await state(page);
  check(s.nodes.some((n) => n.id === "nodeF"), "A added nodeF", s.nodes);
  check(s.moved === 1075 && /Added nodeF/.test(s.last_action), "nodeF moved 1075 embeddings", { moved: s.moved, last: s.last_action });
  compareWithSim(s, sim(["--do", "add nodeF"]), "after add nodeF");
  await settled(page);
  step = "live region";
  await waitFor(page, () => document.getElementById("announce").textContent === "Added nodeF: moved 1075 of 6000", null,
    "the live region to say \"Added nodeF: moved 1075 of 6000\"");
  shot = await canvasShot(page, "after-add.png");
  check(shot.counts[5] >= 40, "nodeF's colour is drawn after adding it", shot.counts);

  // 3a. The keyboard: Tab walks through the nodes (each selection said in
  // the live region, with what the keys act on), then leaves the canvas
  // for the page; coming back by keyboard shows a focus ring.
  step = "Tab through the nodes";
  s = await state(page);
  for (const n of s.nodes) {
    await page.keyboard.press("Tab");
    await waitFor(page, (id) => window.ringscope.state().nodes.find((x) => x.id === id).selected &&
      document.activeElement.id === "canvas", n.id, `Tab to select ${n.id}`);
    await waitFor(page, (n) => document.getElementById("announce").textContent.startsWith(`Selected ${n.id}: ${n.keys} keys`) &&
      /Delete removes it, X crashes it/.test(document.getElementById("announce").textContent), n,
      `the live region to say ${n.id} is selected and what the keys do to it`);
  }
  await page.keyboard.press("Tab");
  await waitFor(page, () => document.activeElement.id !== "canvas", null, "Tab after the last node to leave the canvas");
  check((await state(page)).nodes.at(-1).selected, "leaving kept the selection", (await state(page)).nodes);
  const leftTo = await page.evaluate(() => document.activeElement.id);
  check(leftTo === "b-help", "Tab after the last node goes on to the page's next control", leftTo);
  await page.keyboard.press("Shift+Tab");
  await waitFor(page, () => document.activeElement.id === "canvas", null, "Shift+Tab back to the canvas");
  const ring = await page.evaluate(() => {
    const c = document.getElementById("canvas"), cs = getComputedStyle(c);
    return { visible: c.matches(":focus-visible"), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor };
  });
  check(ring.visible && ring.style === "solid" && ring.width >= 2, "a focus ring on the canvas reached by keyboard", ring);
  const ringShot = decodePng(await page.screenshot({ clip: { x: 0, y: 300, width: 4, height: 4 } }));
  check(ringShot.rgba[4 * 4 + 2] > 200 && ringShot.rgba[4 * 4 + 2] > ringShot.rgba[4 * 4] + 60,
    "the ring is drawn at the canvas's edge", [...ringShot.rgba.slice(16, 20)]);
  // The help as HTML: the canvas help's table, read from the top, audited.
  step = "help as HTML";
  await page.click("#b-help");
  await waitFor(page, () => document.getElementById("helpdlg").open && document.activeElement.id === "helptitle", null,
    "the help dialog, read from its title");
  const helpHtml = await page.evaluate(() => {
    const lines = JSON.parse(Module.ccall("rs_web_help", "string", [], []));
    const rows = (id) => [...document.querySelectorAll(`#${id} tr`)].map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]);
    return { keys: rows("helpkeys"), touch: rows("helptouch"), want: lines.keys.filter(([k]) => k).length,
      wantTouch: lines.touch.length };
  });
  check(helpHtml.keys.length === helpHtml.want && helpHtml.touch.length === helpHtml.wantTouch &&
    helpHtml.keys.some(([k, t]) => k === "X" && /Crash the selected node/.test(t)) &&
    helpHtml.keys.some(([k]) => k === "Tab / Shift+Tab"), "the HTML help lists every line of the canvas help", helpHtml);
  await page.screenshot({ path: path.join(OUT, "help-html.png") });
  await audit(page, "the page with the help dialog open");
  await page.keyboard.press("Escape");
  await waitFor(page, () => !document.getElementById("helpdlg").open && document.activeElement.id === "b-help", null,
    "Escape to close the help and give the keyboard back to its button");
  await page.focus("#canvas");

  await act(page, "key ]", () => page.keyboard.press("BracketRight"), () => window.ringscope.state().vnodes === 100);
  cmds.push("vnodes 100");
  await act(page, "key [ twice", async () => { await page.keyboard.press("BracketLeft"); await page.keyboard.press("BracketLeft"); },
    () => window.ringscope.state().vnodes === 60);
  cmds.push("vnodes 80", "vnodes 60");
  await act(page, "key V twice", async () => { await page.keyboard.press("KeyV"); await page.keyboard.press("KeyV"); },
    () => window.ringscope.state().vectors === 8000);
  cmds.push("vectors 7000", "vectors 8000");
  await act(page, "key Shift+V", () => page.keyboard.press("Shift+KeyV"), () => window.ringscope.state().vectors === 7000);
  cmds.push("vectors 7000");

  // 4. In-canvas controls, by their rectangles.
  await act(page, "click Add node", () => clickWidget(page, "add"), () => window.ringscope.state().nodes.some((n) => n.id === "nodeG"));
  cmds.push("add nodeG");
  await act(page, "click +1000 vectors", () => clickWidget(page, "vec_plus"), () => window.ringscope.state().vectors === 8000);
  cmds.push("vectors 8000");
  step = "click slider";
  const sl = (await info(page)).widgets.slider;
  await page.mouse.click(sl[0] + sl[2] * 0.9, sl[1] + sl[3] / 2);
  await waitFor(page, () => window.ringscope.state().slider >= 240, null, "the slider to move right");
  const slider = (await state(page)).slider;
  check(slider % 20 === 0 && slider <= 300, "slider value on its 20-step grid", slider);
  await act(page, "click Rebuild ring", () => clickWidget(page, "rebuild"), (v) => window.ringscope.state().vnodes === v, slider);
  cmds.push(`vnodes ${slider}`);
  await act(page, "type a node id", async () => {
    await clickWidget(page, "field");
    await page.keyboard.type("web-node_1");
    await page.keyboard.press("Enter");
  }, () => window.ringscope.state().nodes.some((n) => n.id === "web-node_1"));
  cmds.push("add web-node_1");
  check((await state(page)).field === "", "the field is cleared after adding", (await state(page)).field);
  // Any text: accented letters typed, and an input method's composition
  // (shown in the field while composing, the committed text added).
  const cjkId = "\u00e9t\u00e9-\u30ce\u30fc\u30c9"; // été-ノード
  await act(page, "type accented and composed text", async () => {
    await clickWidget(page, "field");
    await waitFor(page, () => document.activeElement && document.activeElement.id === "ime", null,
      "the field's input element to have the keyboard");
    await page.keyboard.type("\u00e9t\u00e9-");
    await waitFor(page, () => window.ringscope.state().field === "\u00e9t\u00e9-", null, "\"été-\" in the field");
    const ime = await context.newCDPSession(page);
    await ime.send("Input.imeSetComposition", { text: "\u30ce\u30fc", selectionStart: 2, selectionEnd: 2 });
    await waitFor(page, () => window.ringscope.state().composing === "\u30ce\u30fc", null, "the composing text in the field");
    await moreFrames(page, 2, "frames while composing");
    await canvasShot(page, "composing.png");
    await ime.send("Input.insertText", { text: "\u30ce\u30fc\u30c9" });
    await waitFor(page, (id) => { const s = window.ringscope.state(); return s.field === id && s.composing === ""; },
      cjkId, "the committed text in the field");
    await ime.detach();
    await page.keyboard.press("Enter");
  }, (id) => window.ringscope.state().nodes.some((n) => n.id === id), cjkId);
  cmds.push("add " + cjkId);
  // ノード needs the CJK fallback (DejaVu Sans has é): fetched now, alone.
  await waitFor(page, () => Module.fontsLoaded.includes("DroidSansFallbackFull.ttf") &&
    window.ringscope.info().missing.length === 0, null, "the CJK fallback for ノード", 30_000);
  check(sameJson(fontRequests.main, ["coverage.json", "DroidSansFallbackFull.ttf"]),
    "the CJK text fetched the fallback only (its coverage says which font has it)", fontRequests.main);
  check(await page.evaluate(() => document.activeElement.id === "ime"), "the field keeps the keyboard after adding");
  await page.keyboard.press("Escape");
  await waitFor(page, () => !window.ringscope.state().field_focus && document.activeElement.id === "canvas", null,
    "Escape to leave the field");
  step = "click a node";
  await settled(page);
  const at = (await info(page)).node_px.nodeB;
  check(at, "nodeB has a position", await info(page));
  await page.mouse.click(at[0], at[1]);
  await waitFor(page, () => window.ringscope.state().nodes.find((n) => n.id === "nodeB").selected, null, "nodeB to be selected");
  await act(page, "Delete removes the selected node", () => page.keyboard.press("Delete"),
    () => !window.ringscope.state().nodes.some((n) => n.id === "nodeB"));
  cmds.push("remove nodeB");
  await act(page, "click Pause", () => clickWidget(page, "pause"), () => window.ringscope.state().paused);
  await act(page, "Space resumes", () => page.keyboard.press("Space"), () => !window.ringscope.state().paused);
  await act(page, "click Help", () => clickWidget(page, "help"), () => window.ringscope.state().help);
  await noMissingGlyphs(page, "the help overlay");
  const escF = (await info(page)).frames;
  await act(page, "Escape closes help, page stays", () => page.keyboard.press("Escape"), () => !window.ringscope.state().help);
  await drawnSince(page, escF, "the frame without help after Escape");

  // 5. The console API.
  step = "ringscope.run";
  s = await page.evaluate(() => window.ringscope.run("add nodeX"));
  check(s.nodes.some((n) => n.id === "nodeX") && /Added nodeX/.test(s.last_action), "run(\"add nodeX\") added it", s);
  cmds.push("add nodeX");
  const bad = await page.evaluate(() => {
    try { window.ringscope.run("frobnicate nodeA"); return null; } catch (e) { return e.message; }
  });
  check(typeof bad === "string" && bad.length > 5 && /frobnicate|unknown|command/i.test(bad), "a bad command throws with a message", bad);
  const bad2 = await page.evaluate(() => {
    try { window.ringscope.run("vnodes 0"); return null; } catch (e) { return e.message; }
  });
  check(typeof bad2 === "string" && bad2.length > 5, "vnodes 0 throws with a message", bad2);
  check(sameJson((await state(page)).nodes.map((n) => n.id), s.nodes.map((n) => n.id)), "bad commands changed nothing");
  // run() says whether it changed anything, and the message is current.
  const noop1 = await page.evaluate(() => window.ringscope.run("add nodeA"));
  check(noop1.changed === false && /nodeA/.test(noop1.message), "run(\"add nodeA\") reports no change", noop1);
  const noop2 = await page.evaluate(() => window.ringscope.run("remove nobody"));
  check(noop2.changed === false && /nobody/.test(noop2.message), "run(\"remove nobody\") reports no change", noop2);
  const big = await page.evaluate(() => {
    try { window.ringscope.run("vectors 30000000"); return null; } catch (e) { return e.message; }
  });
  check(typeof big === "string" && /20000000/.test(big) && /browser/.test(big), "vectors above the browser's limit: a clear message", big);
  // A node id the subset cannot draw (Greek): the whole DejaVu Sans.
  step = "a Greek node id";
  s = await page.evaluate(() => window.ringscope.run("add \u03a9mega"));
  cmds.push("add \u03a9mega");
  await waitFor(page, () => Module.fontsLoaded.includes("DejaVuSans.ttf") && window.ringscope.info().missing.length === 0,
    null, "the whole DejaVu Sans for Ωmega", 30_000);
  s = await page.evaluate(() => window.ringscope.run("add nodeY"));
  check(s.changed === true && s.message === "", "a change reports changed and clears the old message", s);
  s = await page.evaluate(() => window.ringscope.run("remove nodeY"));
  check(s.changed === true, "remove nodeY changed the ring", s);

  step = "everything vs sim";
  s = await state(page);
  compareWithSim(s, sim(cmds.flatMap((c) => ["--do", c])), `after ${cmds.length} commands (${cmds.join("; ")})`);
  log(`keys, clicks and run() agree with ringscope sim after: ${cmds.join("; ")}`);

  // 6. S downloads a PNG of the frame.
  step = "screenshot key";
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 15_000 }),
    page.keyboard.press("KeyS"),
  ]);
  const file = path.join(OUT, "download.png");
  await download.saveAs(file);
  const dl = readFileSync(file);
  check(isPng(dl) && /^ringscope-.*\.png$/.test(download.suggestedFilename()), "S downloads ringscope-*.png",
    download.suggestedFilename());
  const dls = analyse(dl);
  const inf = await info(page);
  check(dls.width === inf.fb[0] && dls.height === inf.fb[1], "the PNG has the drawable's size", { png: [dls.width, dls.height], fb: inf.fb });
  check(dls.fraction > 0.03 && dls.counts[0] >= 40, "the downloaded PNG shows the scene", dls);

  // Ctrl+S while the canvas has focus downloads the session (not the page):
  // a script that ringscope sim, given the options its header names,
  // replays to the page's state.
  step = "session key";
  const [sess] = await Promise.all([
    page.waitForEvent("download", { timeout: 15_000 }),
    page.keyboard.press("Control+KeyS"),
  ]);
  const sessFile = path.join(OUT, "session.txt");
  await sess.saveAs(sessFile);
  check(/^ringscope-session-.*\.txt$/.test(sess.suggestedFilename()), "Ctrl+S downloads ringscope-session-*.txt",
    sess.suggestedFilename());
  const simLine = readFileSync(sessFile, "utf8").split("\n").find((l) => l.startsWith("#   ringscope sim "));
  check(simLine, "the session names its replay options");
  const words = [...simLine.slice("#   ringscope sim ".length).replace(/ --script FILE$/, "")
    .matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]));
  compareWithSim(await state(page), sim([...words, "--script", sessFile]), "the saved session replayed by ringscope sim");
  log(`Ctrl+S saved ${sess.suggestedFilename()}; ringscope sim replays it to the page's state`);

  // F9 records the canvas (MediaRecorder) and F9 again downloads the .webm.
  step = "F9 recording";
  await page.keyboard.press("F9");
  await page.waitForTimeout(1500);
  // The REC badge stays off the canvas (it covered the title).
  const badge = await page.evaluate(() => {
    const b = document.getElementById("rs-rec").getBoundingClientRect();
    const c = document.getElementById("canvas").getBoundingClientRect();
    return { top: b.top, bottom: b.bottom, h: b.height, canvasBottom: c.bottom, text: document.getElementById("rs-rec").textContent };
  });
  check(/REC/.test(badge.text) && badge.h > 0 && badge.top >= badge.canvasBottom - 0.5 && badge.bottom <= 720,
    "the REC badge is shown below the canvas", badge);
  const [video] = await Promise.all([
    page.waitForEvent("download", { timeout: 15_000 }),
    page.keyboard.press("F9"),
  ]);
  const videoFile = path.join(OUT, "recording.webm");
  await video.saveAs(videoFile);
  const webm = readFileSync(videoFile);
  check(/^ringscope-.*\.webm$/.test(video.suggestedFilename()), "F9 twice downloads ringscope-*.webm", video.suggestedFilename());
  check(webm.length > 1000 && webm.readUInt32BE(0) === 0x1a45dfa3, "the recording is a non-empty WebM (EBML header)", webm.length);
  // Four more: every capture track of all five must be stopped (a live
  // one keeps the canvas in capture mode and the page slow).
  step = "five recordings";
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("F9");
    await moreFrames(page, 5, "frames while recording");
    await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.keyboard.press("F9")]);
  }
  await waitFor(page, () => window.__tracks.length === 5 && window.__tracks.every((t) => t.readyState === "ended"), null,
    "all five recordings' tracks to be ended");

  // 7. Context loss: state survives, drawing resumes.
  step = "context loss";
  await settled(page);
  const before = await state(page);
  await page.evaluate(() => {
    window.__lose = document.getElementById("canvas").getContext("webgl2").getExtension("WEBGL_lose_context");
    window.__lose.loseContext();
  });
  await waitFor(page, () => window.ringscope.info().lost, null, "the context to be lost");
  const lostNote = await page.evaluate(() => {
    const n = document.getElementById("notice");
    const r = n.getBoundingClientRect();
    return { hidden: n.hidden, text: n.textContent, w: r.width, h: r.height, top: r.top, visible: n.checkVisibility() };
  });
  check(!lostNote.hidden && lostNote.visible && lostNote.w > 100 && lostNote.h > 10 && /lost/.test(lostNote.text),
    "a visible message says the graphics context is lost", lostNote);
  const lostState = await state(page);
  check(sameJson(lostState.nodes, before.nodes) && lostState.vectors === before.vectors, "state kept while lost");
  s = await page.evaluate(() => window.ringscope.run("add nodeL"));
  cmds.push("add nodeL");
  check(s.nodes.some((n) => n.id === "nodeL"), "commands work while the context is lost", s.nodes);
  const restoreF = (await info(page)).frames;
  await page.evaluate(() => window.__lose.restoreContext());
  await waitFor(page, () => { const i = window.ringscope.info(); return i.restores === 1 && !i.lost; }, null, "the context to come back");
  await drawnSince(page, restoreF, "a frame after the restore");
  await settled(page);
  check(await page.evaluate(() => document.getElementById("notice").hidden), "the message goes once the context is back");
  const restored = await state(page);
  const ref = sim(cmds.flatMap((c) => ["--do", c]));
  compareWithSim(restored, ref, "after the context came back");
  check(/Added nodeL/.test(restored.last_action) && restored.moved === ref.moved && restored.moved_landed === ref.moved,
    "the counter shows nodeL's whole move after the restore", { state: restored, sim_moved: ref.moved });
  shot = await canvasShot(page, "after-restore.png");
  check(shot.fraction > 0.03, "the canvas is drawn again after the restore", shot);
  check(shot.counts[0] >= 40 && shot.counts[2] >= 40, "node colours drawn again after the restore", shot.counts);

  // 8. The canvas follows the window.
  step = "resize";
  const resizeF = (await info(page)).frames;
  await page.setViewportSize({ width: 960, height: 640 });
  await waitFor(page, () => { const i = window.ringscope.info(); return i.fb[0] === 960 && i.fb[1] === 618; }, null,
    "the drawable to follow the window (960x618)");
  await drawnSince(page, resizeF, "a frame after resize");
  const ri = await info(page);
  check(ri.widgets.add[1] + ri.widgets.add[3] <= 618 && ri.widgets.help[1] + ri.widgets.help[3] <= 618,
    "controls laid out inside the resized canvas", ri.widgets);
  shot = await canvasShot(page, "resized.png");
  check(shot.width === 960 && shot.height === 618 && shot.fraction > 0.03, "resized canvas drawn", shot);
  // The font reopened at the new size is the whole one, not the subset.
  await noMissingGlyphs(page, "after resize (Ωmega, été-ノード, ring ▸)");
  check(fontRequests.main.filter((f) => f === "DejaVuSans.ttf").length === 1, "and it was not fetched again", fontRequests.main);
  check(problems("main").length === 0, "no console errors or warnings on the main page", problems("main"));
  await page.close();

  // The first frame over a slow link: 4 Mbit/s, 40 ms latency, no cache,
  // served as the README says (no compression). A functional check that
  // the page starts and shows bytes while loading; the time is reported
  // (README), not asserted.
  step = "first frame at 4 Mbit/s";
  const slow = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const sp = await slow.newPage();
  watch(sp, "slow");
  const cdp = await slow.newCDPSession(sp);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions",
    { offline: false, latency: 40, downloadThroughput: 500_000, uploadThroughput: 500_000 });
  let bytesOnWire = 0;
  cdp.on("Network.loadingFinished", (e) => { bytesOnWire += e.encodedDataLength; });
  const statuses = new Set();
  const tSlow = Date.now();
  await sp.goto(BASE + "index.html", { timeout: 60_000, waitUntil: "commit" });
  for (;;) {
    const st = await sp.evaluate(() => ({ text: document.getElementById("status").textContent,
      up: !!(window.ringscope && window.ringscope.state() && window.ringscope.info().frames >= 1) }));
    statuses.add(st.text);
    if (st.up) break;
    check(Date.now() - tSlow < 60_000, "the page starts over a 4 Mbit/s link", [...statuses]);
    await sp.waitForTimeout(50);
  }
  const firstFrame = (Date.now() - tSlow) / 1000;
  const firstBytes = bytesOnWire;
  check([...statuses].some((t) => /Downloading \d+\.\d\d MB of \d+\.\d\d MB/.test(t)),
    "the loading progress shows bytes", [...statuses]);
  results.first_frame_4mbit_s = firstFrame;
  results.first_frame_bytes = firstBytes;
  log(`first frame at 4 Mbit/s + 40 ms, no cache: ${firstFrame.toFixed(2)} s (${(firstBytes / 1e6).toFixed(2)} MB on the wire)`);
  // The whole visit: nothing more arrives once the ring has settled (no
  // font: the first frame's subset draws every UI glyph). Goal: 1.0 MB.
  await settled(sp, 60_000);
  await sp.waitForTimeout(5000);
  results.visit_bytes = bytesOnWire;
  log(`an ordinary visit at 4 Mbit/s: ${(bytesOnWire / 1e6).toFixed(2)} MB on the wire in all`);
  check(bytesOnWire <= 1_000_000, `an ordinary visit moves at most 1.0 MB (${(bytesOnWire / 1e6).toFixed(2)} MB)`);
  check(fontRequests.slow.length === 0, "and fetches no font", fontRequests.slow);
  check(problems("slow").length === 0, "no console errors or warnings while loading slowly", problems("slow"));
  await slow.close();

  // 9. HiDPI: the drawable is CSS size x devicePixelRatio, clicks still land.
  step = "HiDPI";
  const hidpi = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  const hp = await open(hidpi, "?nodes=n1,n2,n3&vnodes=40&vectors=3000", "hidpi");
  let hi = await info(hp);
  check(hi.fb[0] === 1280 && hi.fb[1] === 756 && hi.win[0] === 640 && hi.win[1] === 378 && Math.abs(hi.dpi - 2) < 0.01,
    "drawable is 2x the CSS size at devicePixelRatio 2", hi);
  compareWithSim(await state(hp), sim(["--nodes", "n1,n2,n3", "--vnodes", "40", "--vectors", "3000"]), "URL options");
  step = "HiDPI drawn";
  await settled(hp);
  shot = await canvasShot(hp, "hidpi.png");
  check(shot.width === 1280 && shot.height === 756 && shot.fraction > 0.03, "HiDPI canvas drawn at full resolution", shot);
  await act(hp, "HiDPI click Add node", () => clickWidget(hp, "add"), () => window.ringscope.state().nodes.length === 4);
  check(problems("hidpi").length === 0, "no console errors or warnings at HiDPI", problems("hidpi"));
  await hidpi.close();

  // 9a. Compare mode from the URL: two panes, every command in each; each
  // pane's state equals its strategy's step in `ringscope sim --compare`.
  step = "compare URL";
  const cmpctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const cp = await open(cmpctx, "?compare=ring,modulo", "compare");
  let cs = await state(cp);
  check(cs.compare === true && cs.panes && cs.panes.length === 2 && cs.panes[0].strategy === "ring" &&
    cs.panes[1].strategy === "modulo" && cs.strategy === "ring", "?compare=ring,modulo opens two panes", cs);
  await act(cp, "compare: run add nodeF", () => cp.evaluate(() => window.ringscope.run("add nodeF")),
    () => window.ringscope.state().panes[1].nodes.some((n) => n.id === "nodeF"));
  await settled(cp);
  cs = await state(cp);
  const cref = JSON.parse(execFileSync(RINGSCOPE, ["sim", "--json", "--compare", "ring,modulo", "--do", "add nodeF"],
    { encoding: "utf8", timeout: 60_000 }));
  const clast = cref.steps[cref.steps.length - 1].compare;
  for (const pane of cs.panes) {
    const ref = clast[pane.strategy];
    check(ref, `compare: sim has a ${pane.strategy} step`, Object.keys(clast));
    check(pane.moved === ref.moved && pane.moved_landed === ref.moved && pane.vectors === ref.vectors,
      `compare: ${pane.strategy} moved ${pane.moved} in the page, ${ref.moved} in sim`, { pane, ref: ref.moved });
    check(Math.abs(pane.max_over_mean - ref.max_over_mean) < 1e-9 && Math.abs(pane.std_over_mean - ref.std_over_mean) < 1e-9,
      `compare: ${pane.strategy} load figures match sim`, { pane, ref: [ref.max_over_mean, ref.std_over_mean] });
    check(Math.abs(pane.ideal - ref.ideal_fraction) < 1e-12, `compare: ${pane.strategy} ideal matches sim`, { pane: pane.ideal, ref: ref.ideal_fraction });
    for (const n of pane.nodes)
      check(n.keys === ref.dist[n.id], `compare: ${pane.strategy} ${n.id} has ${n.keys} keys, ${ref.dist[n.id]} in sim`);
  }
  check(cs.panes[1].moved > cs.panes[0].moved, "compare: modulo moves more than the ring", cs.panes.map((q) => q.moved));
  check(cs.moved === cs.panes[0].moved, "compare: the top level is the first pane", cs);
  await noMissingGlyphs(cp, "compare mode");
  shot = await canvasShot(cp, "compare.png");
  check(shot.fraction > 0.03, "compare: the canvas is drawn", shot);
  check(problems("compare").length === 0, "no console errors or warnings in compare mode", problems("compare"));
  const sp1 = await open(cmpctx, "?strategy=jump", "strategy");
  const ss = await state(sp1);
  check(ss.strategy === "jump" && ss.compare === false && !ss.panes, "?strategy=jump opens one jump pane", ss);
  check(problems("strategy").length === 0, "no console errors or warnings with ?strategy", problems("strategy"));
  await cmpctx.close();
  log(`?compare=ring,modulo: panes match ringscope sim --compare (moved ${cs.panes.map((q) => q.moved).join(" vs ")}); ?strategy=jump`);

  // 9c. Share and load. Copy link puts the session into the URL: opening
  // it replays every command (with its timing) to the same state. A saved
  // session opens by the file picker and by a drop on the page, replayed
  // as on the desktop; a file that is not one is refused with a message.
  step = "Copy link";
  const sharectx = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  await sharectx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(BASE).origin });
  const lp = await open(sharectx, "?vectors=3000", "share");
  for (const c of ["add nodeF", "replicas 2", "zone nodeA z1", "fail nodeB", "heal", "vnodes 120"])
    await lp.evaluate((cmd) => window.ringscope.run(cmd), c);
  await lp.keyboard.press("KeyC"); // compare on: ring beside modulo
  await waitFor(lp, () => window.ringscope.state().compare, null, "compare mode by key C");
  await lp.evaluate(() => window.ringscope.run("remove nodeD"));
  await settled(lp);
  const original = await state(lp);
  await lp.click("#b-link");
  await waitFor(lp, () => !document.getElementById("share").hidden && /copied/.test(document.getElementById("share-text").textContent),
    null, "Copy link to say the link is copied");
  const clip = await lp.evaluate(() => navigator.clipboard.readText());
  const shown = await lp.evaluate(() => document.getElementById("share-url").value);
  check(clip === shown && clip.startsWith(BASE) && /[?&]compare=ring%2Cmodulo/.test(clip) && /do=fail\+nodeB/.test(clip) &&
    clip.length < 8000, "the link is on the clipboard and on screen, with the options and the commands", { clip, shown });
  await audit(lp, "the page with the link shown");
  const rp2 = await open(sharectx, clip.slice(clip.indexOf("?")), "share-replay");
  await settled(rp2, REPLAY_MS);
  check(sameJson(replayed(await state(rp2)), replayed(original)), "the link replays to the same state()",
    { replayed: replayed(await state(rp2)), original: replayed(original) });

  step = "Open session by the picker";
  await lp.locator("#canvas").focus();
  const [sessDl] = await Promise.all([lp.waitForEvent("download", { timeout: 15_000 }), lp.keyboard.press("Control+KeyS")]);
  const sharedFile = path.join(OUT, "shared-session.txt");
  await sessDl.saveAs(sharedFile);
  const [chooser] = await Promise.all([rp2.waitForEvent("filechooser", { timeout: 15_000 }), rp2.click("#b-open")]);
  await Promise.all([rp2.waitForURL(/\?session=shared-session\.txt$/, { timeout: 15_000 }), chooser.setFiles(sharedFile)]);
  await started(rp2);
  await settled(rp2, REPLAY_MS);
  check(sameJson(replayed(await state(rp2)), replayed(original)), "the opened session replays to the same state()",
    { opened: replayed(await state(rp2)), original: replayed(original) });

  step = "Open session by a drop";
  const dp = await open(sharectx, "", "share-drop");
  const sessText = readFileSync(sharedFile, "utf8");
  await Promise.all([dp.waitForURL(/\?session=my_run\.txt$/, { timeout: 15_000 }), dp.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "my run.txt", { type: "text/plain" }));
    const c = document.getElementById("canvas");
    c.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    c.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, sessText)]);
  await started(dp);
  await settled(dp, REPLAY_MS);
  check(sameJson(replayed(await state(dp)), replayed(original)), "the dropped session replays to the same state()");
  await dp.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])], "picture.png", { type: "image/png" }));
    document.getElementById("canvas").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await waitFor(dp, () => /picture\.png is not a Ringscope session/.test(document.getElementById("notice").textContent), null,
    "a dropped file that is not a session to be refused with a message");
  check(/\?session=my_run\.txt$/.test(dp.url()), "and the page stays as it was", dp.url());
  const gone = await sharectx.newPage();
  watch(gone, "share-gone");
  await gone.goto(BASE + "index.html?session=my_run.txt", { timeout: 30_000 });
  await waitFor(gone, () => window.ringscopeError, null, "a session link from another tab to explain itself");
  check(/open the file again/.test(await gone.evaluate(() => window.ringscopeError)), "the message says what to do",
    await gone.evaluate(() => window.ringscopeError));

  // A link past ~8 KB would break: the file is offered instead.
  step = "Copy link of a long session";
  await lp.evaluate(() => { for (let i = 0; i < 260; i++) { window.ringscope.run("vectors 3001"); window.ringscope.run("vectors 3000"); } });
  await settled(lp);
  const long = await lp.evaluate(() => window.ringscope.link());
  check(long.tooLong && long.length > 8000, "a 520-command session makes a link past 8 KB", long.length);
  await lp.click("#b-link");
  await waitFor(lp, () => /Save the session file instead/.test(document.getElementById("share-text").textContent) &&
    !document.getElementById("share-save").hidden && document.getElementById("share-url").hidden, null,
    "Copy link to offer the session file instead");
  const [longDl] = await Promise.all([lp.waitForEvent("download", { timeout: 15_000 }), lp.click("#share-save")]);
  check(/^ringscope-session-.*\.txt$/.test(longDl.suggestedFilename()), "the offered file is the saved session", longDl.suggestedFilename());
  for (const label of ["share", "share-replay", "share-drop"])
    check(problems(label).length === 0, `no console errors or warnings (${label})`, problems(label));
  await sharectx.close();
  log(`Copy link (${clip.length} characters), Open session (picker, drop) replay to the same state(); a long session offers the file`);

  // 9b. Phones (phones() above).
  await phones();

  // 10. The page explains what is wrong.
  step = "no WebGL2";
  const nogl = await browser.newContext({ viewport: { width: 800, height: 500 } });
  await nogl.addInitScript(() => {
    const get = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === "webgl2" ? null : get.call(this, type, ...rest);
    };
  });
  const np = await nogl.newPage();
  watch(np, "nogl");
  await np.goto(BASE + "index.html", { timeout: 30_000 });
  await waitFor(np, () => document.getElementById("overlay").classList.contains("error"), null, "the no-WebGL2 message");
  const msg = await np.evaluate(() => document.getElementById("status").textContent);
  check(/WebGL 2/.test(msg), "the message names WebGL 2", msg);
  check(await np.evaluate(() => !window.ringscope), "nothing started without WebGL2");
  await nogl.close();

  step = "bad URL option";
  const badctx = await browser.newContext({ viewport: { width: 800, height: 500 } });
  const bp = await badctx.newPage();
  watch(bp, "badopt");
  await bp.goto(BASE + "index.html?vectors=lots", { timeout: 30_000 });
  await waitFor(bp, () => document.getElementById("overlay").classList.contains("error"), null, "the bad-option message", 30_000);
  const bmsg = await bp.evaluate(() => document.getElementById("status").textContent);
  check(/URL parameter "vectors"/.test(bmsg) && !/--/.test(bmsg), "the message names the bad URL parameter", bmsg);
  await bp.goto(BASE + "index.html?vectors=20000001", { timeout: 30_000 });
  await waitFor(bp, () => document.getElementById("overlay").classList.contains("error"), null, "the too-many message", 30_000);
  const tmsg = await bp.evaluate(() => document.getElementById("status").textContent);
  check(/20000000/.test(tmsg) && /browser/.test(tmsg), "above the browser's limit: a clear message", tmsg);
  // Not a number: the range quoted is the browser's, not the desktop's.
  await bp.goto(BASE + "index.html?vectors=1e6", { timeout: 30_000 });
  await waitFor(bp, () => document.getElementById("overlay").classList.contains("error"), null, "the not-a-number message", 30_000);
  const emsg = await bp.evaluate(() => document.getElementById("status").textContent);
  check(/"1e6"/.test(emsg) && /0\.\.20000000\b/.test(emsg) && !/200000000/.test(emsg), "?vectors=1e6 quotes the browser's range", emsg);
  // A zone for a node that is not there: the message is a whole sentence.
  await bp.goto(BASE + "index.html?zones=nodeZ=z1", { timeout: 30_000 });
  await waitFor(bp, () => document.getElementById("overlay").classList.contains("error"), null, "the zones message", 30_000);
  const zmsg = await bp.evaluate(() => document.getElementById("status").textContent);
  check(/URL parameter "zones"/.test(zmsg) && /nodeZ/.test(zmsg) && !/:\s*$/.test(zmsg) && !/--/.test(zmsg),
    "?zones=nodeZ=z1 names the node and ends as a sentence", zmsg);
  await badctx.close();

  // ?strategy= beside ?compare= is said to be unused; a script that is
  // still waiting is not settled.
  step = "strategy with compare";
  const urlctx = await browser.newContext({ viewport: { width: 1000, height: 600 } });
  const sc = await open(urlctx, "?strategy=jump&compare=ring,modulo", "strategy-compare");
  const scNote = await sc.evaluate(() => ({ hidden: document.getElementById("notice").hidden, text: document.getElementById("notice").textContent }));
  check(!scNote.hidden && /"strategy"/.test(scNote.text) && /compare/.test(scNote.text), "?strategy= beside ?compare= is said to be ignored", scNote);
  check(sameJson((await state(sc)).panes.map((q) => q.strategy), ["ring", "modulo"]), "the compare panes are as asked");
  step = "settled while a script waits";
  const wp = await open(urlctx, "?vectors=2000&do=add%20nodeF&do=wait%204&do=add%20nodeG", "script-wait");
  await waitFor(wp, () => window.ringscope.state().nodes.some((n) => n.id === "nodeF") && window.ringscope.state().moved_landed ===
    window.ringscope.state().moved, null, "nodeF's flights to land", 20_000);
  await wp.waitForTimeout(1000); // inside the 4 s wait
  const waiting = await state(wp);
  check(!waiting.nodes.some((n) => n.id === "nodeG") && waiting.settled === false, "not settled while the script waits", waiting.settled);
  await settled(wp);
  check((await state(wp)).nodes.some((n) => n.id === "nodeG"), "settled once the script is done");
  await urlctx.close();

  step = "unknown URL parameter";
  const unkctx = await browser.newContext({ viewport: { width: 800, height: 500 } });
  const up = await open(unkctx, "?vectors=3000&colour=red", "unknown");
  const unote = await up.evaluate(() => ({ hidden: document.getElementById("notice").hidden,
    text: document.getElementById("notice").textContent }));
  check(!unote.hidden && /colour/.test(unote.text), "an unknown URL parameter is named on screen", unote);
  check((await state(up)).vectors === 3000, "the known parameters still apply");
  await unkctx.close();

  // 9d. Embedded in another page (?embed=1, in an <iframe>): the host page
  // keeps the keyboard (Space is its own), the wheel scrolls the host until
  // the demo is clicked (Ctrl+wheel zooms it at once), a compact footer
  // with a link to the full page.
  step = "embed";
  const embctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await embctx.route(BASE + "host.html", (r) => r.fulfill({ contentType: "text/html", body:
    `<!doctype html><html lang="en"><head><title>host</title></head><body style="margin:0;height:3000px">
     <p>An article about consistent hashing.</p>
     <iframe id="demo" title="Ringscope demo" src="index.html?embed=1&vectors=3000" width="800" height="450"
       style="border:0;margin:40px 100px"></iframe>
     <script>window.keys = []; addEventListener("keydown", (e) => { keys.push(e.key); e.preventDefault(); });</script>
     </body></html>` }));
  const hp2 = await embctx.newPage();
  watch(hp2, "embed");
  await hp2.goto(BASE + "host.html", { timeout: 30_000 });
  let ef = null;
  for (let i = 0; i < 100 && !ef; i++, await hp2.waitForTimeout(100)) ef = hp2.frames().find((f) => /embed=1/.test(f.url()));
  check(ef, "the demo's frame is there");
  await ef.waitForFunction(() => window.ringscope && window.ringscope.state().settled, null, { timeout: 60_000, polling: 50 });
  const efocus = await ef.evaluate(() => document.activeElement.tagName);
  check(await hp2.evaluate(() => document.activeElement.tagName === "BODY") && efocus === "BODY",
    "embedded, the demo takes no focus on load", efocus);
  await hp2.keyboard.press("Space");
  check(sameJson(await hp2.evaluate(() => window.keys), [" "]) && !(await ef.evaluate(() => window.ringscope.state().paused)),
    "Space on the host page is the host's: the demo is not paused");
  const z0e = await ef.evaluate(() => window.ringscope.state().zoom);
  await hp2.mouse.move(500, 260);
  await hp2.mouse.wheel(0, 300);
  await waitFor(hp2, () => window.scrollY > 100, null, "the wheel over the demo to scroll the host page");
  check((await ef.evaluate(() => window.ringscope.state().zoom)) === z0e, "the wheel did not zoom the demo");
  check(await ef.evaluate(() => document.getElementById("embedhint").classList.contains("on")),
    "the demo says how to use it (click, Ctrl+wheel)");
  await hp2.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
  await hp2.keyboard.down("Control");
  await hp2.mouse.wheel(0, -200);
  await hp2.keyboard.up("Control");
  await ef.waitForFunction((z) => window.ringscope.state().zoom > z, z0e, { timeout: 10_000, polling: 50 });
  check((await hp2.evaluate(() => window.scrollY)) === 0, "Ctrl+wheel zooms the demo, not the host page");
  await hp2.mouse.click(500, 200);
  const z1e = await ef.evaluate(() => window.ringscope.state().zoom);
  await hp2.mouse.wheel(0, -200);
  await ef.waitForFunction((z) => window.ringscope.state().zoom > z, z1e, { timeout: 10_000, polling: 50 });
  check((await hp2.evaluate(() => window.scrollY)) === 0, "after a click the wheel zooms the demo");
  const chrome = await ef.evaluate(() => ({
    full: !document.getElementById("b-full").hidden, href: document.getElementById("b-full").href,
    target: document.getElementById("b-full").target, keys: !document.getElementById("help").hidden,
    link: !document.getElementById("b-link").hidden, canvasH: document.getElementById("canvas").getBoundingClientRect().height }));
  check(chrome.full && /index\.html\?vectors=3000$/.test(chrome.href) && chrome.target === "_blank" && !chrome.keys && !chrome.link,
    "embedded: a compact footer with a link to the full page", chrome);
  await hp2.screenshot({ path: path.join(OUT, "embed.png") });
  await audit(hp2, "the host page with the demo embedded");
  check(problems("embed").length === 0, "no console errors or warnings embedded", problems("embed"));
  await embctx.close();
  log("?embed=1: no focus taken, the wheel scrolls the host until a click, Ctrl+wheel zooms, an open-full link");

  // 9e. Memory: a device that reports little memory takes fewer
  // embeddings, with a message that says why and what to try; a browser
  // that refuses to grow the memory gets the same kind of message.
  step = "device memory";
  const memctx = await browser.newContext({ viewport: { width: 800, height: 500 } });
  await memctx.addInitScript(() => Object.defineProperty(Navigator.prototype, "deviceMemory", { get: () => 1 }));
  const mp = await memctx.newPage();
  watch(mp, "memory");
  await mp.goto(BASE + "index.html?vectors=5000000", { timeout: 30_000 });
  await waitFor(mp, () => document.getElementById("overlay").classList.contains("error"), null, "the device-memory message", 30_000);
  const mmsg = await mp.evaluate(() => document.getElementById("status").textContent);
  check(/reports 1 GB/.test(mmsg) && /at most 3500000 here/.test(mmsg) && /try 3500000/.test(mmsg) && !/--/.test(mmsg),
    "?vectors beyond what the device reports: why, and what to try", mmsg);
  const mp2 = await open(memctx, "?vectors=3000", "memory-ok");
  const mrun = await mp2.evaluate(() => { try { window.ringscope.run("vectors 4000000"); return null; } catch (e) { return e.message; } });
  check(/reports 1 GB/.test(mrun || "") && (await state(mp2)).vectors === 3000, "run(\"vectors 4000000\") is refused the same way", mrun);
  await memctx.close();
  const growctx = await browser.newContext({ viewport: { width: 800, height: 500 } });
  await growctx.addInitScript(() => {
    const grow = WebAssembly.Memory.prototype.grow;
    WebAssembly.Memory.prototype.grow = function (pages) {
      if (this.buffer.byteLength + pages * 65536 > 256 * 1048576) throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
      return grow.call(this, pages);
    };
  });
  const gp = await growctx.newPage();
  await gp.goto(BASE + "index.html?vectors=6000000", { timeout: 30_000 });
  await waitFor(gp, () => document.getElementById("overlay").classList.contains("error"), null, "the out-of-memory message", 60_000);
  const gmsg = await gp.evaluate(() => document.getElementById("status").textContent);
  check(/memory for 6000000 embeddings/.test(gmsg) && /vectors=\d+/.test(gmsg) && /desktop app/.test(gmsg),
    "a failed allocation: a clear message and a suggestion", gmsg);
  await growctx.close();
  log(`memory: "${mmsg}" / "${gmsg}"`);

  // Replicas and zones from the URL; a crash and a heal through run()
  // agree with ringscope sim given the same options and steps.
  step = "replicas and zones";
  const replctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const zones = "nodeA=z1,nodeB=z2,nodeC=z3,nodeD=z1,nodeE=z2";
  const rp = await open(replctx, `?replicas=3&zones=${zones}`, "repl");
  let rs = await state(rp);
  check(rs.replicas === 3 && rs.lost === 0 && rs.lost_total === 0 && rs.under_replicated === 0 && sameJson(rs.crashed, []),
    "replicas=3 from the URL, nothing lost or missing", rs);
  const replArgs = ["--replicas", "3", "--zones", zones];
  const replSteps = [];
  // What the live region says, in the words of the honest numbers: a
  // crash moves nothing (keys are promoted or lost), a heal copies.
  const said = {
    "fail nodeB": (t, st) => /^Crashed nodeB: promoted \d+/.test(t) && !/moved|lost|copied/.test(t),
    // A heal copies; keys whose new primary held no copy moved too (the
    // core's figure, shown only when not zero).
    "heal": (t, st) => t.startsWith(st.moved ? `Healed: moved ${st.moved} of 6000, copied ${st.copied} (`
                                             : `Healed: copied ${st.copied} (`) && (st.moved > 0) === /moved/.test(t),
    "replicas 1": (t) => !/moved 0\b/.test(t),
    "fail nodeC": (t, st) => t.startsWith(`Crashed nodeC: lost ${st.lost} of 6000`) && !/moved/.test(t),
  };
  for (const c of ["fail nodeB", "heal", "replicas 1", "fail nodeC"]) {
    step = `replicas: run("${c}")`;
    replSteps.push("--do", c);
    rs = await rp.evaluate((cmd) => window.ringscope.run(cmd), c);
    await settled(rp);
    const spoken = await rp.evaluate(() => new Promise((done) => setTimeout(() =>
      done(document.getElementById("announce").textContent), 200)));
    check(said[c](spoken, rs), `the live region reports "${c}" in the honest vocabulary`, { spoken, state: rs });
    const ref = sim([...replArgs, ...replSteps]);
    compareWithSim(rs, ref, `replicas after ${c}`);
    check(rs.replicas === ref.replicas && rs.lost_total === ref.lost_total && rs.under_replicated === ref.under_replicated &&
          sameJson(rs.crashed, ref.crashed) && rs.copied === ref.copied && rs.copied_bytes === ref.copied_bytes &&
          rs.promoted === ref.promoted && rs.lost === ref.lost,
      `after ${c}: the page's replication figures are sim's`,
      { page: rs, sim: { replicas: ref.replicas, lost: ref.lost, lost_total: ref.lost_total,
        under: ref.under_replicated, crashed: ref.crashed, copied: ref.copied, copied_bytes: ref.copied_bytes,
        promoted: ref.promoted } });
  }
  check(rs.lost > 0 && rs.lost_total === rs.lost && sameJson(rs.crashed, ["nodeB", "nodeC"]),
    "one copy: the second crash lost data", rs);
  await settled(rp);
  await noMissingGlyphs(rp, "crashed nodes (their ✕), the replication line");
  check(fontRequests.repl.length === 0, "replicas and crashes fetch no font", fontRequests.repl);
  await canvasShot(rp, "replicas.png");
  check(problems("repl").length === 0, "no console errors or warnings with replicas", problems("repl"));
  log(`replicas=3&zones=…: fail, heal, replicas 1, fail agree with ringscope sim (lost ${rs.lost_total})`);
  await replctx.close();

  // Issue 22's steps: defaults, Tab ×3 selects nodeC, X crashes it with its
  // only copy: lost, not moved, and no node counts the lost keys; X again
  // brings it back empty (keys 0); E has nothing to copy.
  step = "a crash at one copy";
  const r1ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const r1 = await open(r1ctx, "", "crash-r1");
  await r1.evaluate(() => document.getElementById("canvas").focus());
  for (let i = 0; i < 3; i++) await r1.keyboard.press("Tab");
  await waitFor(r1, () => window.ringscope.state().nodes.find((n) => n.id === "nodeC").selected, null, "Tab ×3 to select nodeC");
  const spoken = async () => r1.evaluate(() => new Promise((done) => setTimeout(() =>
    done(document.getElementById("announce").textContent), 200)));
  await r1.keyboard.press("KeyX");
  await waitFor(r1, () => window.ringscope.state().crashed.length === 1, null, "X to crash nodeC");
  await settled(r1);
  let r1s = await state(r1);
  let r1ref = sim(["--do", "fail nodeC"]);
  compareWithSim(r1s, r1ref, "after X");
  const held = (st) => st.nodes.reduce((sum, n) => sum + n.keys, 0);
  check(r1s.lost === 1071 && r1s.lost_total === 1071 && r1s.moved === 0 && r1s.promoted === 0 &&
        held(r1s) === 6000 - r1s.lost_total,
    "X at one copy: 1071 lost, nothing moved or promoted, no node counts the lost keys",
    { lost: r1s.lost, moved: r1s.moved, promoted: r1s.promoted, held: held(r1s) });
  let said1 = await spoken();
  check(said1 === "Crashed nodeC: lost 1071 of 6000", "the live region says the crash lost keys, nothing moved", said1);
  await canvasShot(r1, "crash-r1.png");
  await r1.keyboard.press("KeyX");
  await waitFor(r1, () => window.ringscope.state().crashed.length === 0, null, "X again to recover nodeC");
  await settled(r1);
  r1s = await state(r1);
  r1ref = sim(["--do", "fail nodeC", "--do", "recover nodeC"]);
  compareWithSim(r1s, r1ref, "after X again");
  check(r1s.nodes.find((n) => n.id === "nodeC").keys === 0 && held(r1s) === 6000 - 1071,
    "recovered nodeC holds no keys; the lost ones are still nobody's", r1s.nodes);
  said1 = await spoken();
  check(said1.startsWith("Recovered nodeC") && !/1071/.test(said1), "the recovery moves none of the lost keys", said1);
  await canvasShot(r1, "crash-r1-recovered.png");
  await r1.keyboard.press("KeyE");
  await waitFor(r1, () => /Healed: nothing to copy/.test(document.getElementById("announce").textContent), null,
    "E to say there is nothing to copy");
  r1s = await state(r1);
  check(r1s.lost === 0 && r1s.lost_total === 1071 && r1s.copied === 0, "heal with nothing to copy changes no figure", r1s);
  check(problems("crash-r1").length === 0, "no console errors or warnings (crash at one copy)", problems("crash-r1"));
  log(`Tab ×3, X, X, E: lost 1071, nodeC back with 0 keys, "${said1}"`);

  // Shards: state() has the map's figures, as sim --json writes them, and
  // the live region counts whole shards.
  step = "shards";
  const sh = await open(r1ctx, "?strategy=shards", "shards");
  let shs = await state(sh);
  let shref = sim(["--strategy", "shards"]);
  check(shs.shards === 64 && sameJson(shs.shard_counts, shref.shard_counts) && sameJson(shs.shard_ranges, shref.shard_ranges),
    "?strategy=shards: the page's shard map is sim's", { page: shs.shard_counts, sim: shref.shard_counts });
  shs = await sh.evaluate(() => window.ringscope.run("add nodeF"));
  await settled(sh);
  shref = sim(["--strategy", "shards", "--do", "add nodeF"]);
  shs = await state(sh);
  check(shs.shards_primaries_moved === 10 && shs.moved === shref.moved && sameJson(shs.shard_counts, shref.shard_counts),
    "add nodeF under shards: 10 shards moved whole, as sim", { page: shs, sim: shref.shard_counts });
  const shSaid = await sh.evaluate(() => new Promise((done) => setTimeout(() =>
    done(document.getElementById("announce").textContent), 200)));
  check(shSaid === `Added nodeF: moved 10 shards, ${shref.moved} of 6000 keys`, "the live region counts whole shards", shSaid);
  await canvasShot(sh, "shards.png");
  check(problems("shards").length === 0, "no console errors or warnings (shards)", problems("shards"));
  log(`?strategy=shards: add nodeF moves 10 shards, ${shref.moved} keys, as sim`);
  await r1ctx.close();

  // 9f. Reduced motion (prefers-reduced-motion: reduce): a change's motion
  // takes a third of its time, and under-replicated keys glow without
  // pulsing, so a settled page that shows them draws nothing.
  step = "reduced motion";
  const motion = {};
  for (const reduce of [false, true]) {
    const mctx = await browser.newContext({ viewport: { width: 1000, height: 600 }, reducedMotion: reduce ? "reduce" : "no-preference" });
    const label = reduce ? "motion-reduced" : "motion-normal";
    const mp3 = await open(mctx, "?vectors=3000&replicas=2", label);
    await settled(mp3);
    const tm0 = Date.now();
    await mp3.evaluate(() => window.ringscope.run("add nodeF"));
    await settled(mp3);
    const seconds = (Date.now() - tm0) / 1000;
    await mp3.evaluate(() => window.ringscope.run("fail nodeB"));
    await settled(mp3);
    await mp3.waitForTimeout(500);
    const under = (await state(mp3)).under_replicated;
    const fm0 = (await info(mp3)).frames;
    await mp3.waitForTimeout(3000);
    const frames = (await info(mp3)).frames - fm0;
    motion[label] = { seconds, frames, idle: (await state(mp3)).idle, under };
    check(under > 0, "the crash left keys under-replicated", under);
    if (reduce) await canvasShot(mp3, "reduced-motion.png");
    check(problems(label).length === 0, `no console errors or warnings (${label})`, problems(label));
    await mctx.close();
  }
  const [mn, mr] = [motion["motion-normal"], motion["motion-reduced"]];
  check(mn.frames >= 5 && !mn.idle, "without the preference under-replicated keys pulse (frames go on)", mn);
  check(mr.frames <= 2 && mr.idle, "with reduced motion they glow steadily: a settled page draws nothing", mr);
  check(mr.seconds < 0.6 * mn.seconds, `with reduced motion a change settles sooner (${mr.seconds.toFixed(2)} s vs ${mn.seconds.toFixed(2)} s)`);
  log(`reduced motion: add settles in ${mr.seconds.toFixed(2)} s (normal ${mn.seconds.toFixed(2)} s); ` +
      `under-replicated keys: ${mr.frames} frames in 3 s (normal ${mn.frames})`);

  // Past SCENE_LOD_MAX the clouds are thinned; WebGL caps a vertex stride
  // at 255 bytes, so they must not be read with k-times strides.
  for (const n of [2000000, 10000000]) {
    step = `clouds at ${n}`;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 742 } });
    const bp2 = n === 10000000 ? await openWatchingBuild(ctx, `?vectors=${n}`, `big${n}`) : await open(ctx, `?vectors=${n}`, `big${n}`);
    await settled(bp2);
    const png = await bp2.locator("#canvas").screenshot({ timeout: 20_000 });
    writeFileSync(path.join(OUT, `clouds-${n}.png`), png);
    const img = decodePng(png);
    const bi = await info(bp2);
    const bs = await state(bp2);
    check(bs.vectors === n, "the page holds them all", bs.vectors);
    for (const nd of bs.nodes) {
      const at = bi.node_px[nd.id];
      const hits = cloudPixels(img, at[0], at[1], PALETTE[bs.nodes.indexOf(nd)]);
      check(hits > 100, `${nd.id}'s cloud is drawn at ${n} embeddings (${hits} px)`);
    }
    check(problems(`big${n}`).length === 0, "no console errors or warnings", problems(`big${n}`));
    await ctx.close();
  }

  // 11. Frame rate at 6,000 and 1,000,000 embeddings (1280x720 canvas).
  for (const n of [6000, 1000000]) {
    step = `fps at ${n}`;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 742 } });
    const fp = await open(ctx, `?vectors=${n}`, `fps${n}`);
    const fi = await info(fp);
    check(fi.fb[0] === 1280 && fi.fb[1] === 720, "1280x720 drawable for the fps measurement", fi.fb);
    const fps = await measureFps(fp, FPS_SECONDS);
    check(fps > 0.5, `frames keep coming while panning at ${n} embeddings`, fps);
    if (n === 1000000) compareWithSim(await state(fp), sim(["--vectors", "1000000"]), "1,000,000 embeddings");
    results[`fps_${n}`] = fps;
    log(`${n} embeddings, 1280x720: ${fps.toFixed(1)} frames/s while panning (headless Chromium, SwiftShader)`);
    check(problems(`fps${n}`).length === 0, "no console errors or warnings", problems(`fps${n}`));
    await ctx.close();
  }

  log(`PASSED in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  writeFileSync(path.join(OUT, "results.json"), JSON.stringify(results, null, 2));
  clearTimeout(watchdog);
  await browser.close();
} catch (e) {
  console.error(`browser test: FAILED at step "${step}":\n${e instanceof Failure ? e.message : e.stack}`);
  if (mainPage && !mainPage.isClosed()) {
    try {
      const shotPath = path.join(OUT, "failure.png");
      await mainPage.screenshot({ path: shotPath, timeout: 10_000 });
      console.error(`  screenshot of the main page: ${shotPath}`);
      console.error(`  state: ${JSON.stringify(await state(mainPage)).slice(0, 2000)}`);
      console.error(`  info: ${JSON.stringify(await info(mainPage)).slice(0, 2000)}`);
    } catch (_) { /* the page may be gone */ }
  }
  console.error("  console (last 40 lines):\n    " + consoleSeen.slice(-40).join("\n    "));
  clearTimeout(watchdog);
  await browser.close().catch(() => {});
  process.exit(1);
}
