/**
 * Turns each record's identifiers into keyed pseudonyms as the batch is processed, so only
 * 16-byte pseudonyms and class masks leave the worker: never a value.
 */
import { Pseudonymiser, PSEUDONYM_BYTES } from '../pseudonymise/index.js';
import type { IdentifierKind } from '../pseudonymise/index.js';
import type { IdentifierSink } from './processor.js';

export interface PseudonymBatch {
  /** n × 16 bytes. */
  pseudonyms: Buffer;
  /** n masks, the record's data classes for each pseudonym. */
  masks: Uint32Array;
}

export class PseudonymSink implements IdentifierSink {
  private readonly p: Pseudonymiser;
  private out = Buffer.allocUnsafe(4096 * PSEUDONYM_BYTES);
  private masks = new Uint32Array(4096);
  private n = 0;

  /** @param scope the breach name: account identifiers only mean something inside their leak. */
  constructor(
    key: Uint8Array,
    private readonly scope: string,
  ) {
    this.p = new Pseudonymiser(key);
  }

  record(ids: { kind: IdentifierKind; value: string }[], mask: number): void {
    for (const id of ids) {
      if (this.n === this.masks.length) this.grow();
      this.p.writeInto(this.out, this.n * PSEUDONYM_BYTES, id.kind, id.value, id.kind === 'account' ? this.scope : undefined);
      this.masks[this.n++] = mask;
    }
  }

  private grow(): void {
    const out = Buffer.allocUnsafe(this.out.length * 2);
    this.out.copy(out);
    this.out = out;
    const masks = new Uint32Array(this.masks.length * 2);
    masks.set(this.masks);
    this.masks = masks;
  }

  /** What the batch produced, in fresh (transferable) memory; resets for the next batch. */
  take(): PseudonymBatch {
    const pseudonyms = Buffer.alloc(this.n * PSEUDONYM_BYTES);
    this.out.copy(pseudonyms, 0, 0, this.n * PSEUDONYM_BYTES);
    const masks = this.masks.slice(0, this.n);
    this.n = 0;
    return { pseudonyms, masks };
  }
}
