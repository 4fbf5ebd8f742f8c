/**
 * The few expressions dumps write where a value is due, evaluated so that the record holds the
 * value rather than its source text: `sqlite3 .dump` writes a line break as
 * `replace('a\nb','\n',char(10))` (older versions `'a'||char(10)||'b'`). Understood: string and
 * number literals, NULL, `||`, parentheses, `replace(s, from, to)`, `char(n, ...)`, `chr(n)`,
 * `CAST(x AS type)`.
 * Anything else (`NOW()`, `CONCAT(..)`) is left to the caller (kept as written).
 */
import type { Cell } from '../types.js';
import { TOKEN_NUMBER, TOKEN_PUNCT, TOKEN_STRING, TOKEN_WORD } from './lexer.js';
import type { TokenType } from './lexer.js';

export type ExprToken = readonly [TokenType, string];

/** Evaluates a whole expression; undefined when it is not one of the forms understood. */
export function evaluate(tokens: readonly ExprToken[]): Cell | undefined {
  const p = new Evaluator(tokens);
  const v = p.expr();
  return v !== undefined && p.i === tokens.length ? v : undefined;
}

const NONE = undefined;

class Evaluator {
  i = 0;
  constructor(private readonly t: readonly ExprToken[]) {}

  private punct(text: string, at = this.i): boolean {
    const k = this.t[at];
    return k !== undefined && k[0] === TOKEN_PUNCT && k[1] === text;
  }

  expr(): Cell | undefined {
    let v = this.term();
    while (v !== NONE && this.punct('|') && this.punct('|', this.i + 1)) {
      this.i += 2;
      const w = this.term();
      if (w === NONE) return NONE;
      v = v === null || w === null ? null : v + w;
    }
    return v;
  }

  private term(): Cell | undefined {
    const k = this.t[this.i++];
    if (k === undefined) return NONE;
    const [type, text] = k;
    if (type === TOKEN_STRING || type === TOKEN_NUMBER) return text;
    if (type === TOKEN_PUNCT && text === '(') {
      const v = this.expr();
      if (v === NONE || !this.punct(')')) return NONE;
      this.i++;
      return v;
    }
    if (type !== TOKEN_WORD) return NONE;
    const name = text.toLowerCase();
    if (name === 'null') return null;
    if (!this.punct('(')) return NONE;
    this.i++;
    if (name === 'cast') return this.cast();
    const args: Cell[] = [];
    if (this.punct(')')) this.i++;
    else {
      for (;;) {
        const a = this.expr();
        if (a === NONE) return NONE;
        args.push(a);
        if (this.punct(',')) this.i++;
        else if (this.punct(')')) {
          this.i++;
          break;
        } else return NONE;
      }
    }
    return call(name, args);
  }

  /** `CAST(value AS type)`, as SQL Server scripts write dates and decimals: the value as written. */
  private cast(): Cell | undefined {
    const v = this.expr();
    const as = this.t[this.i];
    if (v === NONE || as === undefined || as[0] !== TOKEN_WORD || as[1].toUpperCase() !== 'AS') return NONE;
    let depth = 0;
    for (this.i++; this.i < this.t.length; this.i++) {
      if (this.punct('(')) depth++;
      else if (this.punct(')') && depth-- === 0) {
        this.i++;
        return v;
      }
    }
    return NONE;
  }
}

function call(name: string, args: Cell[]): Cell | undefined {
  switch (name) {
    case 'replace': {
      if (args.length !== 3) return NONE;
      const [s, from, to] = args as [Cell, Cell, Cell];
      if (s === null || from === null || to === null) return null;
      return from === '' ? s : s.split(from).join(to);
    }
    case 'char':
    case 'chr': {
      if (args.length === 0 || (name === 'chr' && args.length !== 1)) return NONE;
      let out = '';
      for (const a of args) {
        if (a === null || !/^\d{1,7}$/.test(a)) return NONE;
        const cp = Number(a);
        if (cp > 0x10ffff) return NONE;
        out += String.fromCodePoint(cp);
      }
      return out;
    }
    default:
      return NONE;
  }
}
