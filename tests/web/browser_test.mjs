// Browser test of the WebAssembly build: drives Debian's Chromium (headless,
// WebGL2 on SwiftShader) with playwright-core against the site served at
// --url, and holds the page to the desktop `ringscope sim` (--ringscope).
//
//   node tests/web/browser_test.mjs --url http://127.0.0.1:PORT/ \
//        --ringscope build/ringscope --out DIR [--fps-seconds 5]
//
// Every wait is bounded; on failure it prints what the page showed (state,
// info, console) and saves a screenshot into --out. Prints the measured
// frame rates at 6,000 and 1,000,000 embeddings.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

function watch(page, label) {
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
// Frames drawn so far + n: proves drawing goes on.
async function moreFrames(page, n, what) {
  const f = (await info(page)).frames;
  await waitFor(page, (want) => window.ringscope.info().frames >= want, f + n, what);
}
async function settled(page) {
  await waitFor(page, () => window.ringscope.state().settled, null, "the animation to settle", 20_000);
}
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

async function measureFps(page, seconds) {
  await page.waitForTimeout(1500); // past start-up and the first uploads
  const a = await page.evaluate(() => ({ f: window.ringscope.info().frames, t: performance.now() }));
  await page.waitForTimeout(seconds * 1000);
  const b = await page.evaluate(() => ({ f: window.ringscope.info().frames, t: performance.now() }));
  return (b.f - a.f) / ((b.t - a.t) / 1000);
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
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, acceptDownloads: true });
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

  // The fonts fetched after start arrive (whole DejaVu Sans, CJK fallback).
  await waitFor(page, () => Module.fontsLoaded.length === 2, null, "the fonts fetched after start", 60_000);

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
  const tree = await page.locator("body").ariaSnapshot();
  check(!/Loading|Starting/.test(tree) && /Ringscope/.test(tree), "the loader is not in the accessibility tree", tree);

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
  await act(page, "Escape closes help, page stays", () => page.keyboard.press("Escape"), () => !window.ringscope.state().help);
  await moreFrames(page, 3, "frames after Escape");

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
  await page.evaluate(() => window.__lose.restoreContext());
  await waitFor(page, () => { const i = window.ringscope.info(); return i.restores === 1 && !i.lost; }, null, "the context to come back");
  await moreFrames(page, 5, "frames after the restore");
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
  await page.setViewportSize({ width: 960, height: 640 });
  await waitFor(page, () => { const i = window.ringscope.info(); return i.fb[0] === 960 && i.fb[1] === 618; }, null,
    "the drawable to follow the window (960x618)");
  await moreFrames(page, 3, "frames after resize");
  const ri = await info(page);
  check(ri.widgets.add[1] + ri.widgets.add[3] <= 618 && ri.widgets.help[1] + ri.widgets.help[3] <= 618,
    "controls laid out inside the resized canvas", ri.widgets);
  shot = await canvasShot(page, "resized.png");
  check(shot.width === 960 && shot.height === 618 && shot.fraction > 0.03, "resized canvas drawn", shot);
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
  // Then the fonts arrive in the background: the whole DejaVu Sans and the
  // CJK fallback.
  await waitFor(sp, () => Module.fontsLoaded.length === 2, null, "the fonts fetched after start", 60_000);
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
  shot = await canvasShot(cp, "compare.png");
  check(shot.fraction > 0.03, "compare: the canvas is drawn", shot);
  check(problems("compare").length === 0, "no console errors or warnings in compare mode", problems("compare"));
  const sp1 = await open(cmpctx, "?strategy=jump", "strategy");
  const ss = await state(sp1);
  check(ss.strategy === "jump" && ss.compare === false && !ss.panes, "?strategy=jump opens one jump pane", ss);
  check(problems("strategy").length === 0, "no console errors or warnings with ?strategy", problems("strategy"));
  await cmpctx.close();
  log(`?compare=ring,modulo: panes match ringscope sim --compare (moved ${cs.panes.map((q) => q.moved).join(" vs ")}); ?strategy=jump`);

  // 9b. Phones: touch at devicePixelRatio 3, upright and sideways. Every
  // control is on the canvas, finger-sized, and works by a tap; a pinch
  // (two CDP touch points moving apart) zooms.
  for (const [vw, vh] of [[390, 844], [844, 390]]) {
    step = `phone ${vw}x${vh}`;
    const ctx = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 3,
      hasTouch: true, isMobile: true, acceptDownloads: true });
    const label = `phone${vw}`;
    const pp = await open(ctx, "?vectors=3000", label);
    await settled(pp);
    let pi = await info(pp);
    const controls = ["field", "add", "remove", "slider", "rebuild", "vec_minus", "vec_plus", "pause", "reset",
      "shot", "record", "strategy", "help"];
    for (const name of controls) {
      const w = pi.widgets[name];
      check(w && w[2] > 0, `${vw}x${vh}: ${name} is on the canvas`, pi.widgets);
      check(w[3] >= 44 - 0.01 && w[2] >= 44 - 0.01, `${vw}x${vh}: ${name} is at least 44 CSS px tall and wide`, w);
      check(w[0] >= 0 && w[1] >= 0 && w[0] + w[2] <= pi.win[0] + 0.5 && w[1] + w[3] <= pi.win[1] + 0.5,
        `${vw}x${vh}: ${name} inside the canvas`, { w, win: pi.win });
    }
    shot = await canvasShot(pp, `phone-${vw}x${vh}.png`);
    check(shot.fraction > 0.03, `${vw}x${vh}: the ring is drawn`, shot);
    const tap = async (name) => {
      const w = (await info(pp)).widgets[name];
      check(w && w[2] > 0, `${vw}x${vh}: control "${name}" has a rectangle`, w);
      await pp.touchscreen.tap(w[0] + w[2] / 2, w[1] + w[3] / 2);
    };
    const s0 = await state(pp);
    await act(pp, `${vw}x${vh}: tap Add`, () => tap("add"), (n) => window.ringscope.state().nodes.length === n + 1, s0.nodes.length);
    await act(pp, `${vw}x${vh}: tap +1k`, () => tap("vec_plus"), (n) => window.ringscope.state().vectors === n + 1000, s0.vectors);
    await act(pp, `${vw}x${vh}: tap -1k`, () => tap("vec_minus"), (n) => window.ringscope.state().vectors === n, s0.vectors);
    await act(pp, `${vw}x${vh}: tap Pause`, () => tap("pause"), () => window.ringscope.state().paused);
    await act(pp, `${vw}x${vh}: tap Resume`, () => tap("pause"), () => !window.ringscope.state().paused);
    // The slider: a tap near its right end, then Rebuild applies it.
    const sl = (await info(pp)).widgets.slider;
    await act(pp, `${vw}x${vh}: tap the slider`, () => pp.touchscreen.tap(sl[0] + sl[2] * 0.9, sl[1] + sl[3] / 2),
      (v) => window.ringscope.state().slider !== v, s0.slider);
    await act(pp, `${vw}x${vh}: tap Rebuild`, () => tap("rebuild"),
      () => window.ringscope.state().vnodes === window.ringscope.state().slider);
    await act(pp, `${vw}x${vh}: tap the field`, () => tap("field"), () => window.ringscope.state().field_focus);
    // A tap on a node selects it; its weight and Remove then work by tap.
    await settled(pp);
    pi = await info(pp);
    const at = pi.node_px.nodeB;
    await act(pp, `${vw}x${vh}: tap nodeB`, () => pp.touchscreen.tap(at[0], at[1]),
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
    const add = (await info(pp)).widgets.add;
    const cx = pi.win[0] / 2, cy = Math.min(add[1], pi.win[1]) / 2;
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
    await act(pp, `${vw}x${vh}: tap ?`, () => tap("help"), () => window.ringscope.state().help);
    await moreFrames(pp, 2, "the help overlay drawn");
    await canvasShot(pp, `phone-${vw}x${vh}-help.png`);
    await act(pp, `${vw}x${vh}: a tap closes help`, () => pp.touchscreen.tap(cx, cy), () => !window.ringscope.state().help);
    check(problems(label).length === 0, `${vw}x${vh}: no console errors or warnings`, problems(label));
    await ctx.close();
  }

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
  await badctx.close();

  step = "unknown URL parameter";
  const unkctx = await browser.newContext({ viewport: { width: 800, height: 500 } });
  const up = await open(unkctx, "?vectors=3000&colour=red", "unknown");
  const unote = await up.evaluate(() => ({ hidden: document.getElementById("notice").hidden,
    text: document.getElementById("notice").textContent }));
  check(!unote.hidden && /colour/.test(unote.text), "an unknown URL parameter is named on screen", unote);
  check((await state(up)).vectors === 3000, "the known parameters still apply");
  await unkctx.close();

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
  for (const c of ["fail nodeB", "heal", "replicas 1", "fail nodeC"]) {
    step = `replicas: run("${c}")`;
    replSteps.push("--do", c);
    rs = await rp.evaluate((cmd) => window.ringscope.run(cmd), c);
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
  await canvasShot(rp, "replicas.png");
  check(problems("repl").length === 0, "no console errors or warnings with replicas", problems("repl"));
  log(`replicas=3&zones=…: fail, heal, replicas 1, fail agree with ringscope sim (lost ${rs.lost_total})`);
  await replctx.close();

  // Past SCENE_LOD_MAX the clouds are thinned; WebGL caps a vertex stride
  // at 255 bytes, so they must not be read with k-times strides.
  for (const n of [2000000, 10000000]) {
    step = `clouds at ${n}`;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 742 } });
    const bp2 = await open(ctx, `?vectors=${n}`, `big${n}`);
    await settled(bp2);
    await moreFrames(bp2, 3, "frames at this size");
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
    check(fps > 0.5, `frames keep coming at ${n} embeddings`, fps);
    if (n === 1000000) compareWithSim(await state(fp), sim(["--vectors", "1000000"]), "1,000,000 embeddings");
    results[`fps_${n}`] = fps;
    log(`${n} embeddings, 1280x720: ${fps.toFixed(1)} frames/s (headless Chromium, SwiftShader)`);
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
