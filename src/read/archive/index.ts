/**
 * Decompression of hostile archives: gzip, bzip2, xz and Zstandard in `compressed.ts`, zip in
 * `zip.ts`, tar in `tar.ts`, the shared budget in `budget.ts`. Nothing is ever written to disk;
 * everything streams from memory.
 */
export { ARCHIVE_DEFAULTS, ExpansionBudget, throughZlib, zlibError, type ArchiveLimits } from './budget.js';
export { openZipIndex, zipHolds, zipMembers, type ZipItem, type ZipSource } from './zip.js';
export { tarMembers, type TarItem } from './tar.js';
export { decompress, gunzip, isCompression, type Compression } from './compressed.js';
