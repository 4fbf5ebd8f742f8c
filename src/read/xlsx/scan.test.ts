import { describe, expect, it } from 'vitest';
import { XmlScanner } from './scan.js';

/** The events of `xml` cut into pieces of `size` characters, adjacent texts joined. */
function events(xml: string, size: number): string[] {
  const out: string[] = [];
  const scanner = new XmlScanner(
    {
      open: (name, attrs, selfClosing) => out.push(`<${name} ${JSON.stringify(attrs)}${selfClosing ? '/' : ''}>`),
      close: (name) => out.push(`</${name}>`),
      text: (t) => {
        if (out.length > 0 && out[out.length - 1]?.startsWith('T:')) out[out.length - 1] += t;
        else out.push(`T:${t}`);
      },
    },
    1 << 20,
    'test.xml',
  );
  for (let i = 0; i < xml.length; i += size) scanner.write(xml.slice(i, i + size));
  scanner.end();
  return out;
}

describe('XmlScanner', () => {
  const xml =
    '<?xml version="1.0"?><!-- a > comment --><!DOCTYPE w [<!ENTITY e "x">]><x:w xmlns:x="u"><x:r a = "1 &amp; 2" b=\'>\'>' +
    'Lef&#232;vre &amp; fils &lt;ok&gt;<![CDATA[<raw> & ]]><c/><d e="&quot;"/></x:r>&unknown; &#x1F600;</x:w>';

  it('gives the same events whatever the chunking, references and tags cut included', () => {
    const whole = events(xml, xml.length);
    expect(whole).toEqual([
      '<w {"xmlns:x":"u"}>',
      '<r {"a":"1 & 2","b":">"}>',
      'T:Lefèvre & fils <ok><raw> & ',
      '<c {}/>',
      '</c>',
      '<d {"e":"\\""}/>',
      '</d>',
      '</r>',
      'T:&unknown; 😀',
      '</w>',
    ]);
    for (const size of [1, 2, 3, 5, 7, 13]) expect(events(xml, size), `chunks of ${size}`).toEqual(whole);
  });

  it('refuses malformed tags and a document that ends inside a tag', () => {
    expect(() => events('<a b=1>', 100)).toThrow(/unquoted attribute/);
    expect(() => events('<a/ >', 100)).toThrow(/stray/);
    expect(() => events('<a b="1"', 100)).toThrow(/ends inside a tag/);
  });
});
