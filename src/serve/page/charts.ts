/** The page's charts: the one drawing lives in `src/charts.ts`, shared with the CNIL draft. */
export { barChart, columnChart, dataTable, MAX_LABEL, type ChartText, type Datum } from '../../charts.js';
