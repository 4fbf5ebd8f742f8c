/**
 * The `notify` stage's only door: what the organisation responsible sends after a leak. The
 * operator's statements (organisation profile, incident), the CNIL notification draft
 * (GDPR art. 33) in four formats, and the letters to the people concerned (art. 34).
 */
import type { Lang } from '../guidance/index.js';
import type { CnilDraft } from './draft.js';
import { layOut } from './document.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf.js';
import { DRAFT_TEXTS } from './texts.js';

export { buildDraft, type CnilDraft } from './draft.js';
export { checkIncident, checkOrgProfile, mergeStatement, type Incident, type OrgProfile } from './statements.js';

export const REPORT_FORMATS = ['cnil', 'markdown', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * The draft in one format: `cnil` is the draft object as JSON (stable field names), the others
 * are laid out for people.
 * @example await renderDraft(buildDraft(input), 'markdown')
 */
export async function renderDraft(draft: CnilDraft, format: ReportFormat): Promise<Buffer> {
  if (format === 'cnil') return Buffer.from(`${JSON.stringify(draft, null, 2)}\n`);
  const doc = layOut(draft);
  const number = DRAFT_TEXTS[draft.lang as Lang].number;
  if (format === 'markdown') return Buffer.from(renderMarkdown(doc));
  if (format === 'html') return Buffer.from(renderHtml(doc, number));
  return renderPdf(doc, new Date(draft.generatedAt), number);
}

export { parseMatches } from './matches.js';
export { buildNotices, DEFAULT_TEMPLATES } from './notices.js';
export { parseTemplate } from './template.js';
