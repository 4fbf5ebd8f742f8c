/**
 * A part of the workbook (UTF-8 XML bytes) through saxes, a strict, non-validating streaming
 * parser: it expands no entity a DOCTYPE declares, so "billion laughs" cannot expand. Element
 * names lose their namespace prefix (`x:row` is `row`). Memory stays bounded: saxes holds a
 * text node or a tag until it ends, so a part that goes more than `maxRun` characters without
 * an event is refused.
 */
import { SaxesParser } from 'saxes';
import { VigieError } from '../../errors.js';
import { XmlScanner } from './scan.js';

export interface XmlHandlers {
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

/** Local name of a prefixed XML name (`x:row` → `row`). */
export function local(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}

/**
 * Parses `bytes`, calling `h` synchronously; after each chunk `afterChunk` runs (a sheet
 * reader hands out the rows that chunk completed). `part` names the part in errors.
 */
export async function* parseXml(bytes: AsyncIterable<Buffer>, h: XmlHandlers, o: { file: string; maxRun: number }): AsyncGenerator<void> {
  if (process.env['VIGIE_XLSX_SAXES'] === '1') {
    yield* parseSaxes(bytes, h, o);
    return;
  }
  const scanner = new XmlScanner(h, o.maxRun, o.file);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of bytes) {
    scanner.write(decoder.decode(chunk, { stream: true }));
    yield;
  }
  scanner.write(decoder.decode());
  scanner.end();
  yield;
}

async function* parseSaxes(bytes: AsyncIterable<Buffer>, h: XmlHandlers, o: { file: string; maxRun: number }): AsyncGenerator<void> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: Error | undefined;
  let fed = 0;
  let chunkStart = 0;
  let lastEvent = 0;
  parser.on('opentag', (t) => {
    lastEvent = chunkStart;
    h.open(local(t.name), t.attributes as Record<string, string>, t.isSelfClosing);
  });
  parser.on('closetag', (t) => {
    lastEvent = chunkStart;
    h.close(local(t.name));
  });
  parser.on('text', (t) => {
    lastEvent = chunkStart;
    h.text(t);
  });
  parser.on('cdata', (t) => {
    lastEvent = chunkStart;
    h.text(t);
  });
  parser.on('error', (err) => {
    failure ??= err;
  });
  const decoder = new TextDecoder('utf-8');
  const write = (s: string): void => {
    chunkStart = fed;
    fed += s.length;
    parser.write(s);
    if (failure !== undefined) throw badXml(o.file, failure);
    if (fed - lastEvent > o.maxRun) {
      throw new VigieError('VIGIE_TOO_LARGE', `XML text or tag longer than ${o.maxRun} characters`, { position: { file: o.file } });
    }
  };
  for await (const chunk of bytes) {
    write(decoder.decode(chunk, { stream: true }));
    yield;
  }
  write(decoder.decode());
  parser.close();
  if (failure !== undefined) throw badXml(o.file, failure);
  yield;
}

function badXml(file: string, err: Error): VigieError {
  // saxes' messages name a line and column and the rule broken, never a text's content.
  return new VigieError('VIGIE_BAD_FORMAT', `malformed XML (${err.message.split('\n')[0]?.slice(0, 200)})`, {
    position: { file },
    cause: err,
  });
}
