// The host side of Keyline's embed API (SPEC §7): wait for keyline:ready, send keyline:load,
// show every keyline:result, follow keyline:resize. Messages are accepted only from the frame.
const frame = document.getElementById('demo-frame');
const send = document.getElementById('demo-send');
const status = document.getElementById('demo-status');
const summary = document.getElementById('demo-summary');
const steps = document.getElementById('demo-steps');
const scenario = document.getElementById('demo-scenario');

function load() {
  frame.contentWindow.postMessage({ type: 'keyline:load', scenario: scenario.value }, '*');
}

window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow || typeof event.data !== 'object' || event.data === null) {
    return;
  }
  const msg = event.data;
  if (msg.type === 'keyline:ready') {
    status.textContent = 'Embed ready.';
    send.disabled = false;
    load();
  } else if (msg.type === 'keyline:result') {
    summary.textContent = `${msg.passed} passed, ${msg.failed} failed`;
    summary.dataset.passed = String(msg.passed);
    summary.dataset.failed = String(msg.failed);
    steps.replaceChildren(...msg.steps.map((s) => {
      const li = document.createElement('li');
      li.dataset.line = String(s.line);
      li.dataset.outcome = s.outcome;
      li.textContent = `line ${s.line}: ${s.outcome}${s.code ? ' ' + s.code : ''}`;
      return li;
    }));
  } else if (msg.type === 'keyline:resize' && typeof msg.height === 'number') {
    frame.height = String(Math.min(Math.max(msg.height, 200), 2000));
  }
});

send.addEventListener('click', load);
