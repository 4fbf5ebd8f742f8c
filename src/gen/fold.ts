/**
 * How people turn their names into e-mail local parts: accents dropped, ligatures spelled
 * out, apostrophes and spaces removed, hyphens kept, lower case. Runs once per list entry at
 * load time, never per person.
 */

/** Lower case, ligatures spelled out, accents dropped. */
function foldLetters(name: string): string {
  return name
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** `Éloïse` → `eloise`, `N'Diaye` → `ndiaye`, `Le Gall` → `legall`, `Cœurdevey` → `coeurdevey`. */
export function foldForEmail(name: string): string {
  return foldLetters(name).replace(/['’ ]/g, '');
}

/**
 * The words of a name as a matcher keys them: folded as above, hyphens and apostrophes as
 * word breaks. Used by tests to prove that names stay distinct under that keying.
 */
export function nameWords(name: string): string[] {
  return foldLetters(name)
    .split(/[\s'’-]+/)
    .filter((w) => w.length > 0);
}
