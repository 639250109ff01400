import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import picomatch from 'picomatch';
import type { LoopControl, Task } from '../playbook/types.js';
import { toBool } from '../util/ansible-bool.js';
import { TsrunError } from '../util/errors.js';
import { evaluate, renderValue } from '../template/index.js';
import type { Scope } from '../vars/scope.js';

const isDict = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function flatten(list: unknown[], depth = Infinity): unknown[] {
  const out: unknown[] = [];
  for (const x of list) {
    if (Array.isArray(x) && depth > 0) out.push(...flatten(x, depth - 1));
    else out.push(x);
  }
  return out;
}

function asList(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (typeof value === 'string' || typeof value === 'number') return [value];
  throw new TsrunError(`${what} requires a list, got ${isDict(value) ? 'a dict' : typeof value}`);
}

/** `with_sequence: start=1 end=10 stride=2 format=web%02d` or `count=N`. */
function sequence(spec: unknown): unknown[] {
  const args: Record<string, string> = {};
  for (const part of String(spec).trim().split(/\s+/)) {
    const m = /^(\w+)=(.*)$/.exec(part);
    if (m) args[m[1]] = m[2];
    else if (/^\d+-\d+(\/\d+)?(:.*)?$/.test(part)) {
      const [range, fmt] = part.split(':');
      const [se, stride] = range.split('/');
      const [s, e] = se.split('-');
      Object.assign(args, { start: s, end: e }, stride ? { stride } : {}, fmt ? { format: fmt } : {});
    }
  }
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number.parseInt(v, v.startsWith('0x') ? 16 : 10));
  const start = num(args.start, 1);
  const stride = num(args.stride, 1);
  const end = args.count !== undefined ? start + (num(args.count, 0) - 1) * stride : num(args.end, start);
  const format = args.format ?? '%d';
  const out: string[] = [];
  if (stride === 0) throw new TsrunError('with_sequence: stride must not be 0');
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) {
    out.push(format.replace(/%(0?)(\d*)([dxXo])/, (_m, zero: string, width: string, conv: string) => {
      let s = conv === 'd' ? String(i) : conv === 'o' ? i.toString(8) : i.toString(16);
      if (conv === 'X') s = s.toUpperCase();
      return s.padStart(Number(width || 0), zero ? '0' : ' ');
    }));
  }
  return out;
}

/** Ansible's fileglob: files (not directories) matching a pattern in one directory. */
function fileGlob(pattern: string): string[] {
  const dir = dirname(pattern);
  const match = picomatch(basename(pattern), { dot: false });
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => match(n)).map((n) => join(dir, n)).filter((p) => statSync(p).isFile());
}

/**
 * Turns a rendered `loop:`/`with_*:` value into the list of items, with each lookup's own
 * shape (with_dict yields {key, value}, with_together pads with null...).
 */
/** A task's loop items for `scope`; with_first_found asks the first_found lookup with the task's search path. */
export function loopItems(task: Task, scope: Scope, searchPath: string[]): unknown[] {
  const terms = renderValue(task.loop, { vars: scope });
  if (task.loopKind !== 'with_first_found') return expandLoop(task.loopKind ?? 'loop', terms, task.baseDir);
  const withTerms = scope.with({ name: 'with_first_found terms', values: { __tsrun_terms: terms }, templated: false });
  return asList(evaluate("query('first_found', __tsrun_terms)", { vars: withTerms, searchPath }), 'with_first_found');
}

export function expandLoop(kind: NonNullable<Task['loopKind']>, value: unknown, baseDir: string): unknown[] {
  switch (kind) {
    case 'loop':
      if (!Array.isArray(value)) throw new TsrunError(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(value)}`);
      return value;
    case 'with_items':
      return flatten(asList(value, 'with_items'), 1);
    case 'with_list':
      return asList(value, 'with_list');
    case 'with_flattened':
      return flatten(asList(value, 'with_flattened'));
    case 'with_indexed_items':
      return flatten(asList(value, 'with_indexed_items'), 1).map((x, i) => [i, x]);
    case 'with_dict': {
      if (!isDict(value)) throw new TsrunError(`with_dict expects a dict, got ${JSON.stringify(value)}`);
      return Object.entries(value).map(([key, v]) => ({ key, value: v }));
    }
    case 'with_together': {
      const lists = asList(value, 'with_together').map((l) => asList(l, 'with_together'));
      const n = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'with_nested': {
      const lists = asList(value, 'with_nested').map((l) => asList(l, 'with_nested'));
      return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]]);
    }
    case 'with_subelements': {
      const [list, key, opts] = asList(value, 'with_subelements');
      const skipMissing = isDict(opts) && opts.skip_missing === true;
      const out: unknown[] = [];
      for (const el of asList(list, 'with_subelements')) {
        if (!isDict(el)) throw new TsrunError('with_subelements: items must be dicts');
        const subs = String(key).split('.').reduce<unknown>((o, k) => (isDict(o) ? o[k] : undefined), el);
        if (subs === undefined) {
          if (skipMissing) continue;
          throw new TsrunError(`with_subelements: could not find '${String(key)}' key in an item`);
        }
        for (const s of asList(subs, 'with_subelements')) out.push([el, s]);
      }
      return out;
    }
    case 'with_sequence':
      return sequence(value);
    case 'with_fileglob':
      return asList(value, 'with_fileglob')
        .flatMap((p) => fileGlob(isAbsolute(String(p)) ? String(p) : join(baseDir, 'files', String(p))))
        .sort();
    case 'with_first_found':
      throw new TsrunError('with_first_found needs the task scope (loopItems)');
    case 'with_random_choice': {
      const l = asList(value, 'with_random_choice');
      return l.length ? [l[Math.floor(Math.random() * l.length)]] : [];
    }
  }
}

/** loop_control.extended: Ansible's `ansible_loop` for item `i` of `items`; `lc.extended_allitems: false` leaves allitems out. */
export function extendedLoopVars(items: unknown[], i: number, lc: LoopControl = {}): Record<string, unknown> {
  return {
    ...(lc.extended_allitems === undefined || toBool(lc.extended_allitems) ? { allitems: items } : {}),
    index: i + 1, index0: i, revindex: items.length - i, revindex0: items.length - i - 1,
    first: i === 0, last: i === items.length - 1, length: items.length,
    previtem: i > 0 ? items[i - 1] : undefined, nextitem: i < items.length - 1 ? items[i + 1] : undefined,
  };
}
