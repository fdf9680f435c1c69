// keyline-engine: Keyline's rules engine (Rust compiled to WebAssembly), ready as soon as it is
// imported. The optimised wasm is inlined as base64 (keyline_engine_wasm.js) and instantiated
// with wasm-bindgen's `initSync`, so nothing is fetched or read from disk: it works the same in
// Node 18+ and in bundlers.
import { initSync, evaluate as evaluateJson, maxText } from './keyline_engine.js';
import { wasm } from './keyline_engine_wasm.js';

function bytesOf(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

initSync({ module: bytesOf(wasm) });

/** The largest scenario `evaluate` accepts, in UTF-8 bytes (a share link's limit). */
export const MAX_TEXT = maxText();

/**
 * Evaluates a scenario: the same report object as `keyline run --json` prints. Parse errors
 * are in the report (`errors`), never thrown. Throws a `TypeError` for a non-string and a
 * `RangeError` with `code: 'TEXT_TOO_LARGE'` for a text over `MAX_TEXT` bytes.
 */
export function evaluate(text) {
  if (typeof text !== 'string') {
    throw new TypeError('evaluate(text): text must be a string');
  }
  const value = JSON.parse(evaluateJson(text));
  if (value.error) {
    const error = new RangeError(value.error.message);
    error.code = value.error.code;
    throw error;
  }
  return value;
}
