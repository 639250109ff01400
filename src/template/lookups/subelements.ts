/** Ansible's subelements lookup: pairs each element of a list (or a dict's values) with each item of a nested list key. */
import { toBool } from '../../util/ansible-bool.js';
import { str } from '../python.js';
import { isMapping } from '../values.js';
import { LookupFailure, termList, type Lookup } from './types.js';

const FLAGS = ['skip_missing'];

function termsError(detail = ''): LookupFailure {
  return new LookupFailure(`subelements lookup expects a list of two or three items, ${detail}`);
}

const isDict = (v: unknown): v is Record<string, unknown> => isMapping(v) && !(v instanceof Map);

/** `item0` with the list at `path` taken out (Ansible pops it, so the pair's first item lacks it). */
function withoutLast(item0: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...item0 };
  if (rest.length === 0) delete copy[head];
  else copy[head] = withoutLast(copy[head] as Record<string, unknown>, rest);
  return copy;
}

export const subelements: Lookup = (raw) => {
  const terms = [...termList(raw)];
  if (terms.length > 0 && !Array.isArray(terms[0]) && !isDict(terms[0])) terms[0] = [terms[0]]; // listify, as Ansible does
  if (terms.length < 2 || terms.length > 3) throw termsError();
  const [list, key, flags = {}] = terms;
  if (!(Array.isArray(list) || isDict(list)) || typeof key !== 'string') {
    throw termsError('first a dict or a list, second a string pointing to the subkey');
  }
  if (!isDict(flags) && !(Array.isArray(flags) && flags.every((f) => typeof f === 'string' && FLAGS.includes(f)))) {
    throw termsError(`the optional third item must be a dict with flags ${FLAGS.join(', ')}`);
  }
  const path = key.split('.');
  let elements: unknown[];
  if (isDict(list)) {
    if (list.skipped !== undefined && list.skipped !== false) return []; // a registered result that was skipped whole
    elements = Object.values(list);
  } else elements = list;
  const skipMissing = isDict(flags) && toBool(flags.skip_missing ?? false, false);
  const out: unknown[] = [];
  for (const item0 of elements) {
    if (!isDict(item0)) throw new LookupFailure(`subelements lookup expects a dictionary, got '${str(item0)}'`);
    if (item0.skipped !== undefined && item0.skipped !== false) continue;
    let value: Record<string, unknown> = item0;
    let sublist: unknown[] = [];
    for (const [i, sub] of path.entries()) {
      if (!(sub in value)) {
        if (skipMissing) continue;
        throw new LookupFailure(`could not find '${sub}' key in iterated item '${str(value)}'`);
      }
      const next = value[sub];
      if (i < path.length - 1) {
        if (!isDict(next)) {
          if (skipMissing) continue;
          throw new LookupFailure(`the key ${sub} should point to a dictionary, got '${str(next)}'`);
        }
        value = next;
      } else {
        if (!Array.isArray(next)) throw new LookupFailure(`the key ${sub} should point to a list, got '${str(next)}'`);
        sublist = next;
      }
    }
    const first = sublist.length ? withoutLast(item0, path) : item0;
    for (const item1 of sublist) out.push([first, item1]);
  }
  return out;
};
