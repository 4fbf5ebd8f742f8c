/**
 * Keyed pseudonyms of identifiers: the only form in which an identifier ever reaches the store.
 *
 * pseudonym = first 16 bytes of HMAC-SHA-256(key, "vigie/v1" ‖ 0 ‖ kind ‖ 0 ‖ scope ‖ 0 ‖ canonical)
 *
 * - HMAC under a 32-byte secret key kept outside the database: without the key, a stolen
 *   database cannot be tested against a list of emails or phone numbers (a plain hash could).
 * - The kind separates namespaces, so `email:x` and `phone:x` never share a pseudonym; the
 *   scope does the same for account identifiers, which only mean something inside one leak.
 * - "vigie/v1" versions the construction: changing it would orphan every stored pseudonym.
 * - 16 bytes (128 bits): by the birthday bound, n identifiers collide with probability at most
 *   n² / 2^(b+1); for n = 10^10 and b = 128 that is 10^20 / 2^129 ≈ 1.5 × 10^-19.
 */
import { createHmac } from 'node:crypto';
import { VigieError } from '../errors.js';
import { HmacSha256 } from './hmac.js';

/** The identifier kinds Vigie pseudonymises (docs/architecture.md §4). */
export const IdentifierKinds = ['email', 'phone', 'nir', 'namedob', 'account'] as const;
export type IdentifierKind = (typeof IdentifierKinds)[number];

/** Bytes kept from the HMAC output. */
export const PSEUDONYM_BYTES = 16;
/** Bytes of the secret key. */
export const KEY_BYTES = 32;

const VERSION = 'vigie/v1';

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) {
    throw new VigieError('VIGIE_KEY', `the pseudonymisation key must be ${KEY_BYTES} bytes, not ${key.length}`);
  }
}

/** The message prefix for a kind and scope; throws on a misuse that would merge namespaces. */
function prefixOf(kind: IdentifierKind, scope: string | undefined): string {
  if (!IdentifierKinds.includes(kind)) throw new VigieError('VIGIE_INTERNAL', `unknown identifier kind ${String(kind)}`);
  // Account identifiers are only unique within their leak; other kinds are global, and a scope
  // on them would silently stop them matching across leaks.
  if (kind === 'account' ? !scope : scope !== undefined) {
    throw new VigieError(
      'VIGIE_INTERNAL',
      kind === 'account' ? 'account identifiers need a scope (the breach name)' : `identifier kind ${kind} takes no scope`,
    );
  }
  // A NUL inside the scope would make "a\0b" + "c" and "a" + "b\0c" the same message.
  if (scope?.includes('\0')) throw new VigieError('VIGIE_INTERNAL', 'a scope cannot contain NUL');
  return `${VERSION}\0${kind}\0${scope ?? ''}\0`;
}

/**
 * The pseudonym of one canonical identifier, with node:crypto. This is the reference form;
 * use {@link Pseudonymiser} in loops.
 * @example pseudonymise(key, 'email', 'camille.martin@example.fr') // 16-byte Buffer
 */
export function pseudonymise(key: Uint8Array, kind: IdentifierKind, canonical: string, scope?: string): Buffer {
  checkKey(key);
  const prefix = prefixOf(kind, scope);
  if (canonical.length === 0) throw new VigieError('VIGIE_INTERNAL', 'cannot pseudonymise an empty identifier');
  return createHmac('sha256', key).update(prefix, 'utf8').update(canonical, 'utf8').digest().subarray(0, PSEUDONYM_BYTES);
}

/** Scratch size: canonical identifiers are short; longer ones take a slower path. */
const SCRATCH = 2048;

/**
 * Pseudonymises many identifiers under one key, 2.5× faster than {@link pseudonymise} and
 * without allocating (the key's HMAC states are computed once). Same output, byte for byte.
 * One instance per thread: it reuses internal buffers.
 * @example
 * const p = new Pseudonymiser(key);
 * const out = Buffer.allocUnsafe(n * PSEUDONYM_BYTES);
 * for (let i = 0; i < n; i++) p.writeInto(out, i * PSEUDONYM_BYTES, 'email', emails[i]);
 */
export class Pseudonymiser {
  private readonly hmac: HmacSha256;
  private readonly scratch = Buffer.allocUnsafe(SCRATCH);
  private readonly prefixes = new Map<string, Buffer>();

  constructor(key: Uint8Array) {
    checkKey(key);
    this.hmac = new HmacSha256(key);
  }

  private prefix(kind: IdentifierKind, scope: string | undefined): Buffer {
    const id = scope === undefined ? kind : `${kind}\0${scope}`;
    let p = this.prefixes.get(id);
    if (p === undefined) {
      p = Buffer.from(prefixOf(kind, scope), 'utf8');
      // Account scopes are breach names: few per process, but bound the cache anyway.
      if (this.prefixes.size > 1000) this.prefixes.clear();
      this.prefixes.set(id, p);
    }
    return p;
  }

  /** Writes the 16-byte pseudonym of `canonical` at `out[offset]`. */
  writeInto(out: Uint8Array, offset: number, kind: IdentifierKind, canonical: string, scope?: string): void {
    const prefix = this.prefix(kind, scope);
    if (canonical.length === 0) throw new VigieError('VIGIE_INTERNAL', 'cannot pseudonymise an empty identifier');
    const s = this.scratch;
    const room = SCRATCH - prefix.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so this bound proves the value fits whole.
    if (canonical.length * 3 <= room) {
      prefix.copy(s, 0);
      const n = prefix.length + s.write(canonical, prefix.length, room, 'utf8');
      this.hmac.digestInto(s, 0, n, out, offset, PSEUDONYM_BYTES);
    } else {
      const m = Buffer.concat([prefix, Buffer.from(canonical, 'utf8')]);
      this.hmac.digestInto(m, 0, m.length, out, offset, PSEUDONYM_BYTES);
    }
  }

  /** The pseudonym of one identifier, as a new 16-byte Buffer. */
  one(kind: IdentifierKind, canonical: string, scope?: string): Buffer {
    const out = Buffer.allocUnsafe(PSEUDONYM_BYTES);
    this.writeInto(out, 0, kind, canonical, scope);
    return out;
  }

  /**
   * The pseudonyms of many identifiers of one kind, concatenated (n × 16 bytes), in input order:
   * the shape `Load.write` takes.
   */
  many(kind: IdentifierKind, canonicals: readonly string[], scope?: string): Buffer {
    const out = Buffer.allocUnsafe(canonicals.length * PSEUDONYM_BYTES);
    for (let i = 0; i < canonicals.length; i++) this.writeInto(out, i * PSEUDONYM_BYTES, kind, canonicals[i]!, scope);
    return out;
  }
}

/**
 * A short public fingerprint of the key: lets the store refuse a key other than the one its
 * pseudonyms were made with (which would make every lookup silently miss). HMAC is a PRF, so
 * the fingerprint tells nothing about the key.
 */
export function keyFingerprint(key: Uint8Array): string {
  checkKey(key);
  return createHmac('sha256', key).update(`${VERSION}\0key-fingerprint`, 'utf8').digest('hex').slice(0, 32);
}
