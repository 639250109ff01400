/**
 * Python's type() of a value, as Ansible's argument-spec messages print it ("argument 'x' is of
 * type <class 'dict'> ..."). Plain data cannot tell everything apart: a string Ansible read from
 * YAML and never templated is an AnsibleUnicode, a templated one a str; `37.` in YAML is a float
 * although JS holds 37. Whoever has that knowledge passes a `PyClassOf` (the
 * validate_argument_spec module does, from where each variable is stored).
 */
import { PyFloat } from '../template/values.js';

/** The short class name: str, AnsibleUnicode, int, float, bool, list, dict, NoneType, bytes. */
export type PyClassName = string;

/** `path`: the option's name, below it the names (and list indices) of nested options. */
export type PyClassOf = (value: unknown, path: readonly (string | number)[]) => PyClassName;

export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

export function isDict(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isBytes(v);
}

/** The class plain data shows: a string is a str, an integral number an int. */
export function plainPyClass(value: unknown): PyClassName {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  if (isBytes(value)) return 'bytes';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'object') return 'dict';
  return typeof value;
}

const MODULES: Record<string, string> = { AnsibleUnicode: 'ansible.parsing.yaml.objects.' };

/** repr(type(value)): `<class 'dict'>`, `<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>`. */
export function classRepr(name: PyClassName): string {
  return `<class '${MODULES[name] ?? ''}${name}'>`;
}

export const isTextClass = (name: PyClassName): boolean => name === 'str' || name === 'AnsibleUnicode';
