/**
 * Worker thread body: processes batches for the tables it is told about.
 * Messages in: `{ t: 'table', id, spec }`, `{ t: 'rows', id, seq, rows }`.
 * Messages out: `{ t: 'done', seq, result }` (typed arrays transferred) or `{ t: 'error', seq, message }`.
 */
import { parentPort } from 'node:worker_threads';
import { RecordProcessor, type TableSpec } from './processor.js';
import type { Cell } from '../read/types.js';

type In = { t: 'table'; id: number; spec: TableSpec } | { t: 'rows'; id: number; seq: number; rows: Cell[][] };

const port = parentPort;
if (port) {
  const tables = new Map<number, RecordProcessor>();
  port.on('message', (m: In) => {
    if (m.t === 'table') {
      tables.set(m.id, new RecordProcessor(m.spec));
      return;
    }
    try {
      const p = tables.get(m.id);
      if (!p) throw new Error(`unknown table ${m.id}`);
      const result = p.process(m.rows);
      port.postMessage({ t: 'done', seq: m.seq, result }, [
        result.valid.buffer as ArrayBuffer,
        result.invalid.buffer as ArrayBuffer,
        result.hashes.buffer as ArrayBuffer,
        result.hashClass.buffer as ArrayBuffer,
      ]);
    } catch (e) {
      // Internal failures only: processing never throws on a value. No value in the message.
      port.postMessage({ t: 'error', seq: m.seq, message: e instanceof Error ? e.message : 'worker failure' });
    }
  });
}
