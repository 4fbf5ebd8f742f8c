/**
 * The letter templates' small syntax: text with `{{placeholder}}` holes, nothing else (no
 * expression, no loop, no code). A first line `Subject: …` (or `Objet : …`) is the subject.
 * A template is parsed once, before any letter is written: an unknown placeholder or a stray
 * `{{` is an error naming the file and the line.
 */
import { VigieError } from '../errors.js';

/** The placeholders a template may use; each is documented in the README. */
export const PLACEHOLDERS = [
  'customer.id',
  'org.name',
  'org.address',
  'contact',
  'breach.title',
  'incident.started',
  'incident.aware',
  'nature',
  'matched',
  'exposed',
  'consequences',
  'actions',
  'advice',
  'resources',
  'measures',
  'today',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

type Part = string | { name: Placeholder; line: number };

export interface Template {
  subject: Part[];
  body: Part[];
  /** The placeholders used, for checking that each has a value before writing anything. */
  used: Set<Placeholder>;
}

const HOLE = /\{\{\s*([A-Za-z0-9_.-]*)\s*\}\}/g;

function parseLine(text: string, file: string, line: number, used: Set<Placeholder>): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(HOLE)) {
    const name = m[1] ?? '';
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new VigieError('VIGIE_SYNTAX', `${file}, line ${line}: unknown placeholder {{${name.slice(0, 40)}}} (known: ${PLACEHOLDERS.join(', ')})`);
    }
    parts.push(text.slice(last, m.index), { name: name as Placeholder, line });
    used.add(name as Placeholder);
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  if (rest.includes('{{') || rest.includes('}}')) throw new VigieError('VIGIE_SYNTAX', `${file}, line ${line}: a {{ or }} that is not a placeholder`);
  parts.push(rest);
  return parts;
}

/**
 * Parses a template's text.
 * @example parseTemplate('Subject: {{breach.title}}\nBonjour,\n', 'lettre.txt').used.has('breach.title') // true
 */
export function parseTemplate(text: string, file: string): Template {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const used = new Set<Placeholder>();
  let subject: Part[] = [];
  let start = 0;
  const head = /^(?:Subject|Objet)\s*:\s*(.*)$/.exec(lines[0] ?? '');
  if (head) {
    subject = parseLine(head[1] ?? '', file, 1, used);
    start = 1;
    if (lines[1] === '') start = 2;
  }
  const body: Part[] = [];
  lines.slice(start).forEach((l, i) => {
    if (i > 0) body.push('\n');
    body.push(...parseLine(l, file, start + i + 1, used));
  });
  return { subject, body, used };
}

/** Fills a parsed template; every used placeholder must have a value (checked by the caller). */
export function fill(parts: readonly Part[], values: Readonly<Record<Placeholder, string | null>>): string {
  return parts.map((p) => (typeof p === 'string' ? p : (values[p.name] ?? ''))).join('');
}
