/**
 * The shell of every page: language, title, the stylesheet, a skip link, and the header, main
 * and footer landmarks. Only files of this server are loaded (the CSP allows nothing else).
 */
import type { Lang } from '../../guidance/index.js';
import { html, type Html } from './html.js';
import { ORG_PATHS, ORG_TEXTS } from './org-texts.js';
import { PATHS, TEXTS } from './texts.js';

export const STYLESHEET = '/assets/vigie.css';
export const ICON = '/assets/vigie.svg';

interface PageOptions {
  lang: Lang;
  /** The page's own title, before « Vigie ». */
  title: string;
  main: Html;
  /** The navigation entry of this page, marked `aria-current`. */
  current?: 'check' | 'breaches' | 'org';
  /** The same page in the other language (a form page for results, which cannot be carried over). */
  otherHref: string;
}

const NAV_LABEL: Record<Lang, string> = { fr: 'Menu principal', en: 'Main menu' };

/** A whole HTML document. */
export function layout(o: PageOptions): string {
  const t = TEXTS[o.lang];
  const p = PATHS[o.lang];
  const other = t.otherLang;
  const current = (which: 'check' | 'breaches') => (o.current === which ? html` aria-current="page"` : '');
  return html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title} · Vigie</title>
<link rel="stylesheet" href="${STYLESHEET}">
<link rel="icon" href="${ICON}" type="image/svg+xml">
<link rel="alternate" hreflang="${other.lang}" href="${o.otherHref}">
</head>
<body>
<a class="skip-link" href="#main">${t.skip}</a>
<header class="site-header">
<div class="wrap header-inner">
<p class="brand"><a href="${p.home}">Vigie</a> <span class="tagline">${t.tagline}</span></p>
<nav aria-label="${NAV_LABEL[o.lang]}">
<ul class="nav">
<li><a href="${p.home}"${current('check')}>${t.navCheck}</a></li>
<li><a href="${p.breaches}"${current('breaches')}>${t.navBreaches}</a></li>
<li><a href="${o.otherHref}" lang="${other.lang}" hreflang="${other.lang}">${other.label}</a></li>
</ul>
</nav>
</div>
</header>
<main id="main" tabindex="-1">
<div class="wrap">
${o.main}
</div>
</main>
<footer class="site-footer">
<div class="wrap">
<p>${t.footer}</p>
<p class="footer-links"><a href="${ORG_PATHS[o.lang].view}"${o.current === 'org' ? html` aria-current="page"` : ''}>${ORG_TEXTS[o.lang].footerLink}</a></p>
</div>
</footer>
</body>
</html>
`.value;
}
