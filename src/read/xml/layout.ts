/**
 * Where the records of an XML document lie, decided from its first chunk: the shallowest
 * element that repeats and holds fields (child elements with text only, or attributes) is a
 * record, and so is every element at its depth (another table's rows beside it, as in
 * PostgreSQL's `schema_to_xml`). `<export><personnes><row><nom>…</nom>…</row><row>…` gives
 * depth 3; a forest of records at the top (`query_to_xml(…, tableforest => true)`) depth 1.
 */
import { VigieError } from '../../errors.js';
import type { XmlHandlers } from '../xlsx/index.js';
import { XmlScanner } from '../xlsx/index.js';

/** The elements seen at one path of the sample. */
interface PathStat {
  depth: number;
  count: number;
  /** Child elements of these that held only text: fields. */
  leaves: number;
  /** Attributes besides namespace declarations and `xsi:` ones: fields too. */
  attributes: number;
  /** Times one of these held only text. */
  asLeaf: number;
  /** Names of the leaf children (two at most: one name, or several). */
  leafNames: Set<string>;
}

/** An attribute that is a field of its element (not a namespace declaration nor an `xsi:` one). */
export function isFieldAttribute(name: string): boolean {
  return !(name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:'));
}

/**
 * The depth (1 for the top level) of the records in `sample`, the text of the document's
 * start; null when it shows no element holding fields. Failing that, one element holding a
 * list of values (`<emails><email>…</email><email>…`): the values are the records.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` when the sample nests deeper than `maxDepth`.
 */
export function recordDepth(sample: string, maxDepth: number, file: string): number | null {
  const stats = new Map<string, PathStat>();
  const open: { key: string; children: number }[] = [];
  const handlers: XmlHandlers = {
    open(name, attrs) {
      const parent = open[open.length - 1];
      if (parent) parent.children++;
      if (open.length >= maxDepth) {
        throw new VigieError('VIGIE_BAD_FORMAT', `XML nested deeper than ${maxDepth} elements`, { position: { file, line: scanner.line } });
      }
      const key = `${parent?.key ?? ''}/${name}`;
      let s = stats.get(key);
      if (!s) {
        s = { depth: open.length + 1, count: 0, leaves: 0, attributes: 0, asLeaf: 0, leafNames: new Set() };
        stats.set(key, s);
      }
      s.count++;
      for (const a of Object.keys(attrs)) if (isFieldAttribute(a)) s.attributes++;
      open.push({ key, children: 0 });
    },
    close(name) {
      const at = open.findLastIndex((o) => o.key.endsWith(`/${name}`));
      if (at === -1) return;
      const closed = open[at];
      open.length = at;
      const parent = open[open.length - 1];
      if (closed && parent && closed.children === 0) {
        const s = stats.get(parent.key);
        if (s) {
          s.leaves++;
          if (s.leafNames.size < 2) s.leafNames.add(name);
        }
        const own = stats.get(closed.key);
        if (own) own.asLeaf++;
      }
    },
    text() {},
  };
  const scanner = new XmlScanner(handlers, Number.POSITIVE_INFINITY, file, true);
  let fault: unknown;
  try {
    scanner.write(sample);
  } catch (err) {
    if (err instanceof VigieError && /deeper/.test(err.message)) throw err;
    // Malformed: what was seen before decides, and the reader reports the fault where it is.
    fault = err;
  }
  const depth = decide(stats);
  if (depth === null && fault !== undefined) throw fault;
  return depth;
}

/** The record depth from what the sample showed (see `recordDepth`). */
function decide(stats: Map<string, PathStat>): number | null {
  let best: PathStat | null = null;
  let fallback: PathStat | null = null;
  for (const s of stats.values()) {
    if (s.leaves === 0 && s.attributes === 0) continue;
    if (fallback === null || s.depth < fallback.depth) fallback = s;
    if (s.count >= 2 && (best === null || s.depth < best.depth || (s.depth === best.depth && s.count > best.count))) best = s;
  }
  if (best !== null) return best.depth;
  // A list of values: repeated elements holding only text, the only children of their parent.
  for (const [key, s] of stats) {
    const parent = stats.get(key.slice(0, key.lastIndexOf('/')));
    if (s.count >= 2 && s.asLeaf === s.count && s.attributes === 0 && parent?.leafNames.size === 1) return s.depth;
  }
  return fallback?.depth ?? null;
}
