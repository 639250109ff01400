/**
 * Anything variables can be looked up in. `lookup` returns JS `undefined` for a name that is
 * not defined; Jinja's `none` is JS `null`. Implementations may resolve lazily (a value that is
 * itself a template is rendered on first lookup), so `lookup` can throw a TemplateError.
 */
export interface VarSource {
  lookup(name: string): unknown;
  has(name: string): boolean;
  /** Every defined name, for EJS locals and `vars`/`hostvars` listings. */
  names(): Iterable<string>;
  /**
   * Where a name's value is stored, unrendered: the mapping that holds it and whether it is
   * template data (false: facts, registered results). Python type names in argument spec
   * messages depend on it (a YAML string is an AnsibleUnicode, a templated one a str).
   */
  origin?(name: string): { values: Record<string, unknown>; templated: boolean } | undefined;
}

/** A plain object as a VarSource, values returned as they are (no templating). */
export function plainVars(values: Record<string, unknown>): VarSource {
  return {
    lookup: (name) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined),
    has: (name) => Object.prototype.hasOwnProperty.call(values, name),
    names: () => Object.keys(values),
  };
}

/** `extra` over `base`: names in `extra` win (e.g. the template module's template_* variables). */
export function overlayVars(extra: Record<string, unknown>, base: VarSource): VarSource {
  const own = (n: string) => Object.prototype.hasOwnProperty.call(extra, n);
  return {
    lookup: (n) => (own(n) ? extra[n] : base.lookup(n)),
    has: (n) => own(n) || base.has(n),
    names: () => new Set([...Object.keys(extra), ...base.names()]),
  };
}
