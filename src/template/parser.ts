import type { Expr } from './ast.js';
import { TemplateError } from './errors.js';
import { mkFloat } from './values.js';
import { lex, type Token } from './lexer.js';

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const CONST_NAMES: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null };

/** Recursive-descent parser following Jinja's grammar and precedence. */
export class ExprParser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  get tok(): Token {
    return this.tokens[this.i];
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }
  isOp(v: string): boolean {
    return this.tok.type === 'op' && this.tok.value === v;
  }
  isName(v: string): boolean {
    return this.tok.type === 'name' && this.tok.value === v;
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) throw this.error(`expected '${v}'`);
    this.i++;
  }
  expectName(v?: string): string {
    if (this.tok.type !== 'name' || (v !== undefined && this.tok.value !== v)) throw this.error(v ? `expected '${v}'` : 'expected a name');
    return this.next().value;
  }
  atEnd(): boolean {
    return this.tok.type === 'eof';
  }
  error(msg: string): TemplateError {
    const t = this.tok;
    const found = t.type === 'eof' ? 'end of expression' : `'${t.value}'`;
    return new TemplateError(`syntax error: ${msg}, got ${found}`);
  }

  /** Jinja's parse_tuple: `a, b` without parentheses is a tuple ({{ }}, set values, for iterables). */
  parseTuple(withCondExpr = true, endNames: string[] = []): Expr {
    const first = this.parseExpression(withCondExpr);
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.atEnd() || (this.tok.type === 'name' && endNames.includes(this.tok.value))) break;
      items.push(this.parseExpression(withCondExpr));
    }
    return { t: 'tuple', items };
  }

  parseExpression(withCondExpr = true): Expr {
    return withCondExpr ? this.parseCondExpr() : this.parseOr();
  }

  private parseCondExpr(): Expr {
    let node = this.parseOr();
    while (this.isName('if')) {
      this.next();
      const test = this.parseOr();
      let otherwise: Expr | undefined;
      if (this.isName('else')) {
        this.next();
        otherwise = this.parseCondExpr();
      }
      node = { t: 'cond', test, then: node, else: otherwise };
    }
    return node;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName('or')) {
      this.next();
      left = { t: 'binary', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName('and')) {
      this.next();
      left = { t: 'binary', op: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      this.next();
      return { t: 'unary', op: 'not', node: this.parseNot() };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const first = this.parseMath1();
    const ops: [string, Expr][] = [];
    for (;;) {
      if (this.tok.type === 'op' && COMPARE_OPS.has(this.tok.value)) {
        const op = this.next().value;
        ops.push([op, this.parseMath1()]);
      } else if (this.isName('in')) {
        this.next();
        ops.push(['in', this.parseMath1()]);
      } else if (this.isName('not') && this.peek().type === 'name' && this.peek().value === 'in') {
        this.i += 2;
        ops.push(['notin', this.parseMath1()]);
      } else break;
    }
    return ops.length ? { t: 'compare', first, ops } : first;
  }

  private parseMath1(): Expr {
    let left = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value;
      left = { t: 'binary', op, left, right: this.parseConcat() };
    }
    return left;
  }

  private parseConcat(): Expr {
    let left = this.parseMath2();
    while (this.isOp('~')) {
      this.next();
      left = { t: 'binary', op: '~', left, right: this.parseMath2() };
    }
    return left;
  }

  private parseMath2(): Expr {
    let left = this.parsePow();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next().value;
      left = { t: 'binary', op, left, right: this.parsePow() };
    }
    return left;
  }

  private parsePow(): Expr {
    let left = this.parseUnary();
    while (this.isOp('**')) {
      this.next();
      left = { t: 'binary', op: '**', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(withFilter = true): Expr {
    let node: Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next().value as '-' | '+';
      node = { t: 'unary', op, node: this.parseUnary(false) };
    } else node = this.parsePostfix(this.parsePrimary());
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  private parsePrimary(): Expr {
    const t = this.tok;
    if (t.type === 'name') {
      this.next();
      if (t.value in CONST_NAMES) return { t: 'const', value: CONST_NAMES[t.value] };
      return { t: 'name', name: t.value };
    }
    if (t.type === 'string') {
      let s = this.next().value;
      while (this.tok.type === 'string') s += this.next().value;
      return { t: 'const', value: s };
    }
    if (t.type === 'int') {
      this.next();
      return { t: 'const', value: parseInt(t.value, 10) };
    }
    if (t.type === 'float') {
      this.next();
      return { t: 'const', value: mkFloat(parseFloat(t.value)) };
    }
    if (this.isOp('(')) {
      this.next();
      if (this.isOp(')')) {
        this.next();
        return { t: 'tuple', items: [] };
      }
      const first = this.parseExpression();
      if (this.isOp(')')) {
        this.next();
        return first;
      }
      const items = [first];
      while (this.isOp(',')) {
        this.next();
        if (this.isOp(')')) break;
        items.push(this.parseExpression());
      }
      this.expectOp(')');
      return { t: 'tuple', items };
    }
    if (this.isOp('[')) {
      this.next();
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        if (items.length) this.expectOp(',');
        if (this.isOp(']')) break;
        items.push(this.parseExpression());
      }
      this.expectOp(']');
      return { t: 'list', items };
    }
    if (this.isOp('{')) {
      this.next();
      const pairs: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        if (pairs.length) this.expectOp(',');
        if (this.isOp('}')) break;
        const k = this.parseExpression();
        this.expectOp(':');
        pairs.push([k, this.parseExpression()]);
      }
      this.expectOp('}');
      return { t: 'dict', pairs };
    }
    throw this.error('unexpected token');
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.type === 'name') node = { t: 'getattr', obj: node, attr: t.value };
        else if (t.type === 'int') node = { t: 'getitem', obj: node, key: { t: 'const', value: parseInt(t.value, 10) } };
        else {
          this.i--;
          throw this.error('expected a name after "."');
        }
      } else if (this.isOp('[')) {
        this.next();
        node = this.parseSubscript(node);
        this.expectOp(']');
      } else if (this.isOp('(')) {
        node = this.parseCall(node);
      } else return node;
    }
  }

  private parseSubscript(obj: Expr): Expr {
    const parts: (Expr | undefined)[] = [];
    let current: Expr | undefined;
    let isSlice = false;
    while (!this.isOp(']')) {
      if (this.isOp(':')) {
        this.next();
        isSlice = true;
        parts.push(current);
        current = undefined;
      } else {
        current = this.parseExpression();
      }
    }
    if (!isSlice) {
      if (!current) throw this.error('expected a subscript');
      return { t: 'getitem', obj, key: current };
    }
    parts.push(current);
    return { t: 'slice', obj, start: parts[0], stop: parts[1], step: parts[2] };
  }

  /** A call's arguments in Jinja's order: positional, then keyword and one `*seq`, then one `**map` last. */
  private parseArgs(): { args: Expr[]; kwargs: [string, Expr][] } {
    this.expectOp('(');
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    let star = false;
    let starStar = false;
    const ensure = (ok: boolean) => {
      if (!ok) throw this.error('invalid syntax for function call expression');
    };
    while (!this.isOp(')')) {
      if (args.length || kwargs.length) {
        this.expectOp(',');
        if (this.isOp(')')) break;
      }
      if (this.isOp('**')) {
        ensure(!starStar);
        this.next();
        starStar = true;
        kwargs.push(['**', this.parseExpression()]);
      } else if (this.isOp('*')) {
        // Jinja, like Python, allows *args after keyword arguments
        ensure(!star && !starStar);
        this.next();
        star = true;
        args.push({ t: 'star', node: this.parseExpression() });
      } else if (this.tok.type === 'name' && this.peek().type === 'op' && this.peek().value === '=') {
        ensure(!starStar);
        const key = this.next().value;
        this.next();
        kwargs.push([key, this.parseExpression()]);
      } else {
        if (kwargs.length) throw this.error('positional argument follows keyword argument');
        ensure(!star);
        args.push(this.parseExpression());
      }
    }
    this.expectOp(')');
    return { args, kwargs };
  }

  private parseCall(fn: Expr): Expr {
    const { args, kwargs } = this.parseArgs();
    return { t: 'call', fn, args, kwargs };
  }

  dottedName(): string {
    let name = this.expectName();
    while (this.isOp('.')) {
      this.next();
      name += `.${this.expectName()}`;
    }
    return name;
  }

  /** `{% filter name(args) | more %}`: the first filter has no leading "|". */
  parseFilterChain(node: Expr): Expr {
    const name = this.dottedName();
    const { args, kwargs } = this.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] };
    return this.parseFilterExpr({ t: 'filter', node, name, args, kwargs });
  }

  parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) {
        this.next();
        const name = this.dottedName();
        const { args, kwargs } = this.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] };
        node = { t: 'filter', node, name, args, kwargs };
      } else if (this.isName('is')) {
        this.next();
        let negate = false;
        if (this.isName('not')) {
          this.next();
          negate = true;
        }
        const name = this.dottedName();
        let args: Expr[] = [];
        let kwargs: [string, Expr][] = [];
        if (this.isOp('(')) ({ args, kwargs } = this.parseArgs());
        else if (this.startsBareTestArg()) args = [this.parsePostfix(this.parsePrimary())];
        node = { t: 'test', node, name, args, kwargs, negate };
      } else if (this.isOp('(')) {
        node = this.parseCall(node);
      } else return node;
    }
  }

  /** `x is divisibleby 3`, `x is sameas none`: one argument without parentheses. */
  private startsBareTestArg(): boolean {
    const t = this.tok;
    if (t.type === 'string' || t.type === 'int' || t.type === 'float') return true;
    if (t.type === 'op') return t.value === '[' || t.value === '{';
    if (t.type === 'name') return !['else', 'or', 'and', 'if', 'in', 'not', 'is'].includes(t.value);
    return false;
  }
}

export function parseExpression(text: string): Expr {
  const { tokens } = lex(text);
  const p = new ExprParser(tokens);
  if (p.atEnd()) throw new TemplateError('syntax error: empty expression');
  const expr = p.parseExpression();
  if (!p.atEnd()) throw p.error('unexpected token after expression');
  return expr;
}
