// Starts the app. A file of its own (not an inline script) so that the page's
// Content-Security-Policy can forbid inline scripts.
import init from './keyline-web.js';

init();
