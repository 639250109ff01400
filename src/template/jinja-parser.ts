import { FILTER_BODY, type Expr, type MacroParam, type Node } from './ast.js';
import { TemplateError } from './errors.js';
import { lexTemplate, locate, type LexOptions, type Segment } from './jinja-lexer.js';
import { ExprParser } from './parser.js';

type BlockEnd = { tag: string; parser: ExprParser; line: number };

/**
 * Parses a whole template (text with {{ }}, {% %}, {# #}) into nodes, following Jinja's
 * statement grammar. Errors carry the template line (see `locate`).
 */
export function parseTemplate(text: string, opts: LexOptions = {}): Node[] {
  return new TemplateParser(lexTemplate(text, opts)).parseAll();
}

class TemplateParser {
  private pos = 0;
  constructor(private readonly segments: Segment[]) {}

  parseAll(): Node[] {
    return this.parseBody([]).body;
  }

  private parseBody(endTags: string[]): { body: Node[]; end?: BlockEnd } {
    const body: Node[] = [];
    while (this.pos < this.segments.length) {
      const seg = this.segments[this.pos++];
      if (seg.kind === 'data') {
        body.push({ t: 'text', text: seg.text });
        continue;
      }
      try {
        const p = new ExprParser(seg.tokens);
        if (seg.kind === 'expr') {
          if (p.atEnd()) throw new TemplateError('syntax error: expected an expression, got end of print statement');
          const expr = p.parseTuple();
          if (!p.atEnd()) throw p.error('expected end of print statement');
          body.push({ t: 'output', expr, source: seg.source, line: seg.line });
          continue;
        }
        const tag = p.expectName();
        if (endTags.includes(tag)) return { body, end: { tag, parser: p, line: seg.line } };
        const node = this.parseStatement(tag, p);
        node.line ??= seg.line;
        body.push(node);
      } catch (err) {
        throw err instanceof TemplateError ? locate(err, seg.line) : err;
      }
    }
    if (endTags.length) throw new TemplateError(`unexpected end of template, expected one of ${endTags.map((t) => `'${t}'`).join(', ')}`);
    return { body };
  }

  /** Body up to one of `endTags`; the end tag must have nothing after its name. */
  private block(endTags: string[]): { body: Node[]; tag: string; parser: ExprParser } {
    const { body, end } = this.parseBody(endTags);
    return { body, tag: end!.tag, parser: end!.parser };
  }

  private closed(endTag: string): Node[] {
    const { body, parser } = this.block([endTag]);
    endOf(parser);
    return body;
  }

  private parseStatement(tag: string, p: ExprParser): Node {
    switch (tag) {
      case 'if':
        return this.parseIf(p);
      case 'for':
        return this.parseFor(p);
      case 'set':
        return this.parseSet(p);
      case 'macro': {
        const name = p.expectName();
        const params = parseParams(p);
        endOf(p);
        return { t: 'macro', name, params, body: this.closed('endmacro') };
      }
      case 'call': {
        const params = p.isOp('(') ? parseParams(p) : [];
        const call = p.parseExpression();
        if (call.t !== 'call') throw new TemplateError('expected call');
        endOf(p);
        return { t: 'callblock', call, params, body: this.closed('endcall') };
      }
      case 'filter': {
        const filter = p.parseFilterChain({ t: 'name', name: FILTER_BODY });
        endOf(p);
        return { t: 'filterblock', filter, body: this.closed('endfilter') };
      }
      case 'with': {
        const assigns: [string, Expr][] = [];
        while (!p.atEnd()) {
          if (assigns.length) p.expectOp(',');
          const name = p.expectName();
          p.expectOp('=');
          assigns.push([name, p.parseExpression()]);
        }
        return { t: 'with', assigns, body: this.closed('endwith') };
      }
      case 'include': {
        const template = p.parseExpression();
        let ignoreMissing = false;
        if (p.isName('ignore')) {
          p.expectName('ignore');
          p.expectName('missing');
          ignoreMissing = true;
        }
        const withContext = parseContext(p, true);
        endOf(p);
        return { t: 'include', template, ignoreMissing, withContext };
      }
      case 'import': {
        const template = p.parseExpression();
        p.expectName('as');
        const target = p.expectName();
        const withContext = parseContext(p, false);
        endOf(p);
        return { t: 'import', template, target, withContext };
      }
      case 'from':
        return parseFromImport(p);
    }
    throw new TemplateError(`Encountered unknown tag '${tag}'`);
  }

