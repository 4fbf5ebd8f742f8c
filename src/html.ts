/**
 * HTML built from template literals where every interpolated value is escaped unless it is
 * already `Html` (the output of another `html` template): one escaping rule for the page and the
 * alert messages alike.
 */

/** A fragment of markup that is safe to insert as is. Only `html` and `raw` make one. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template may interpolate: text (escaped), numbers, fragments, lists of them, or nothing. */
type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for an element's content or a double- or single-quoted attribute value.
 * @example escapeHtml('<b title="x">') // '&lt;b title=&quot;x&quot;&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return escapeHtml(String(value));
  return escapeHtml(value as string);
}

/**
 * Tagged template: escapes every interpolation that is not already `Html`.
 * @example html`<p>${'<script>'}</p>`.value // '<p>&lt;script&gt;</p>'
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Trusted markup written in this folder (the stylesheet link, a fixed SVG): never user text. */
export function raw(markup: string): Html {
  return new Html(markup);
}
