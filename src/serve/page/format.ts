/** The page's dates and numbers: the one rule lives in `src/format.ts`, shared with the alert messages. */
export { capitalise, countOf, formatDate, formatNumber } from '../../format.js';
