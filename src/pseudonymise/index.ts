/**
 * Keyed pseudonyms: the secret key (`key.ts`) and the HMAC construction (`pseudonym.ts`).
 * The only door to this stage.
 */
export { initKey, loadKey, decodeKey, KEY_FILE } from './key.js';
export type { KeySource } from './key.js';
export {
  pseudonymise,
  Pseudonymiser,
  keyFingerprint,
  IdentifierKinds,
  PSEUDONYM_BYTES,
  KEY_BYTES,
} from './pseudonym.js';
export type { IdentifierKind } from './pseudonym.js';
export { deriveAliasKey, openAlias, sealAlias } from './alias.js';
