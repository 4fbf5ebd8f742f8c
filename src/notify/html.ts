/**
 * The CNIL draft as one self-contained HTML file (no script, no external resource): styles
 * inline, the per-class counts drawn by the web page's own SVG bar chart.
 */
import { barChart, type ChartText } from '../charts.js';
import { html, type Html } from '../html.js';
import type { Block, DraftDocument } from './document.js';

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2937;max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;color:#1e3a8a;margin-bottom:.2rem}h2{font-size:1.15rem;color:#1e3a8a;border-bottom:2px solid #dbeafe;padding-bottom:.2rem;margin-top:2rem}
.subtitle{color:#4b5563;margin-top:0}.notice{background:#eff6ff;border-left:4px solid #1d4ed8;padding:.6rem 1rem}
.todo{background:#fff7ed;border:1px solid #fdba74;border-radius:6px;padding:.6rem 1rem}.todo h2{border:0;margin-top:.2rem;color:#9a3412}
dl{display:grid;grid-template-columns:minmax(12rem,1fr) 2fr;gap:.3rem 1rem;margin:0}dt{font-weight:600;color:#374151}dd{margin:0}
.missing{background:#fef3c7;color:#92400e;font-weight:700;padding:0 .3rem;border-radius:3px}
table{border-collapse:collapse;width:100%;margin-top:1rem}th,td{border-bottom:1px solid #e5e7eb;padding:.3rem .5rem;text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.chart{margin-top:.5rem}figure{margin:1.2rem 0}figcaption{font-weight:600}footer{margin-top:2rem;color:#6b7280;font-size:.85rem}
@media print{body{margin:0}.todo,.notice{break-inside:avoid}}`;

function block(b: Block, todo: string, lang: string, format: (n: number) => string, id: string): Html {
  switch (b.kind) {
    case 'fields':
      return html`<dl>${b.rows.map((r) => html`<dt>${r.label}</dt><dd>${r.value === null ? html`<span class="missing">« ${todo} »</span>` : r.value}</dd>`)}</dl>`;
    case 'para':
      return b.strong ? html`<p><strong>${b.text}</strong></p>` : html`<p>${b.text}</p>`;
    case 'list':
      return html`<ul>${b.items.map((i) => html`<li>${i}</li>`)}</ul>`;
    case 'table':
      return html`<table><thead><tr>${b.head.map((h, i) => html`<th scope="col" class="${b.numeric[i] ? 'num' : ''}">${h}</th>`)}</tr></thead><tbody>${b.rows.map(
        (r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td class="${b.numeric[i] ? 'num' : ''}">${c}</td>`))}</tr>`,
      )}</tbody></table>`;
    case 'chart': {
      const text: ChartText = { title: b.title, desc: b.desc, tableSummary: '', headers: ['', ''], format };
      return html`<figure lang="${lang}"><figcaption>${b.title}</figcaption>${barChart(id, b.data, text)}</figure>`;
    }
  }
}

/**
 * The draft's content (title, notice, fields still to complete, sections, chart), without a
 * document around it or styles: for a page that has its own stylesheet (the organisation view
 * of `vigie serve`, whose CSP forbids inline styles). Its classes are those of `CSS` below.
 * @example draftBody(layOut(draft), (n) => n.toLocaleString('fr-FR'))
 */
export function draftBody(doc: DraftDocument, format: (n: number) => string, headingLevel: 1 | 2 = 1): Html {
  let seq = 0;
  const sections = doc.sections.map(
    (s) => html`<section><h2>${s.title}</h2>${s.blocks.map((b) => block(b, doc.toComplete, doc.lang, format, `chart-${++seq}`))}</section>`,
  );
  const todo = doc.todo.length > 0 ? html`<ul>${doc.todo.map((t) => html`<li>${t}</li>`)}</ul>` : html`<p>${doc.todoNone}</p>`;
  const title = headingLevel === 1 ? html`<h1>${doc.title}</h1>` : html`<h2 class="draft-title">${doc.title}</h2>`;
  return html`<header>${title}<p class="subtitle">${doc.subtitle}</p></header>
<p class="notice">${doc.disclaimer}</p>
<aside class="todo"><h2>${doc.todoTitle} (${doc.todo.length})</h2>${todo}</aside>
${sections}
<footer>${doc.generated}</footer>`;
}

/** @example renderHtml(layOut(draft), (n) => n.toLocaleString('fr-FR')) */
export function renderHtml(doc: DraftDocument, format: (n: number) => string): string {
  const page = html`<!doctype html>
<html lang="${doc.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${doc.title}</title><style>${CSS}</style></head>
<body>${draftBody(doc, format)}</body></html>
`;
  return page.value;
}