  private parseIf(p: ExprParser): Node {
    const branches: { test: Expr; body: Node[] }[] = [];
    let test = p.parseExpression();
    endOf(p);
    for (;;) {
      const { body, tag, parser } = this.block(['elif', 'else', 'endif']);
      branches.push({ test, body });
      if (tag === 'elif') {
        test = parser.parseExpression();
        endOf(parser);
        continue;
      }
      endOf(parser);
      if (tag === 'else') return { t: 'if', branches, else: this.closed('endif') };
      return { t: 'if', branches };
    }
  }

  private parseFor(p: ExprParser): Node {
    const targets = [p.expectName()];
    while (p.isOp(',')) {
      p.expectOp(',');
      targets.push(p.expectName());
    }
    p.expectName('in');
    const iter = p.parseTuple(false, ['if', 'recursive']);
    let filter: Expr | undefined;
    if (p.isName('if')) {
      p.expectName('if');
      filter = p.parseExpression(false);
    }
    const recursive = p.isName('recursive');
    if (recursive) p.expectName('recursive');
    endOf(p);
    const { body, tag, parser } = this.block(['else', 'endfor']);
    endOf(parser);
    const loop = { t: 'for' as const, targets, iter, filter, body, ...(recursive ? { recursive } : {}) };
    return tag === 'else' ? { ...loop, else: this.closed('endfor') } : loop;
  }

  private parseSet(p: ExprParser): Node {
    const targets = [p.expectName()];
    if (p.isOp('.')) {
      // {% set ns.attr = value %} on a namespace()
      p.expectOp('.');
      const attr = p.expectName();
      p.expectOp('=');
      const expr = p.parseExpression();
      endOf(p);
      return { t: 'set', targets, attr, expr };
    }
    while (p.isOp(',')) {
      p.expectOp(',');
      targets.push(p.expectName());
    }
    if (targets.length === 1 && (p.atEnd() || p.isOp('|'))) {
      // block set, optionally filtered: {% set x | upper %}...{% endset %}
      let filter: Expr | undefined;
      if (p.isOp('|')) {
        p.expectOp('|');
        filter = p.parseFilterChain({ t: 'name', name: FILTER_BODY });
      }
      endOf(p);
      return { t: 'setblock', target: targets[0], body: this.closed('endset'), ...(filter ? { filter } : {}) };
    }
    p.expectOp('=');
    const expr = p.parseTuple();
    endOf(p);
    return { t: 'set', targets, expr };
  }
}

function endOf(p: ExprParser): void {
  if (!p.atEnd()) throw p.error('expected end of statement block');
}

/** `(a, b=1, c='x')` of a macro or call block. */
function parseParams(p: ExprParser): MacroParam[] {
  const params: MacroParam[] = [];
  p.expectOp('(');
  while (!p.isOp(')')) {
    if (params.length) p.expectOp(',');
    if (p.isOp(')')) break;
    const name = p.expectName();
    if (p.isOp('=')) {
      p.expectOp('=');
      params.push({ name, default: p.parseExpression() });
    } else {
      if (params.some((x) => x.default)) throw new TemplateError('non-default argument follows default argument');
      params.push({ name });
    }
  }
  p.expectOp(')');
  return params;
}

/** Optional `with context` / `without context`. */
function parseContext(p: ExprParser, dflt: boolean): boolean {
  if (!p.isName('with') && !p.isName('without')) return dflt;
  const withIt = p.expectName() === 'with';
  p.expectName('context');
  return withIt;
}

function parseFromImport(p: ExprParser): Node {
  const template = p.parseExpression();
  p.expectName('import');
  const names: [string, string][] = [];
  let withContext = false;
  while (!p.atEnd()) {
    if (p.isName('with') || p.isName('without')) {
      withContext = parseContext(p, false);
      break;
    }
    if (names.length) p.expectOp(',');
    const name = p.expectName();
    if (name.startsWith('_')) throw new TemplateError('names starting with an underline can not be imported');
    let alias = name;
    if (p.isName('as')) {
      p.expectName('as');
      alias = p.expectName();
    }
    names.push([name, alias]);
  }
  if (!names.length) throw new TemplateError('expected at least one name to import');
  endOf(p);
  return { t: 'fromimport', template, names, withContext };
}
