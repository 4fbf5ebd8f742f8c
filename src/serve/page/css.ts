/**
 * The page's stylesheet and icon, served from strings (`tsc` copies no other file into dist/).
 * Mobile first: one column, large tap targets, text at least 16 px (iOS zooms on smaller fields).
 * Colours meet WCAG AA contrast (text 4.5:1, borders and focus 3:1) in the light and dark themes.
 */

export const CSS = `
*, *::before, *::after { box-sizing: border-box; }
:root {
  --bg: #ffffff; --fg: #1f2937; --muted: #4b5563; --line: #d1d5db; --card: #f9fafb;
  --accent: #1d4ed8; --accent-fg: #ffffff; --accent-dark: #1e3a8a; --link: #1d4ed8; --visited: #6d28d9;
  --tag-bg: #e0e7ff; --tag-fg: #1e3a8a; --error: #b91c1c; --error-bg: #fef2f2;
  --found: #9a3412; --found-bg: #fff7ed; --clear: #166534; --clear-bg: #f0fdf4; --focus: #f59e0b;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111827; --fg: #f3f4f6; --muted: #d1d5db; --line: #4b5563; --card: #1f2937;
    --accent: #93c5fd; --accent-fg: #111827; --accent-dark: #bfdbfe; --link: #93c5fd; --visited: #c4b5fd;
    --tag-bg: #1e3a8a; --tag-fg: #e0e7ff; --error: #fca5a5; --error-bg: #450a0a;
    --found: #fdba74; --found-bg: #431407; --clear: #86efac; --clear-bg: #052e16;
  }
  .chart .chart-bar { fill: #60a5fa; }
  .chart text { fill: #f3f4f6; }
  .chart .chart-axis { stroke: #9ca3af; }
}
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
  font-size: 1.0625rem; line-height: 1.6;
  overflow-wrap: break-word;
}
.wrap { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: var(--visited); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
main:focus { outline: none; }
h1, h2, h3 { line-height: 1.25; margin: 1.5em 0 0.5em; }
h1 { font-size: 1.75rem; margin-top: 1rem; }
h2 { font-size: 1.375rem; }
h3 { font-size: 1.125rem; }
p, ul, dl { margin: 0 0 1rem; }
ul { padding-left: 1.25rem; }
li + li { margin-top: 0.35rem; }
.lead { font-size: 1.125rem; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.skip-link { position: absolute; left: 0.5rem; top: -10rem; z-index: 10; padding: 0.75rem 1rem; background: var(--accent); color: var(--accent-fg); font-weight: 600; }
.skip-link:focus { top: 0.5rem; }
.skip-link:visited { color: var(--accent-fg); }

.site-header { border-bottom: 1px solid var(--line); background: var(--card); }
.header-inner { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.25rem 1rem; padding-top: 0.5rem; padding-bottom: 0.5rem; }
.brand { margin: 0; display: flex; align-items: baseline; gap: 0.5rem; flex-wrap: wrap; }
.brand a { font-size: 1.5rem; font-weight: 700; color: var(--fg); text-decoration: none; padding: 0.25rem 0; }
.tagline { color: var(--muted); font-size: 0.9375rem; }
.nav { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 0.25rem; }
.nav li + li { margin-top: 0; }
.nav a { display: inline-block; padding: 0.625rem 0.5rem; min-height: 2.75rem; }
.nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.nav a:visited { color: var(--link); }

.check-form { margin: 1.5rem 0; padding: 1rem; border: 1px solid var(--line); border-radius: 0.5rem; background: var(--card); }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 700; font-size: 1.125rem; margin-bottom: 0.25rem; }
.hint { color: var(--muted); font-size: 0.9375rem; margin-bottom: 0.5rem; }
input[type="text"], input[type="email"], input[type="tel"] {
  display: block; width: 100%; min-height: 3rem; padding: 0.5rem 0.75rem;
  font: inherit; font-size: 1.125rem; color: var(--fg); background: var(--bg);
  border: 2px solid var(--muted); border-radius: 0.375rem;
}
input[type="text"]:focus-visible, input[type="email"]:focus-visible, input[type="tel"]:focus-visible { outline-offset: 1px; }
.field-invalid { border-left: 4px solid var(--error); padding-left: 0.75rem; }
.field-invalid input { border-color: var(--error); }
.field-error { color: var(--error); font-weight: 600; margin-bottom: 0.5rem; }
.button {
  display: block; width: 100%; min-height: 3rem; padding: 0.625rem 1.5rem;
  font: inherit; font-size: 1.125rem; font-weight: 700; color: var(--accent-fg); background: var(--accent);
  border: 2px solid var(--accent); border-radius: 0.375rem; cursor: pointer;
}
.button:hover { background: var(--accent-dark); border-color: var(--accent-dark); }
@media (min-width: 36rem) { .button { display: inline-block; width: auto; } }

.privacy { border-left: 4px solid var(--accent); padding-left: 1rem; }
.privacy h2 { margin-top: 0; }
.more { font-weight: 600; }
.notice > p:last-child { margin-bottom: 0; }
.notice { margin: 0 0 1rem; padding: 0.75rem 1rem; border-radius: 0.5rem; background: var(--card); border: 1px solid var(--line); }

.verdict { padding: 0.75rem 1rem; border-radius: 0.5rem; font-size: 1.5rem; }
.verdict-found { color: var(--found); background: var(--found-bg); border-left: 6px solid var(--found); }
.verdict-clear { color: var(--clear); background: var(--clear-bg); border-left: 6px solid var(--clear); }
.card { border: 1px solid var(--line); border-radius: 0.5rem; background: var(--card); padding: 1rem; margin-bottom: 1rem; }
.card h3 { margin-top: 0; }
.card dl { margin: 0; }
.card dt { font-weight: 700; }
.card dd { margin: 0 0 0.5rem; }
.meta, .domain { color: var(--muted); margin-bottom: 0.5rem; }
.tags-title { font-weight: 700; margin-bottom: 0.25rem; }
.tags { list-style: none; padding: 0; margin: 0 0 0.5rem; display: flex; flex-wrap: wrap; gap: 0.375rem; }
.tags li { margin: 0; padding: 0.125rem 0.625rem; border-radius: 1rem; background: var(--tag-bg); color: var(--tag-fg); font-size: 0.9375rem; }
.badge { font-size: 0.9375rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: 0.5rem; margin: 0.5rem 0 0; }
.cards { list-style: none; padding: 0; }
.cards > li + li { margin-top: 0; }

.advice { border-top: 1px solid var(--line); padding-top: 0.25rem; }
.advice h3 { margin-top: 1rem; }
.actions li::marker { color: var(--accent); }
.resources ul { list-style: none; padding: 0; }
.resources li + li { margin-top: 0.75rem; }
.resources a { display: inline-block; padding: 0.25rem 0; font-weight: 600; }
.url { display: block; color: var(--muted); font-size: 0.9375rem; }
.general { background: var(--card); border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.25rem 1rem 0.5rem; margin-top: 2rem; }
.general h2 { margin-top: 0.75rem; }
.again { margin-top: 2rem; }

.chart-block { margin: 1rem 0 2rem; }
.chart { display: block; overflow: visible; }
.chart text { font-family: inherit; }
.chart-note { color: var(--muted); font-size: 0.9375rem; }
.chart-data summary { cursor: pointer; padding: 0.5rem 0; min-height: 2.75rem; color: var(--link); }
table { border-collapse: collapse; width: 100%; max-width: 32rem; margin: 0.5rem 0; }
caption { text-align: left; font-weight: 700; padding-bottom: 0.25rem; }
th, td { text-align: left; padding: 0.375rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td, th[scope="col"]:last-child { text-align: right; }
td { font-variant-numeric: tabular-nums; white-space: nowrap; }

.session { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; margin: 1rem 0; }
.session p { margin: 0; }
.button-secondary { color: var(--accent); background: var(--bg); min-height: 2.75rem; padding: 0.375rem 1rem; font-size: 1rem; width: auto; display: inline-block; }
.button-secondary:hover { color: var(--accent-fg); }
.org-leak h2 { margin-top: 0; font-size: 1.25rem; }
.leak-name { display: block; color: var(--muted); font-weight: 400; font-size: 0.9375rem; }
.counts { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; }
.counts dt { font-weight: 400; color: var(--muted); font-size: 0.9375rem; }
.counts dd { font-size: 1.375rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 0; }
.org-leak .more { margin: 0.5rem 0 0; }
.draft .todo ul { margin-bottom: 0.5rem; }
@media (min-width: 40rem) { .draft .todo ul { columns: 2; column-gap: 2rem; } .draft .todo li { break-inside: avoid; } }
.back { margin-top: 1rem; font-weight: 600; }
.draft .subtitle { color: var(--muted); margin-top: 0; }
.draft .todo { padding: 0.25rem 1rem 0.5rem; border-radius: 0.5rem; background: var(--found-bg); border: 1px solid var(--found); }
.draft .todo h2 { margin-top: 0.75rem; color: var(--found); }
.draft section h2 { border-bottom: 2px solid var(--line); padding-bottom: 0.25rem; }
.draft dl { display: grid; grid-template-columns: 1fr; gap: 0 1rem; }
.draft dt { font-weight: 700; }
.draft dd { margin: 0 0 0.5rem; }
@media (min-width: 40rem) { .draft dl { grid-template-columns: minmax(10rem, 1fr) 2fr; } .draft dd { margin: 0; } }
.draft .missing { padding: 0 0.3rem; border-radius: 0.2rem; background: var(--found-bg); color: var(--found); font-weight: 700; }
.draft table { max-width: none; }
.draft td { text-align: left; }
.draft td.num, .draft th.num { text-align: right; }
.draft th, .draft td { white-space: normal; overflow-wrap: anywhere; hyphens: auto; }
@media (max-width: 30rem) { .draft table { font-size: 0.875rem; } .draft th, .draft td { padding: 0.25rem; } }
.draft figure { margin: 1.25rem 0; }
.draft figcaption { font-weight: 700; }
.draft > footer { color: var(--muted); font-size: 0.9375rem; margin-top: 2rem; }
.site-footer .footer-links { margin-top: 0.5rem; }

.site-footer { margin-top: 3rem; border-top: 1px solid var(--line); background: var(--card); color: var(--muted); font-size: 0.9375rem; padding: 1rem 0; }
.site-footer p { margin: 0; }
@media (min-width: 48rem) { body { font-size: 1.125rem; } h1 { font-size: 2rem; } }
@media print { .site-header nav, .again, .skip-link { display: none; } }
`;

/** The icon: a watchtower's eye in a rounded square. */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M4 16c3-5 7.5-8 12-8s9 3 12 8c-3 5-7.5 8-12 8S7 21 4 16z" fill="#fff"/><circle cx="16" cy="16" r="4.5" fill="#1d4ed8"/></svg>`;
