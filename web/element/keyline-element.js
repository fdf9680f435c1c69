// <keyline-scenario>: a code block that knows its verdicts, for documentation pages.
//
//   <script type="module" src="keyline-element.js"></script>
//   <keyline-scenario view="board"><pre>
//     key create k1
//     expect ok
//   </pre></keyline-scenario>
//
// The scenario is the element's text (its common indentation removed) or a same-origin
// `src="file.kl"`. Until the engine has run, and without JavaScript at all, that text stays in
// the page as a readable code block (the light DOM, shown through a <slot>). The engine is the
// light keyline_engine wasm (crates/wasm: the rules engine and the static renderer, no app),
// downloaded and instantiated ONCE per page, when the first element comes within 200 px of the
// viewport; from then on every element on the page renders at once (docs readers jump with
// links and Find; a docs example evaluates in well under a millisecond).
//
// What is shown is the renderer's HTML (keyline_render, the same as `keyline render`), whose
// every text is escaped by the renderer; user text never reaches innerHTML otherwise. Under a
// Content-Security-Policy the page needs only `script-src 'self' 'wasm-unsafe-eval'` and
// `style-src 'self'`: no inline script or style is used (styles come from keyline-element.css
// beside this module, linked into each shadow root).
//
// Attributes: view="board|graph", editable, src, app (the full app's URL for "Open in
// Keyline"; default: index.html beside this module). After every evaluation the host gets
// data-summary="N passed, M failed" and fires `keyline-result` (bubbling, composed) with
// {passed, failed, steps: [{line, outcome, code}]}. Errors (a text over the limit, a failing
// src, an engine that cannot load) show inside that element only, with role="alert".

const ENGINE_URL = new URL('./keyline_engine.js', import.meta.url).href;
const STYLESHEET_URL = new URL('./keyline-element.css', import.meta.url).href;
const DEFAULT_APP_URL = new URL('./index.html', import.meta.url).href;
/** How near the viewport (px) an element must come before the engine is loaded. */
const ROOT_MARGIN = '200px';
/** Typing pause (ms) before an editable element evaluates again. */
const EDIT_DELAY = 150;

/** The one engine of the page: a promise of the wasm-bindgen module, made once. */
let engine = null;
/** Every connected element, to render when the engine is ready. */
const elements = new Set();
let observer = null;

function loadEngine() {
  if (engine === null) {
    engine = import(ENGINE_URL).then(async (module) => {
      await module.default();
      return module;
    });
    if (observer !== null) {
      observer.disconnect();
      observer = null;
    }
    engine.then(
      () => { for (const element of elements) { element.update(); } },
      (error) => {
        for (const element of elements) { element.engineFailed(error); }
      },
    );
  }
  return engine;
}

/** Loads the engine when any element comes near the viewport (at once without an observer). */
function watch(element) {
  if (engine !== null) {
    return;
  }
  if (typeof IntersectionObserver !== 'function') {
    loadEngine();
    return;
  }
  if (observer === null) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        loadEngine();
      }
    }, { rootMargin: ROOT_MARGIN });
  }
  observer.observe(element);
}

/** The text with blank first and last lines dropped and the common indentation removed. */
export function dedent(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0].trim() === '') { lines.shift(); }
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') { lines.pop(); }
  let common = null;
  for (const line of lines) {
    if (line.trim() === '') { continue; }
    const indent = /^[ \t]*/.exec(line)[0];
    if (common === null) {
      common = indent;
    } else {
      let i = 0;
      while (i < common.length && i < indent.length && common[i] === indent[i]) { i += 1; }
      common = common.slice(0, i);
    }
  }
  const cut = common === null ? 0 : common.length;
  if (lines.length === 0) { return ''; }
  return `${lines.map((line) => (line.trim() === '' ? '' : line.slice(cut))).join('\n')}\n`;
}

function make(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) { node.setAttribute(name, value); }
  if (text !== null) { node.textContent = text; }
  return node;
}

class KeylineScenario extends HTMLElement {
  static get observedAttributes() { return ['view', 'src', 'editable', 'app']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._srcText = null;
    this._srcFor = null;
    this._editTimer = 0;
    this._generation = 0;
    this._output = null;
    this._editor = null;
    this._editorBox = null;
    const root = this.shadowRoot;
    root.append(
      make('link', { rel: 'stylesheet', href: STYLESHEET_URL }),
      make('div', { class: 'kl-element', part: 'container' }),
    );
    this._container = root.lastChild;
    // Until the first render the page's own text (light DOM) is shown as it is.
    this._container.append(make('slot'));
    this._lightObserver = new MutationObserver(() => {
      if (!this.hasAttribute('src')) { this.update(); }
    });
  }

  /** The scenario text last evaluated (or about to be): what `keyline` would be given. */
  get scenario() {
    if (this._editor) { return this._editor.value; }
    if (this.hasAttribute('src')) { return this._srcText ?? ''; }
    return dedent(this.textContent ?? '');
  }

  connectedCallback() {
    elements.add(this);
    this._lightObserver.observe(this, { childList: true, characterData: true, subtree: true });
    if (engine === null) {
      this.dataset.state = 'waiting';
      watch(this);
    } else {
      this.update();
    }
  }

