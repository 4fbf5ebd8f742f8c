/**
 * The `notify` stage's only door: what the organisation responsible sends after a leak. The
 * operator's statements (organisation profile, incident), the CNIL notification draft
 * (GDPR art. 33) in four formats, and the letters to the people concerned (art. 34).
 */
import type { Lang } from '../guidance/index.js';
import type { Store } from '../store/index.js';
import { buildDraft, type CnilDraft } from './draft.js';
import { checkIncident, checkOrgProfile } from './statements.js';
import { layOut } from './document.js';
import { draftBody, renderHtml } from './html.js';
import type { Html } from '../html.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf.js';
import { DRAFT_TEXTS } from './texts.js';

export { buildDraft, type CnilDraft } from './draft.js';

/**
 * The draft of a leak from what the store holds: its measured counts, the organisation profile
 * and what the operator stated about the incident. Undefined when there is no such leak.
 * @example const draft = await draftFromStore(store, 'FuiteDemo', new Date(), 'fr');
 */
export async function draftFromStore(store: Store, name: string, now: Date, lang: Lang): Promise<CnilDraft | undefined> {
  const entry = await store.getBreach(name);
  if (!entry) return undefined;
  const org = await store.getOrgProfile();
  const incident = await store.getIncident(entry.breach.Name);
  return buildDraft({ entry, org: org ? checkOrgProfile(org.value) : {}, incident: incident ? checkIncident(incident.value) : {}, now, lang });
}
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

/**
 * The draft as a fragment of HTML for a page with its own stylesheet (no `<style>`, no script):
 * the organisation view of the web page. `headingLevel` 2 when the page has its own `<h1>`.
 * @example layout({ main: draftHtml(buildDraft(input), 2), ... })
 */
export function draftHtml(draft: CnilDraft, headingLevel: 1 | 2 = 1): Html {
  return draftBody(layOut(draft), DRAFT_TEXTS[draft.lang as Lang].number, headingLevel);
}

export { parseMatches } from './matches.js';
export { buildNotices, DEFAULT_TEMPLATES } from './notices.js';
export { parseTemplate } from './template.js';
