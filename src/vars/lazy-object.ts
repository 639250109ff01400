import type { VarSource } from './types.js';

/**
 * A read-only object view of a VarSource, so expressions and EJS can treat `hostvars[h]` and
 * `vars` as plain dicts while values still render lazily, on access.
 */
export function lazyObject(source: VarSource): Record<string, unknown> {
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_t, key) => (typeof key === 'string' ? source.lookup(key) : undefined),
    has: (_t, key) => typeof key === 'string' && source.has(key),
    ownKeys: () => [...source.names()],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && source.has(key)
        ? { enumerable: true, configurable: true, writable: false, value: source.lookup(key) }
        : undefined,
    set: () => false,
    deleteProperty: () => false,
  });
}

/**
 * `hostvars`: one lazy object per host, created on first access. `implicit` names (Ansible's
 * implicit localhost) can be read but are not listed, as in Ansible's HostVars.
 */
export function lazyHostvars(hosts: readonly string[], scopeOf: (host: string) => VarSource, implicit: readonly string[] = []): Record<string, unknown> {
  const cache = new Map<string, Record<string, unknown>>();
  const known = new Set([...hosts, ...implicit]);
  const get = (host: string): Record<string, unknown> => {
    let obj = cache.get(host);
    if (!obj) {
      obj = lazyObject(scopeOf(host));
      cache.set(host, obj);
    }
    return obj;
  };
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_t, key) => (typeof key === 'string' && known.has(key) ? get(key) : undefined),
    has: (_t, key) => typeof key === 'string' && known.has(key),
    ownKeys: () => [...hosts],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && known.has(key) ? { enumerable: true, configurable: true, writable: false, value: get(key) } : undefined,
    set: () => false,
    deleteProperty: () => false,
  });
}
