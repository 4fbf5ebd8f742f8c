/**
 * Worker thread body: processes batches for the tables it is told about.
 * Messages in: `{ t: 'table', id, spec }`, `{ t: 'rows', id, seq, rows }`.
 * Messages out: `{ t: 'done', seq, result }` (typed arrays transferred) or `{ t: 'error', seq, message }`.
 */
import { parentPort } from 'node:worker_threads';
import { RecordProcessor, type TableSpec } from './processor.js';
import { PseudonymSink } from './pseudonyms.js';
import type { Cell } from '../read/types.js';

type In =
  | { t: 'init'; key: Uint8Array | null; scope: string }
  | { t: 'table'; id: number; spec: TableSpec }
  | { t: 'rows'; id: number; seq: number; rows: Cell[][] };

const port = parentPort;
if (port) {
  const tables = new Map<number, RecordProcessor>();
  let sink: PseudonymSink | undefined;
  port.on('message', (m: In) => {
    if (m.t === 'init') {
      sink = m.key ? new PseudonymSink(m.key, m.scope) : undefined;
      return;
    }
    if (m.t === 'table') {
      tables.set(m.id, new RecordProcessor(m.spec, sink));
      return;
    }
    try {
      const p = tables.get(m.id);
      if (!p) throw new Error(`unknown table ${m.id}`);
      const result = p.process(m.rows);
      const transfer = [result.valid.buffer, result.invalid.buffer, result.hashes.buffer, result.hashClass.buffer] as ArrayBuffer[];
      if (result.pseudonyms && result.masks) transfer.push(result.pseudonyms.buffer as ArrayBuffer, result.masks.buffer as ArrayBuffer);
      port.postMessage({ t: 'done', seq: m.seq, result }, transfer);
    } catch (e) {
      // Internal failures only: processing never throws on a value. No value in the message.
      port.postMessage({ t: 'error', seq: m.seq, message: e instanceof Error ? e.message : 'worker failure' });
    }
  });
}
