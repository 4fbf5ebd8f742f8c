/**
 * The synthetic French data generator: people, the usual writings of their values, and
 * whole leak-like files with their ground truth. No real person's data: everything comes
 * from embedded lists and a seeded generator.
 */
export { generatePeople, PeopleFactory, type Person, type GeneratedPerson, type PersonKeys } from './people.js';
export { writeDataset, MAX_ROWS, type GenOptions } from './write.js';
export type { GroundTruth, ClassCount } from './truth.js';
export { writePhone, breakPhone, PHONE_STYLES, type PhoneStyle } from './phones.js';
export {
  writeDate,
  writeEmail,
  writeNir,
  writeIban,
  writeSiret,
  impossibleDate,
  breakEmail,
  breakNir,
  breakIban,
  DATE_FORMATS,
  type DateFormat,
} from './writings.js';
export { PRESETS, type ColumnPreset, type ColumnDef } from './columns.js';
export type { GenFormat, Delimiter, SqlDialect } from './formats.js';
export type { GenEncoding } from './encode.js';
export { Rng } from './rng.js';
