/**
 * Pseudonyms with the row and kind of each, for the commands that fold the store's answers back
 * per row (`vigie match`, `vigie verify-claim`) rather than publish: in place of the record's
 * class mask (a leak's masks come from the store), each pseudonym carries its row in the batch.
 */
import { IdentifierKinds, Pseudonymiser, PSEUDONYM_BYTES, type IdentifierKind } from '../pseudonymise/index.js';
import type { IdentifierSink } from './processor.js';

/** One batch's pseudonyms (n × 16 bytes), the row of each (`masks`) and its kind (index in `IdentifierKinds`). */
export interface RowBatch {
  pseudonyms: Buffer;
  masks: Uint32Array;
  kinds: Uint8Array;
}

const KIND_INDEX = new Map<IdentifierKind, number>(IdentifierKinds.map((k, i) => [k, i]));

export class RowSink implements IdentifierSink {
  private readonly p: Pseudonymiser;
  private out = Buffer.allocUnsafe(8192 * PSEUDONYM_BYTES);
  private rowOf = new Uint32Array(8192);
  private kindOf = new Uint8Array(8192);
  private n = 0;
  private row = 0;

  /** @param scope what account identifiers are scoped to (the leak's name when matching one). */
  constructor(
    key: Uint8Array,
    private readonly scope: string,
  ) {
    this.p = new Pseudonymiser(key);
  }

  record(ids: { kind: IdentifierKind; value: string }[]): void {
    for (const id of ids) {
      if (this.n === this.rowOf.length) this.grow();
      this.p.writeInto(this.out, this.n * PSEUDONYM_BYTES, id.kind, id.value, id.kind === 'account' ? this.scope : undefined);
      this.rowOf[this.n] = this.row;
      this.kindOf[this.n++] = KIND_INDEX.get(id.kind) ?? 0;
    }
    this.row++;
  }

  private grow(): void {
    const out = Buffer.allocUnsafe(this.out.length * 2);
    this.out.copy(out);
    this.out = out;
    const rowOf = new Uint32Array(this.rowOf.length * 2);
    rowOf.set(this.rowOf);
    this.rowOf = rowOf;
    const kindOf = new Uint8Array(this.kindOf.length * 2);
    kindOf.set(this.kindOf);
    this.kindOf = kindOf;
  }

  /** Called by `RecordProcessor` at the end of a batch: fresh (transferable) copies; resets for the next one. */
  take(): RowBatch {
    const pseudonyms = Buffer.alloc(this.n * PSEUDONYM_BYTES);
    this.out.copy(pseudonyms, 0, 0, this.n * PSEUDONYM_BYTES);
    const taken = { pseudonyms, masks: this.rowOf.slice(0, this.n), kinds: this.kindOf.slice(0, this.n) };
    this.n = 0;
    this.row = 0;
    return taken;
  }
}
