/**
 * The `normalise` stage: validators and canonical forms, one per value kind. Each takes the raw
 * cell text and returns its canonical form, or `null` when the value does not validate (a value
 * counts for its data class only if it validates). This file is the stage's only door.
 */
export { normaliseEmail, findEmails } from './email.js';
export { normalisePhone } from './phone.js';
export type { PhoneOptions } from './phone.js';
export { findPhones } from './phone-find.js';
export { normaliseNir } from './nir.js';
export { normaliseIban, normaliseRib } from './iban.js';
export { normaliseSiren, normaliseSiret } from './siret.js';
export { normalisePostcode } from './postcode.js';
export type { PostcodeOptions } from './postcode.js';
export { normaliseBirthDate } from './date.js';
export { foldName, isPlausibleName } from './name.js';
export { looksLikePasswordHash } from './password.js';
export { normaliseGender } from './gender.js';
export type { Gender, GenderOptions } from './gender.js';
export { normaliseIp } from './ip.js';
