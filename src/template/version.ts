import { EvalError } from './errors.js';
import { str } from './python.js';

type Part = number | string;

/** distutils LooseVersion: runs of digits compare as numbers, letters as text. */
function loose(v: string): Part[] {
  return (v.match(/\d+|[a-z]+|\./gi) ?? []).filter((p) => p !== '.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function strict(v: string): Part[] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/.exec(v);
  if (!m) throw new EvalError(`invalid version number '${v}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] ? m[4] : 'z', m[5] ? Number(m[5]) : 0];
}

function semver(v: string): Part[] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) throw new EvalError(`invalid semantic version '${v}'`);
  // a release sorts after its prereleases
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? '\uffff' : m[4]];
}

function cmpParts(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0,
  '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

export function versionCompare(value: unknown, other: unknown, op: unknown = 'eq', strictFlag?: unknown, type?: unknown): boolean {
  const check = OPS[str(op)];
  if (!check) throw new EvalError(`Invalid operator type (${str(op)})`);
  const kind = type === undefined || type === null ? (strictFlag ? 'strict' : 'loose') : str(type);
  const parse = kind === 'strict' ? strict : kind === 'semver' || kind === 'semantic' ? semver : loose;
  if (value === '' || value === null) throw new EvalError('Input version value cannot be empty');
  return check(cmpParts(parse(str(value)), parse(str(other))));
}
