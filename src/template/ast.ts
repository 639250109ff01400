export type Expr =
  | { t: 'const'; value: unknown }
  | { t: 'name'; name: string }
  | { t: 'list'; items: Expr[] }
  | { t: 'tuple'; items: Expr[] }
  | { t: 'dict'; pairs: [Expr, Expr][] }
  | { t: 'getattr'; obj: Expr; attr: string | number }
  | { t: 'getitem'; obj: Expr; key: Expr }
  | { t: 'slice'; obj: Expr; start?: Expr; stop?: Expr; step?: Expr }
  | { t: 'call'; fn: Expr; args: Expr[]; kwargs: [string, Expr][] }
  | { t: 'filter'; node: Expr; name: string; args: Expr[]; kwargs: [string, Expr][] }
  | { t: 'test'; node: Expr; name: string; args: Expr[]; kwargs: [string, Expr][]; negate: boolean }
  | { t: 'unary'; op: 'not' | '-' | '+'; node: Expr }
  | { t: 'binary'; op: string; left: Expr; right: Expr }
  | { t: 'compare'; first: Expr; ops: [string, Expr][] }
  | { t: 'cond'; test: Expr; then: Expr; else?: Expr }
  /** `*seq` among a call's arguments (its items become positional arguments); `**map` is a kwargs entry keyed '**'. */
  | { t: 'star'; node: Expr };

export interface MacroParam {
  name: string;
  default?: Expr;
}

type CallExpr = Extract<Expr, { t: 'call' }>;

/** Template statements; `line` is the template line of the tag, for error messages. */
export type Node = (
  | { t: 'text'; text: string }
  | { t: 'output'; expr: Expr; source: string }
  | { t: 'if'; branches: { test: Expr; body: Node[] }[]; else?: Node[] }
  | { t: 'for'; targets: string[]; iter: Expr; filter?: Expr; recursive?: boolean; body: Node[]; else?: Node[] }
  | { t: 'set'; targets: string[]; attr?: string; expr: Expr }
  | { t: 'setblock'; target: string; body: Node[]; filter?: Expr }
  | { t: 'macro'; name: string; params: MacroParam[]; body: Node[] }
  | { t: 'callblock'; call: CallExpr; params: MacroParam[]; body: Node[] }
  /** `filter` applies to the name FILTER_BODY, bound to the rendered body. */
  | { t: 'filterblock'; filter: Expr; body: Node[] }
  | { t: 'with'; assigns: [string, Expr][]; body: Node[] }
  | { t: 'include'; template: Expr; ignoreMissing: boolean; withContext: boolean }
  | { t: 'import'; template: Expr; target: string; withContext: boolean }
  | { t: 'fromimport'; template: Expr; names: [string, string][]; withContext: boolean }
) & { line?: number };

/** The variable a `{% filter %}` / `{% set x | f %}` chain is applied to (not a valid identifier). */
export const FILTER_BODY = '\0body';
