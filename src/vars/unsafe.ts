/**
 * Ansible's unsafe marking, as far as it shows: Ansible wraps loop items of `with_` lookups,
 * lookup results, registered results, facts and `!unsafe` text as AnsibleUnsafe, never templates
 * such a value again, and marks the result of a template that read one unsafe too
 * (AnsibleContext.unsafe). Every other variable is templated each time it is read, so a set_fact
 * value rendered from safe data only, that still holds `{{ }}` (text hostvars kept as written, a
 * `loop:` item from a vars file), is rendered again where it is read (ansible issue 64169).
 *
 * tsrun marks no values: a layer says whether its values are unsafe (VarLayer.safe), and a
 * render notes whether it read an unsafe variable (`trackUnsafe`).
 */
import type { VarSource } from './types.js';

/** What `!unsafe` text becomes (yaml.ts unsafeText), or a lookup call: unsafe when a variable holding it is read. */
const RAW_WHOLE = /^\{% raw %\}[\s\S]*\{% endraw %\}$/;
const LOOKUP_CALL = /\b(?:lookup|query|q)\s*\(/;

/** A templated variable's raw value holds unsafe text or a lookup call. */
export function holdsUnsafeText(value: unknown): boolean {
  // linear tests: values can be large, and this runs on every name a tracked render reads
  if (typeof value === 'string') return RAW_WHOLE.test(value) || (value.includes('{{') && LOOKUP_CALL.test(value));
  if (Array.isArray(value)) return value.some(holdsUnsafeText);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => holdsUnsafeText(k) || holdsUnsafeText(v));
  return false;
}

/** Ansible's _is_unsafe of a wrapped value: wrap_var marks text only, so numbers, bools and None are never unsafe. */
export function holdsText(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.some(holdsText);
  // a dict is unsafe through its values (AnsibleContext._is_unsafe does not look at keys)
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsText);
  return false;
}

/** A source that can say whether reading a name reads an unsafe value. */
export interface UnsafeAware extends VarSource {
  readsUnsafe(name: string): boolean;
}

/**
 * `source` seen through a template render: `touched()` says whether the render read an unsafe
 * variable. A template's own text counts too: `!unsafe` text, or a lookup()/query() call.
 */
export function trackUnsafe(source: UnsafeAware): VarSource & { touched(): boolean } {
  let touched = false;
  return {
    lookup(name) {
      if (!touched && source.readsUnsafe(name)) touched = true;
      return source.lookup(name);
    },
    has: (name) => source.has(name),
    names: () => source.names(),
    ...(source.origin ? { origin: (name: string) => source.origin?.(name) } : {}),
    touched: () => touched,
  };
}

/** set_fact results' `ansible_facts` objects → the fact names rendered from safe data only. */
const SAFE_FACTS = new WeakMap<object, ReadonlySet<string>>();

/** Notes which of the result's facts are safe; the result is returned as it is. */
export function markSafeFacts<R extends Record<string, unknown>>(result: R, safe: ReadonlySet<string> | undefined): R {
  const facts = result.ansible_facts;
  if (safe && facts !== null && typeof facts === 'object') SAFE_FACTS.set(facts, safe);
  return result;
}

/** The safe fact names of a result's `ansible_facts` (none unless set_fact marked them). */
export function safeFacts(facts: object): ReadonlySet<string> {
  return SAFE_FACTS.get(facts) ?? new Set();
}
