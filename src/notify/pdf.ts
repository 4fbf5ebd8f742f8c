/**
 * The CNIL draft as a PDF (pdfkit), A4, with the per-class counts drawn as vector bars.
 *
 * Fonts: pdfkit's standard Helvetica is encoded in WinAnsi (Windows-1252), which covers French
 * whole (é à ç œ Œ « » ’ € …), so no font file is embedded and nothing is needed from the
 * system. What WinAnsi lacks is mapped: the narrow no-break space of French number
 * formatting becomes a no-break space, and any other character outside it becomes « ? »
 * (operator text in other scripts; see the README).
 *
 * pdfkit is imported when a PDF is asked for: loading it takes most of a second, which every
 * other `vigie` command would otherwise pay at start-up.
 */
import type { Block, DraftDocument, FieldRow } from './document.js';

const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const SPACES = /[\u2007\u2009\u202f]/g;

/** Text as Helvetica's WinAnsi encoding can draw it. */
export function toWinAnsi(text: string): string {
  return text.replace(SPACES, '\u00a0').replace(/[^\n\u0020-\u007e\u00a0-\u00ff]/gu, (c) => (WIN_ANSI_EXTRA.includes(c) ? c : '?'));
}

const BLUE = '#1e3a8a';
const BAR = '#1d4ed8';
const INK = '#1f2937';
const MUTED = '#4b5563';
const RULE = '#dbeafe';
const AMBER_BG = '#fef3c7';
const AMBER_INK = '#92400e';
const MARGIN = 56;
const LABEL_WIDTH = 185;
const GAP = 12;

type Doc = PDFKit.PDFDocument;

/** Everything the drawing needs: the document and the usable width. */
interface Pen {
  doc: Doc;
  width: number;
  bottom: number;
}

function ensure(p: Pen, height: number): void {
  if (p.doc.y + height > p.bottom) p.doc.addPage();
}

function heading(p: Pen, title: string): void {
  const { doc } = p;
  ensure(p, 60);
  doc.moveDown(0.8);
  doc.font('Helvetica-Bold').fontSize(12.5).fillColor(BLUE).text(toWinAnsi(title), MARGIN, doc.y, { width: p.width });
  const y = doc.y + 2;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + p.width, y)
    .lineWidth(1.5)
    .strokeColor(RULE)
    .stroke();
  doc.y = y + 6;
}

function fields(p: Pen, rows: FieldRow[], todo: string): void {
  const { doc } = p;
  const valueWidth = p.width - LABEL_WIDTH - GAP;
  for (const r of rows) {
    const label = toWinAnsi(r.label);
    const value = r.value === null ? `« ${todo} »` : toWinAnsi(r.value);
    doc.font('Helvetica-Bold').fontSize(9.5);
    const hl = doc.heightOfString(label, { width: LABEL_WIDTH });
    doc.font(r.value === null ? 'Helvetica-Bold' : 'Helvetica').fontSize(9.5);
    const hv = doc.heightOfString(value, { width: valueWidth });
    const h = Math.max(hl, hv);
    ensure(p, h + 6);
    const y = doc.y;
    doc.font('Helvetica-Bold').fillColor(MUTED).text(label, MARGIN, y, { width: LABEL_WIDTH });
    if (r.value === null) {
      const w = doc.font('Helvetica-Bold').widthOfString(value);
      doc.rect(MARGIN + LABEL_WIDTH + GAP - 3, y - 2, w + 6, hv + 3).fill(AMBER_BG);
      doc.fillColor(AMBER_INK).text(value, MARGIN + LABEL_WIDTH + GAP, y, { width: valueWidth });
    } else {
      doc
        .font('Helvetica')
        .fillColor(INK)
        .text(value, MARGIN + LABEL_WIDTH + GAP, y, { width: valueWidth });
    }
    doc.y = y + h + 5;
  }
}

function paragraph(p: Pen, text: string, strong: boolean): void {
  const t = toWinAnsi(text);
  p.doc.font(strong ? 'Helvetica-Bold' : 'Helvetica').fontSize(strong ? 11 : 9.5);
  ensure(p, p.doc.heightOfString(t, { width: p.width }) + 6);
  p.doc.fillColor(INK).text(t, MARGIN, p.doc.y, { width: p.width });
  p.doc.moveDown(0.4);
}

function bullets(p: Pen, items: string[]): void {
  const { doc } = p;
  for (const item of items) {
    const t = toWinAnsi(item);
    doc.font('Helvetica').fontSize(9.5);
    const h = doc.heightOfString(t, { width: p.width - 14 });
    ensure(p, h + 4);
    const y = doc.y;
    doc.circle(MARGIN + 4, y + 5, 1.8).fill(BAR);
    doc.fillColor(INK).text(t, MARGIN + 14, y, { width: p.width - 14 });
    doc.y = y + h + 4;
  }
}

function table(p: Pen, b: Extract<Block, { kind: 'table' }>): void {
  const { doc } = p;
  const widths = [0.27, 0.39, 0.18, 0.16].map((f) => f * p.width);
  const row = (cells: readonly string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(toWinAnsi(c), { width: (widths[i] ?? 60) - 8 })));
    ensure(p, h + 8);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      const w = widths[i] ?? 60;
      doc.fillColor(bold ? MUTED : INK).text(toWinAnsi(c), x + 4, y + 3, { width: w - 8, align: b.numeric[i] ? 'right' : 'left' });
      x += w;
    });
    doc
      .moveTo(MARGIN, y + h + 6)
      .lineTo(MARGIN + p.width, y + h + 6)
      .lineWidth(0.5)
      .strokeColor('#e5e7eb')
      .stroke();
    doc.y = y + h + 7;
  };
  doc.moveDown(0.5);
  row(b.head, true);
  for (const r of b.rows) row(r, false);
}

