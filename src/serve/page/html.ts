/** The page's HTML templates: the one escaping rule lives in `src/html.ts`, shared with the alert messages. */
export { Html, escapeHtml, html, raw } from '../../html.js';