  disconnectedCallback() {
    elements.delete(this);
    this._lightObserver.disconnect();
    if (observer !== null) { observer.unobserve(this); }
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.isConnected || engine === null) { return; }
    if (name === 'editable') { this._editor = null; }
    if (name === 'src') { this._srcText = null; this._srcFor = null; this._editor = null; }
    this.update();
  }

  engineFailed(error) {
    this.showError(`The Keyline engine could not be loaded (${error && error.message ? error.message : error}). The scenario is shown as written.`);
  }

  /** Shows `message` (as text) in this element only, keeping the scenario readable. */
  showError(message) {
    const alert = make('p', { class: 'kl-element-error', role: 'alert' }, message);
    // An editable element keeps its editor (nothing typed is lost); any other shows the
    // page's own text again.
    this.arrange(this._editor ? [this._editorBox, alert] : [alert, make('slot')]);
    this.dataset.state = 'error';
    this.removeAttribute('data-summary');
  }

  /** Makes `nodes` the container's children, in order, without moving a node already in
   *  its place: moving the editor would take the focus (and the caret) from it. */
  arrange(nodes) {
    for (const child of Array.from(this._container.childNodes)) {
      if (!nodes.includes(child)) { child.remove(); }
    }
    nodes.forEach((node, i) => {
      const there = this._container.childNodes[i] || null;
      if (there !== node) { this._container.insertBefore(node, there); }
    });
  }

  /** Reads the scenario (fetching `src` when needed), then renders it. */
  async update() {
    const generation = ++this._generation;
    let module;
    try {
      module = await loadEngine();
    } catch (error) {
      this.engineFailed(error);
      return;
    }
    let text;
    if (this.hasAttribute('src') && !this._editor) {
      try {
        text = await this.fetchSrc();
      } catch (error) {
        if (generation === this._generation) { this.showError(error.message); }
        return;
      }
    } else {
      text = this.scenario;
    }
    if (generation !== this._generation) { return; }
    this.render(module, text);
  }

  async fetchSrc() {
    const src = this.getAttribute('src');
    if (this._srcFor === src && this._srcText !== null) { return this._srcText; }
    const url = new URL(src, document.baseURI);
    if (url.origin !== window.location.origin) {
      throw new Error(`Keyline loads src only from this page's own origin; ${url.href} is on another.`);
    }
    let response;
    try {
      response = await fetch(url, { credentials: 'same-origin' });
    } catch (error) {
      throw new Error(`The scenario ${src} could not be loaded (${error.message}).`);
    }
    if (!response.ok) {
      throw new Error(`The scenario ${src} could not be loaded: ${response.status} ${response.statusText}.`.replace(/ \./, '.'));
    }
    this._srcText = await response.text();
    this._srcFor = src;
    return this._srcText;
  }

  /** Evaluates `text` and puts the renderer's fragment into the shadow root. */
  render(module, text) {
    const app = new URL(this.getAttribute('app') || DEFAULT_APP_URL, document.baseURI).href;
    let result;
    try {
      result = JSON.parse(module.render(text, this.getAttribute('view') || 'code', app));
    } catch (error) {
      this.showError(`Keyline could not evaluate this scenario (${error.message}).`);
      return;
    }
    if (result.error) {
      this.showError(result.error.message);
      return;
    }
    if (!this._output) {
      this._output = make('div', { class: 'kl-output' });
    }
    this._output.innerHTML = result.html; // Escaped by the renderer (keyline_render).
    let wanted = [this._output];
    if (this.hasAttribute('editable')) {
      this.ensureEditor(text);
      wanted = [this._editorBox, this._output];
    } else {
      this._editor = null;
    }
    this.arrange(wanted);
    this.dataset.state = 'ready';
    this.dataset.summary = result.summary;
    // For `cargo xtask bench`: when each element's verdicts were on the page.
    performance.mark('keyline-scenario:verdicts');
    this.dispatchEvent(new CustomEvent('keyline-result', {
      bubbles: true,
      composed: true,
      detail: { passed: result.passed, failed: result.failed, steps: result.steps },
    }));
  }

  /** A labelled textarea (kept across evaluations, so focus and caret stay). */
  ensureEditor(text) {
    if (this._editor) { return; }
    const box = make('div', { class: 'kl-edit' });
    const label = make('label', { for: 'kl-edit-text' }, 'Edit this scenario (verdicts update as you type)');
    const area = make('textarea', {
      id: 'kl-edit-text', class: 'kl-edit-text', spellcheck: 'false', autocomplete: 'off',
      rows: String(Math.min(Math.max(text.split('\n').length, 4), 24)),
    });
    area.value = text;
    area.addEventListener('input', () => {
      clearTimeout(this._editTimer);
      this._editTimer = setTimeout(() => this.update(), EDIT_DELAY);
    });
    box.append(label, area);
    this._editor = area;
    this._editorBox = box;
  }
}

if (!customElements.get('keyline-scenario')) {
  customElements.define('keyline-scenario', KeylineScenario);
}
