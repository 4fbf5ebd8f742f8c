/** The `report` stage's only door: the impact report of an ingest, its assembly and its text rendering. */
export type { ClassCount, ImpactReport, ReportColumn, ReportTable, ReportWarning } from './impact.js';
export { renderImpactText } from './impact.js';
export { assembleReport } from './assemble.js';
