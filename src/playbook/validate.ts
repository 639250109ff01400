import { ConfigError, type SourcePos } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { compileSchema, jsType, pathName, summariseErrors, type ErrorObject } from './ajv.js';
import { pointerPos } from './source.js';
import { UNSUPPORTED_KEYWORDS, type Schema } from './schema/common.js';

interface Located {
  message: string;
  pos: SourcePos;
}

function posKey(p: SourcePos): number {
  return (p.line ?? 0) * 100000 + (p.column ?? 0);
}

function describe(err: ErrorObject): string | undefined {
  const parent = err.parentSchema as { description?: string } | undefined;
  return parent?.description;
}

function keywordError(err: ErrorObject, data: unknown, what: string, fallback: SourcePos): Located {
  if (err.keyword === 'additionalProperties') {
    const prop = String((err.params as { additionalProperty: string }).additionalProperty);
    const pos = pointerPos(data, err.instancePath, fallback, prop);
    const unsupported = UNSUPPORTED_KEYWORDS.get(prop);
    if (unsupported) return { message: `'${prop}' is not supported by tsrun (${unsupported})`, pos };
    const where = err.instancePath === '' ? what : `'${pathName(err.instancePath)}'`;
    const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return { message: `'${prop}' is not a valid attribute for ${where}${didYouMean(prop, known)}`, pos };
  }
  if (err.keyword === 'required') {
    const prop = String((err.params as { missingProperty: string }).missingProperty);
    return { message: `the field '${prop}' is required but was not set`, pos: pointerPos(data, err.instancePath, fallback) };
  }
  const pos = pointerPos(data, err.instancePath, fallback);
  const name = err.instancePath === '' ? what : `'${pathName(err.instancePath)}'`;
  const expected = describe(err);
  const got = jsType(err.data);
  if (expected) return { message: `${name} must be ${expected}, got ${got}`, pos };
  return { message: `${name} ${err.message ?? 'is not valid'}`, pos };
}

/** Validates `data` against a keyword schema; throws the first problem in file order. `allowKeys`: extra top-level keys (a task's action). */
export function validateKeywords(schema: Schema, data: unknown, what: string, fallback: SourcePos, allowKeys: readonly string[] = []): void {
  const fn = compileSchema(schema);
  if (fn(data)) return;
  const allowed = (e: ErrorObject): boolean =>
    e.keyword === 'additionalProperties' && e.instancePath === '' && allowKeys.includes(String((e.params as { additionalProperty: string }).additionalProperty));
  const errors = summariseErrors((fn.errors ?? []).filter((e) => !allowed(e)));
  if (errors.length === 0) return;
  // at the same place, an unknown keyword comes before a missing one (Ansible checks attributes first)
  const located = errors.map((e) => ({ ...keywordError(e, data, what, fallback), late: e.keyword === 'required' ? 1 : 0 }));
  located.sort((a, b) => posKey(a.pos) - posKey(b.pos) || a.late - b.late);
  const first = located[0];
  throw new ConfigError(first.message, first.pos);
}

/** A mapping was expected: Ansible says so and so do we. */
export function expectMapping(value: unknown, what: string, pos: SourcePos): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${what} must be a mapping, got ${jsType(value)}`, pos);
  }
  return value as Record<string, unknown>;
}
