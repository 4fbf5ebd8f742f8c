/**
 * Driving an XML document's handlers over decoded text, for the readers built on `xlsx/`'s
 * `XmlScanner` (SpreadsheetML, XML of records): events yielded as each chunk completes them,
 * and on any error those already complete first, as the reader contract requires.
 */
import type { ReadEvent } from './types.js';
import type { XmlHandlers, XmlScanner } from './xlsx/index.js';

/** Handlers that gather their events in `out`. */
interface XmlEventDocument extends XmlHandlers {
  out: ReadEvent[];
  /** Emits what is pending (a batch begun). */
  flush(): void;
  /** Checks the document is complete (throws when it is cut), pending events out first. */
  end(): void;
}

/** Feeds `chunks` to `scanner`, whose handlers are `doc`, yielding `doc`'s events. */
export async function* streamXml(chunks: AsyncIterable<string>, scanner: XmlScanner, doc: XmlEventDocument): AsyncGenerator<ReadEvent> {
  try {
    for await (const chunk of chunks) {
      scanner.write(chunk);
      if (doc.out.length > 0) yield* doc.out.splice(0, doc.out.length);
    }
    scanner.end();
    doc.end();
  } catch (err) {
    doc.flush();
    yield* doc.out.splice(0, doc.out.length);
    throw err;
  }
  yield* doc.out.splice(0, doc.out.length);
}
