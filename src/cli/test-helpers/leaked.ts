/**
 * Test helper (imported by tests only): the identifiers a generated file holds, found in its
 * raw text with plain patterns (independent of Vigie's normalisers), so tests can assert that
 * no output quotes any of them.
 */
import { readFileSync } from 'node:fs';

/** The identifiers found, as written (phones and NIRs also with separators removed, in `all`). */
export interface Identifiers {
  emails: string[];
  phones: string[];
  nirs: string[];
  /** Every form above, for `not.toContain` checks. */
  all: string[];
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** French writings: 0X XX XX XX XX, +33 X..., 0033 X..., with spaces, dots or dashes. */
const PHONE = /(?:\+\d{2,3}[ .-]?|00\d{2,3}[ .-]?|\b0)[1-9](?:[ .-]?\d{2}){4}\b/g;
/** 15 characters, Corsica 2A/2B, optionally spaced as on the carte Vitale. */
const NIR = /\b[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b/g;

const compact = (s: string): string => s.replace(/[ .-]/g, '');

/** Identifiers in a text (read ASCII-compatibly: Latin-1 keeps every ASCII byte in place). */
export function identifiersIn(text: string): Identifiers {
  const emails = [...new Set(text.match(EMAIL) ?? [])];
  const phones = [...new Set(text.match(PHONE) ?? [])];
  const nirs = [...new Set(text.match(NIR) ?? [])];
  const all = new Set<string>(emails);
  for (const v of [...phones, ...nirs]) {
    all.add(v);
    all.add(compact(v));
  }
  return { emails, phones, nirs, all: [...all] };
}

/** Identifiers in a file of ASCII-compatible text (UTF-8, Windows-1252). */
export function identifiersInFile(path: string): Identifiers {
  return identifiersIn(readFileSync(path).toString('latin1'));
}