/** Horizontal bars drawn as vector rectangles: label left, bar, value at the right edge. */
function chart(p: Pen, b: Extract<Block, { kind: 'chart' }>, format: (n: number) => string): void {
  const { doc } = p;
  if (b.data.length === 0) return;
  const rowH = 18;
  const labelW = 150;
  const valueW = 70;
  const barW = p.width - labelW - valueW - 8;
  ensure(p, 24 + rowH * Math.min(b.data.length, 4));
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(toWinAnsi(b.title), MARGIN, doc.y, { width: p.width });
  doc.moveDown(0.3);
  const max = Math.max(1, ...b.data.map((d) => d.value));
  for (const d of b.data) {
    ensure(p, rowH);
    const y = doc.y;
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(INK)
      .text(toWinAnsi(d.label), MARGIN, y + 3, { width: labelW - 6, lineBreak: false, ellipsis: true });
    doc.rect(MARGIN + labelW, y + 2, barW, rowH - 6).fill('#eef2ff');
    const w = d.value > 0 ? Math.max(1, (d.value / max) * barW) : 0;
    if (w > 0) doc.rect(MARGIN + labelW, y + 2, w, rowH - 6).fill(BAR);
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .fillColor(INK)
      .text(toWinAnsi(format(d.value)), MARGIN + labelW + barW + 8, y + 3, { width: valueW, align: 'right' });
    doc.y = y + rowH;
  }
}

function header(p: Pen, d: DraftDocument): void {
  const { doc } = p;
  doc.rect(0, 0, doc.page.width, 8).fill(BLUE);
  doc.font('Helvetica-Bold').fontSize(18).fillColor(BLUE).text(toWinAnsi(d.title), MARGIN, MARGIN, { width: p.width });
  doc.moveDown(0.2);
  doc.font('Helvetica-Oblique').fontSize(10.5).fillColor(MUTED).text(toWinAnsi(d.subtitle), { width: p.width });
  doc.moveDown(0.8);
  const note = toWinAnsi(d.disclaimer);
  doc.font('Helvetica').fontSize(9);
  const h = doc.heightOfString(note, { width: p.width - 20 });
  const y = doc.y;
  doc.rect(MARGIN, y, p.width, h + 12).fill('#eff6ff');
  doc.rect(MARGIN, y, 3, h + 12).fill(BAR);
  doc.fillColor(INK).text(note, MARGIN + 12, y + 6, { width: p.width - 20 });
  doc.y = y + h + 22;
  // The fields to complete, first: what the operator must do before sending.
  const items = d.todo.length > 0 ? d.todo.map((t) => `•  ${toWinAnsi(t)}`) : [toWinAnsi(d.todoNone)];
  const title = `${toWinAnsi(d.todoTitle)} (${d.todo.length})`;
  const colW = (p.width - 30) / 2;
  const half = Math.ceil(items.length / 2);
  doc.font('Helvetica').fontSize(9);
  const colH = (list: string[]) => list.reduce((s, t) => s + doc.heightOfString(t, { width: colW }) + 1, 0);
  const boxH = 28 + Math.max(colH(items.slice(0, half)), colH(items.slice(half)));
  ensure(p, boxH);
  const by = doc.y;
  doc.roundedRect(MARGIN, by, p.width, boxH, 4).fillAndStroke('#fff7ed', '#fdba74');
  doc
    .font('Helvetica-Bold')
    .fontSize(10.5)
    .fillColor('#9a3412')
    .text(title, MARGIN + 10, by + 8, { width: p.width - 20 });
  const cy = doc.y + 3;
  [items.slice(0, half), items.slice(half)].forEach((col, i) => {
    doc.y = cy;
    for (const t of col)
      doc
        .font('Helvetica')
        .fontSize(9)
        .fillColor(INK)
        .text(t, MARGIN + 10 + i * (colW + 10), doc.y + 1, { width: colW });
  });
  doc.y = by + boxH + 4;
}

/**
 * Renders the draft; `now` dates the file (no hidden clock).
 * @example const pdf = await renderPdf(layOut(draft), new Date(draft.generatedAt), fmt);
 */
export async function renderPdf(d: DraftDocument, now: Date, format: (n: number) => string): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: d.lang,
    displayTitle: true,
    info: { Title: toWinAnsi(d.title), Subject: toWinAnsi(d.subtitle), Creator: 'Vigie', Producer: 'Vigie', CreationDate: now, ModDate: now },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const p: Pen = { doc, width: doc.page.width - 2 * MARGIN, bottom: doc.page.height - MARGIN - 20 };
  header(p, d);
  for (const s of d.sections) {
    heading(p, s.title);
    for (const b of s.blocks) {
      if (b.kind === 'fields') fields(p, b.rows, d.toComplete);
      else if (b.kind === 'para') paragraph(p, b.text, b.strong ?? false);
      else if (b.kind === 'list') bullets(p, b.items);
      else if (b.kind === 'table') table(p, b);
      else chart(p, b, format);
    }
  }
  doc.moveDown(1);
  paragraph(p, d.generated, false);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would open a new page: lift it for the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(toWinAnsi(`${d.title}  ·  ${i + 1} / ${range.count}`), MARGIN, doc.page.height - MARGIN + 10, {
        width: p.width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
