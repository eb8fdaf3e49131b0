/**
 * `yaml`'s parseDocument, stopped once a file has shown more syntax errors than anyone will read.
 *
 * A 1 MB line of `x: }}}…` is a million syntax errors. parseDocument lexes all of it and builds an Error object
 * for each (seconds of work, most of it garbage collection), and only the first few are ever listed. The parser
 * yields its tokens one at a time, and a stray token outside every document comes as a top-level `error` token,
 * so counting those while they stream lets the parse stop after MAX_COUNTED_ERRORS of them.
 *
 * Up to that point this is parseDocument itself: the same Parser and Composer, fed the same tokens, and the same
 * stop at a second document. The errors yaml reports are in stream order, so the first ones listed are the same
 * whether the parse stopped or not; only the total is then a lower bound (`stoppedCounting`).
 */
import { Composer, Parser, YAMLParseError, type Document, type LineCounter, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';

/** Past this many top-level syntax errors a file's parse stops; the count shown is then "at least". */
export const MAX_COUNTED_ERRORS = 1000;

export interface CappedDocument {
  doc: Document.Parsed;
  /** True when the parse stopped early: `doc.errors.length` is then a lower bound on the file's errors. */
  stoppedCounting: boolean;
}

type Options = ParseOptions & DocumentOptions & SchemaOptions;

export function parseDocumentCapped(text: string, lineCounter: LineCounter, options: Options = {}): CappedDocument {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ ...options, lineCounter });
  let stoppedCounting = false;
  function* tokensUntilTooManyErrors() {
    let errors = 0;
    for (const token of parser.parse(text)) {
      if (token.type === 'error' && ++errors > MAX_COUNTED_ERRORS) {
        stoppedCounting = true;
        return;
      }
      yield token;
    }
  }
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokensUntilTooManyErrors(), true, text.length)) {
    if (!doc) doc = next;
    else {
      // As parseDocument: a second document is an error, and the parse stops there.
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document, even for an empty stream.
  return { doc: doc as Document.Parsed, stoppedCounting };
}
