/**
 * Worker thread body: processes batches for the tables it is told about.
 * Messages in: `init` (key, scope, this worker's index and ports to its peers), `table`, `rows`,
 * then at the end `sent` and `counts` (see shards.ts).
 * Messages out: `{ t: 'done', seq, result }` (typed arrays transferred) or `{ t: 'error', seq, message }`,
 * `{ t: 'sent', sent }`, `{ t: 'counts', sizes, errors }`.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { ShardCounter } from './shards.js';
import { RecordProcessor, type TableSpec } from './processor.js';
import { PseudonymSink } from './pseudonyms.js';
import { RowSink } from './row-sink.js';
import type { Cell } from '../read/index.js';

type In =
  | { t: 'init'; key: Uint8Array | null; scope: string; self: number; peers: (MessagePort | null)[]; exactLimit?: number; rows?: boolean }
  | { t: 'sent' }
  | { t: 'hashes'; hashes: Uint32Array; hashClass: Uint8Array; n: number }
  | { t: 'counts'; expected: number[] }
  | { t: 'table'; id: number; spec: TableSpec }
  | { t: 'rows'; id: number; seq: number; rows: Cell[][] };

const port = parentPort;
if (port) {
  const tables = new Map<number, RecordProcessor>();
  let sink: PseudonymSink | RowSink | undefined;
  /** Matching: pseudonyms with their rows, no distinct counts. */
  let rowsMode = false;
  let shards: ShardCounter | undefined;
  port.on('message', (m: In) => {
    if (m.t === 'init') {
      rowsMode = m.rows === true;
      sink = !m.key ? undefined : rowsMode ? new RowSink(m.key, m.scope) : new PseudonymSink(m.key, m.scope);
      shards = new ShardCounter(m.self, m.peers, m.exactLimit);
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
      void shards!.counts(m.expected).then((c) => port.postMessage({ t: 'counts', ...c }));
      return;
    }
    if (m.t === 'table') {
      tables.set(m.id, new RecordProcessor(m.spec, sink));
      return;
    }
    try {
      const p = tables.get(m.id);
      if (!p) throw new Error(`unknown table ${m.id}`);
      const full = p.process(m.rows);
      // Distinct values are counted here, by the worker that owns each hash: none go back.
      if (!rowsMode) shards!.route(full.hashes, full.hashClass, full.hashCount);
      const result = { ...full, hashes: new Uint32Array(0), hashClass: new Uint8Array(0), hashCount: 0 };
      const transfer = [result.valid.buffer, result.invalid.buffer] as ArrayBuffer[];
      if (result.pseudonyms && result.masks) transfer.push(result.pseudonyms.buffer as ArrayBuffer, result.masks.buffer as ArrayBuffer);
      if (result.kinds) transfer.push(result.kinds.buffer as ArrayBuffer);
      port.postMessage({ t: 'done', seq: m.seq, result }, transfer);
    } catch (e) {
      // Internal failures only: processing never throws on a value. No value in the message.
      port.postMessage({ t: 'error', seq: m.seq, message: e instanceof Error ? e.message : 'worker failure' });
    }
  });
}
