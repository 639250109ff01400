/** Attribute and item access as Jinja does it (`a.b`, `a['b']`, `a[0]`), shared by the interpreter and the filters. */
import { hasMethod } from './methods.js';
import { str } from './python.js';
import { missingAttr } from './undefined.js';
import { BoundMethod, PyFunction, PyObject, Undefined, isLazyMapping, isMapping, typeName } from './values.js';

export function getAttr(obj: unknown, attr: string | number, path: string): unknown {
  // AnsibleUndefined: attributes of an undefined value are that same undefined value
  if (obj instanceof Undefined) return obj;
  if (obj instanceof PyFunction && obj.attrs && Object.prototype.hasOwnProperty.call(obj.attrs, attr)) return obj.attrs[attr];
  if (obj instanceof PyObject && typeof attr === 'string') {
    if (obj.hasMethod(attr)) return new BoundMethod(obj, attr);
    const v = obj.attr(attr);
    if (v !== undefined) return v;
  }
  if (typeof attr === 'string' && hasMethod(obj, attr)) return new BoundMethod(obj, attr);
  return getItem(obj, attr, path, false);
}

export function getItem(obj: unknown, key: unknown, path: string, methodFallback = true): unknown {
  if (obj instanceof Undefined) return obj;
  if (obj === null || obj === undefined) return new Undefined(`'None' has no attribute '${str(key)}'`, path);
  if (obj instanceof Map) {
    if (obj.has(key)) return obj.get(key);
  } else if (isLazyMapping(obj)) {
    const k = typeof key === 'number' || typeof key === 'string' ? String(key) : undefined;
    if (k !== undefined && obj.has(k)) return obj.lookup(k) ?? null;
  } else if (isMapping(obj)) {
    const k = typeof key === 'number' || typeof key === 'string' || typeof key === 'boolean' ? String(key) : undefined;
    if (k !== undefined && Object.prototype.hasOwnProperty.call(obj, k)) {
      const v = obj[k];
      return v === undefined ? null : v;
    }
  } else if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key === 'number' && Number.isInteger(key)) {
      const len = Array.isArray(obj) ? obj.length : obj.length;
      const idx = key < 0 ? len + key : key;
      if (idx >= 0 && idx < len) {
        const v = Array.isArray(obj) ? obj[idx] : [...obj][idx];
        return v === undefined ? null : v;
      }
      return new Undefined(`${typeName(obj)} object has no element ${key}`, path);
    }
    if (typeof key === 'boolean') return getItem(obj, key ? 1 : 0, path);
  }
  if (methodFallback && typeof key === 'string' && hasMethod(obj, key)) return new BoundMethod(obj, key);
  return missingAttr(obj, str(key), path);
}
