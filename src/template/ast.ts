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
  | { t: 'cond'; test: Expr; then: Expr; else?: Expr };

export type Node =
  | { t: 'text'; text: string }
  | { t: 'output'; expr: Expr; source: string }
  | { t: 'if'; branches: { test: Expr; body: Node[] }[]; else?: Node[] }
  | { t: 'for'; targets: string[]; iter: Expr; filter?: Expr; body: Node[]; else?: Node[] }
  | { t: 'set'; targets: string[]; attr?: string; expr: Expr }
  | { t: 'setblock'; target: string; body: Node[] };
