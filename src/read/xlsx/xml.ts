/**
 * A part of the workbook (UTF-8 XML bytes) through the tokenizer of `scan.ts`, handlers called
 * synchronously. Element names lose their namespace prefix (`x:row` is `row`).
 */
import { XmlScanner } from './scan.js';

export interface XmlHandlers {
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

/**
 * Parses `bytes`, yielding after each chunk so that a sheet reader can hand out the rows
 * that chunk completed. `file` names the part in errors (`book.xlsx:xl/worksheets/sheet1.xml`);
 * a tag longer than `maxRun` characters is refused.
 */
export async function* parseXml(bytes: AsyncIterable<Buffer>, h: XmlHandlers, o: { file: string; maxRun: number }): AsyncGenerator<void> {
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
