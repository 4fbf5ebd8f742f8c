/**
 * The query-string parser of every route: Fastify's own (`fast-querystring`), with boolean
 * parameters taken in any case. HIBP runs on ASP.NET, whose boolean binding (`bool.TryParse`)
 * accepts `True`, `FALSE` and surrounding spaces, and clients send them so: .NET's
 * `bool.ToString()` gives `False`, Python's `str(False)` too. JSON Schema validation then sees
 * `true` or `false`, and anything else is still a 400.
 */
import { parse } from 'fast-querystring';

const BOOLEAN = /^\s*(?:true|false)\s*$/i;

export function parseQuery(query: string): Record<string, unknown> {
  if (query.length === 0) return {};
  const q = parse(query);
  for (const k in q) {
    const v: unknown = q[k];
    if (typeof v === 'string' && v.length <= 12 && BOOLEAN.test(v)) q[k] = v.trim().toLowerCase();
  }
  return q;
}
