/**
 * yaml's parseDocument(), with one difference in how it gets there: a double-quoted scalar
 * with nothing to unescape or fold (no `\`, no line break) is handed to the composer as the
 * single-quoted scalar of the same text, whose value is the same string. The package builds a
 * double-quoted value one character at a time, which for long strings makes ropes of millions
 * of pieces: a 10 MB playbook of quoted lines spent 80% of its load collecting them. Offsets
 * and lengths are unchanged, so positions and errors are too.
 */
import { Composer, Parser, YAMLParseError, type CST, type Document, type DocumentOptions, type LineCounter, type ParseOptions, type SchemaOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions & { lineCounter?: LineCounter; onToken?: () => void };

/** A parser that reports each lexical token before handling it (a load's token budget). */
class MeteredParser extends Parser {
  constructor(
    onNewLine: ((offset: number) => void) | undefined,
    private readonly onToken: () => void,
  ) {
    super(onNewLine);
  }

  override *next(source: string): Generator<CST.Token, void> {
    this.onToken();
    yield* super.next(source);
  }
}

/** Text a single-quoted scalar reads the same way: no escapes, no line folding, no quote to double. */
const PLAIN_QUOTED = /^"[^"\\'\r\n]*"$/;

function requote(token: CST.Token | undefined): void {
  if (!token) return;
  switch (token.type) {
    case 'document':
      requote(token.value);
      break;
    case 'block-map':
    case 'block-seq':
    case 'flow-collection':
      for (const item of token.items) {
        if ('key' in item) requote(item.key ?? undefined);
        requote(item.value);
      }
      break;
    case 'double-quoted-scalar':
      if (PLAIN_QUOTED.test(token.source)) {
        (token as CST.FlowScalar).type = 'single-quoted-scalar';
        token.source = `'${token.source.slice(1, -1)}'`;
      }
      break;
    default:
      break;
  }
}

function* requoted(tokens: Generator<CST.Token>): Generator<CST.Token> {
  for (const token of tokens) {
    requote(token);
    yield token;
  }
}

/** One YAML document, as parseDocument(text, options) returns it (prettyErrors aside); `onToken` is called for each token read. */
export function parseYamlDocument(text: string, options: Options): Document.Parsed {
  const { onToken, ...composeOptions } = options;
  const parser = onToken ? new MeteredParser(options.lineCounter?.addNewLine, onToken) : new Parser(options.lineCounter?.addNewLine);
  const composer = new Composer(composeOptions);
  let doc: Document.Parsed | undefined;
  // compose(…, forceDoc) always yields a document, an empty one for empty text.
  for (const next of composer.compose(requoted(parser.parse(text)), true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return doc!;
}
