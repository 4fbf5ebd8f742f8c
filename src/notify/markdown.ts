/** The CNIL draft as Markdown: for people, to read, review and paste into the CNIL's form. */
import type { Block, DraftDocument } from './document.js';

/** Operator text cannot break the layout: no line break, no table pipe, no leading heading mark. */
function inline(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/^([#>*+-]|\d+\.)\s/, '\\$1 ');
}

function block(b: Block, todo: string): string {
  switch (b.kind) {
    case 'fields':
      return b.rows.map((r) => `- **${r.label}** : ${r.value === null ? `**« ${todo} »**` : inline(r.value)}`).join('\n');
    case 'para':
      return b.strong ? `**${inline(b.text)}**` : inline(b.text);
    case 'list':
      return b.items.map((i) => `- ${inline(i)}`).join('\n');
    case 'table': {
      const head = `| ${b.head.join(' | ')} |`;
      const rule = `|${b.numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`;
      return [head, rule, ...b.rows.map((r) => `| ${r.map(inline).join(' | ')} |`)].join('\n');
    }
    case 'chart':
      // Markdown has no chart: the table that follows carries the same numbers.
      return '';
  }
}

/** @example renderMarkdown(layOut(draft)).startsWith('# Notification') */
export function renderMarkdown(doc: DraftDocument): string {
  const out = [`# ${doc.title}`, '', `_${inline(doc.subtitle)}_`, '', `> ${doc.disclaimer}`, '', `## ${doc.todoTitle}`, ''];
  out.push(doc.todo.length > 0 ? doc.todo.map((t) => `- [ ] ${t}`).join('\n') : doc.todoNone, '');
  for (const s of doc.sections) {
    out.push(`## ${s.title}`, '');
    for (const b of s.blocks) {
      const text = block(b, doc.toComplete);
      if (text) out.push(text, '');
    }
  }
  out.push('---', '', `_${doc.generated}_`, '');
  return out.join('\n');
}
