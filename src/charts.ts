/**
 * Charts drawn on the server as inline SVG, for the web page and the documents drawn outside it
 * (the CNIL draft): a few rectangles and texts, no script, no `style`
 * attribute (the page's CSP forbids inline styles; colours are presentation attributes that the
 * stylesheet may override for a dark theme).
 *
 * Horizontal positions are percentages and the SVG has no viewBox, so bars stretch with the
 * screen while the text keeps its size: labels stay readable on a phone and unblown on a desktop.
 * Each chart is `role="img"` named by its `<title>` and `<desc>`, and followed by its data as a
 * table (WCAG 1.1.1: a text alternative that carries the same information).
 */
import { html, type Html } from './html.js';

/** One bar: what it stands for and its value. */
export interface Datum {
  label: string;
  value: number;
}

/** The words of one chart. */
export interface ChartText {
  /** The chart's name, read first by a screen reader. */
  title: string;
  /** A sentence that says what the chart shows (its main values). */
  desc: string;
  /** The summary of the table's disclosure, e.g. « Voir les données ». */
  tableSummary: string;
  /** The headers of the table's two columns. */
  headers: readonly [string, string];
  /** Formats a value for a label or a cell (the locale's digits and separators). */
  format(n: number): string;
}

const INK = '#1f2937';
const BAR = '#1d4ed8';
const AXIS = '#6b7280';
const FONT = 15;
/** Longest label drawn in full; longer ones end with « … » (the table has them whole). */
export const MAX_LABEL = 42;

function clip(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1).trimEnd()}…` : label;
}

/** A percentage with at most two decimals, as SVG lengths accept it. */
function pct(n: number): string {
  return `${Math.round(n * 100) / 100}%`;
}

function frame(id: string, height: number, text: ChartText, body: Html): Html {
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${text.title}</title><desc id="${id}-desc">${text.desc}</desc>${body}</svg>`;
}

/** The data of a chart as a table, behind a disclosure that works without script. */
export function dataTable(data: readonly Datum[], text: ChartText): Html {
  const rows = data.map((d) => html`<tr><th scope="row">${d.label}</th><td>${text.format(d.value)}</td></tr>`);
  return html`<details class="chart-data"><summary>${text.tableSummary}</summary><table><caption>${text.title}</caption><thead><tr><th scope="col">${text.headers[0]}</th><th scope="col">${text.headers[1]}</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

const ROW = 56;
/** Bars stop short of the right edge, where the value is written. */
const BAR_SPAN = 70;

/**
 * Horizontal bars, one row per datum in the given order: the label on a line of its own, the
 * bar below it, the value at the right edge.
 * @example barChart('people', [{ label: 'Agence', value: 300 }], text)
 */
export function barChart(id: string, data: readonly Datum[], text: ChartText): Html {
  const max = Math.max(1, ...data.map((d) => d.value));
  const rows = data.map((d, i) => {
    const y = i * ROW;
    const width = d.value > 0 ? Math.max(0.5, (d.value / max) * BAR_SPAN) : 0;
    return html`<g><text x="0" y="${y + 16}" fill="${INK}" font-size="${FONT}" class="chart-label">${clip(d.label)}</text><rect x="0" y="${y + 24}" width="${pct(width)}" height="22" rx="3" fill="${BAR}" class="chart-bar"></rect><text x="100%" y="${y + 40}" text-anchor="end" fill="${INK}" font-size="${FONT}" font-weight="600" class="chart-value">${text.format(d.value)}</text></g>`;
  });
  return frame(id, Math.max(ROW, data.length * ROW), text, html`${rows}`);
}

const PLOT_TOP = 26;
const PLOT_HEIGHT = 150;
/** At most this many labels under the columns; beyond, one in every few. */
const MAX_TICKS = 8;

/**
 * Vertical columns, left to right in the given order (years, oldest first), each with its value
 * above it and its label below.
 * @example columnChart('years', [{ label: '2024', value: 2 }, { label: '2025', value: 1 }], text)
 */
export function columnChart(id: string, data: readonly Datum[], text: ChartText): Html {
  const max = Math.max(1, ...data.map((d) => d.value));
  const slot = 100 / Math.max(1, data.length);
  const every = Math.ceil(data.length / MAX_TICKS);
  const base = PLOT_TOP + PLOT_HEIGHT;
  const columns = data.map((d, i) => {
    const h = Math.round((d.value / max) * PLOT_HEIGHT);
    const centre = pct((i + 0.5) * slot);
    const label =
      i % every === 0 || i === data.length - 1
        ? html`<text x="${centre}" y="${base + 22}" text-anchor="middle" fill="${INK}" font-size="${FONT}" class="chart-label">${d.label}</text>`
        : '';
    const value =
      d.value > 0
        ? html`<text x="${centre}" y="${base - h - 6}" text-anchor="middle" fill="${INK}" font-size="${FONT}" font-weight="600" class="chart-value">${text.format(d.value)}</text>`
        : '';
    return html`<g><rect x="${pct(i * slot + slot * 0.2)}" y="${base - h}" width="${pct(slot * 0.6)}" height="${h}" rx="3" fill="${BAR}" class="chart-bar"></rect>${value}${label}</g>`;
  });
  const axis = html`<line x1="0" x2="100%" y1="${base + 0.5}" y2="${base + 0.5}" stroke="${AXIS}" stroke-width="1" class="chart-axis"></line>`;
  return frame(id, base + 32, text, html`${columns}${axis}`);
}
