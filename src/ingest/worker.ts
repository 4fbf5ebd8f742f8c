/**
 * Worker thread body: processes batches for the tables it is told about.
 * Messages in: `init` (key, scope, this worker's index and ports to its peers), `table`, `rows`,
 * then at the end `sent` and `counts` (see shards.ts).
 * Messages out: `{ t: 'done', seq, result }` (typed arrays transferred) or `{ t: 'error', seq, message }`,
 * `{ t: 'sent', sent }`, `{ t: 'counts', sizes, errors }`.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { ShardCounter, type ShardLimits } from './shards.js';
import { RecordProcessor, type TableSpec } from './processor.js';
import { PseudonymSink } from './pseudonyms.js';
import type { BlockShape, Cell } from '../read/index.js';
import { processBlock } from './block-work.js';
import type { BatchResult } from './processor.js';
import { RowSink } from './row-sink.js';

type In =
  | { t: 'init'; key: Uint8Array | null; scope: string; domains: string[]; self: number; peers: (MessagePort | null)[]; limits: ShardLimits; rows?: boolean }
  | { t: 'sent' }
  | { t: 'hashes'; hashes: Uint32Array; hashClass: Uint8Array; n: number }
  | { t: 'counts'; expected: number[]; peopleExact?: number }
  | { t: 'table'; id: number; spec: TableSpec }
  | { t: 'rows'; id: number; seq: number; rows: Cell[][] }
  | { t: 'block'; id: number; seq: number; bytes: Uint8Array; encoding: string; shape: BlockShape }
  | { t: 'commit'; seq: number }
  | { t: 'discard'; seq: number };

/** Sends a batch's result, its distinct hashes routed to their shards first (none go back). */
function reply(port: MessagePort, shards: ShardCounter | null, seq: number, full: BatchResult): void {
  // A match (rows mode) counts nothing: its hashes go nowhere.
  shards?.route(full.hashes, full.hashClass, full.hashCount);
  const result = { ...full, hashes: new Uint32Array(0), hashClass: new Uint8Array(0), hashCount: 0 };
  const transfer = [result.valid.buffer, result.invalid.buffer] as ArrayBuffer[];
  if (result.pseudonyms && result.masks) transfer.push(result.pseudonyms.buffer as ArrayBuffer, result.masks.buffer as ArrayBuffer);
  if (result.aliases) transfer.push(result.aliases.buffer as ArrayBuffer);
  if (result.kinds) transfer.push(result.kinds.buffer as ArrayBuffer);
  port.postMessage({ t: 'done', seq, result }, transfer);
}

const port = parentPort;
if (port) {
  const tables = new Map<number, RecordProcessor>();
  let sink: PseudonymSink | RowSink | undefined;
  /** Matching: pseudonyms with their rows, no distinct counts. */
  let rowsMode = false;
  let shards: ShardCounter | undefined;
  /** Blocks parsed and processed, held until the main thread knows they started where it thought. */
  const held = new Map<number, BatchResult>();
  port.on('message', (m: In) => {
    if (m.t === 'init') {
      rowsMode = m.rows === true;
      sink = !m.key ? undefined : rowsMode ? new RowSink(m.key, m.scope) : new PseudonymSink(m.key, m.scope, m.domains);
      shards = new ShardCounter(m.self, m.peers, m.limits);
      return;
    }
    if (m.t === 'sent') {
      port.postMessage({ t: 'sent', sent: shards!.sentCounts() });
      return;
    }
    if (m.t === 'hashes') {
      shards!.route(m.hashes, m.hashClass, m.n);
      return;
    }
    if (m.t === 'counts') {
      void shards!.counts(m.expected, m.peopleExact).then((c) => port.postMessage({ t: 'counts', ...c }));
      return;
    }
    if (m.t === 'table') {
      tables.set(m.id, new RecordProcessor(m.spec, sink));
      return;
    }
    if (m.t === 'commit') {
      const full = held.get(m.seq);
      held.delete(m.seq);
      if (full) reply(port, shards!, m.seq, full);
      else port.postMessage({ t: 'error', seq: m.seq, message: `no block ${m.seq} held` });
      return;
    }
    if (m.t === 'discard') {
      held.delete(m.seq);
      port.postMessage({ t: 'discarded', seq: m.seq });
      return;
    }
    try {
      const p = tables.get(m.id);
      if (!p) throw new Error(`unknown table ${m.id}`);
      if (m.t === 'block') {
        // Decoded and parsed here, off the main thread; counted only once committed.
        const { parse, result } = processBlock(p, m.bytes, m.encoding, m.shape);
        held.set(m.seq, result);
        port.postMessage({ t: 'parsed', seq: m.seq, parsed: parse });
        return;
      }
      reply(port, rowsMode ? null : shards!, m.seq, p.process(m.rows));
    } catch (e) {
      // Internal failures only: processing never throws on a value. No value in the message.
      port.postMessage({ t: 'error', seq: m.seq, message: e instanceof Error ? e.message : 'worker failure' });
    }
  });
}
