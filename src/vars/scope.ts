import { renderString, renderValue, TemplateError, UndefinedVariableError, isTemplated, type TemplateEnv } from '../template/index.js';
import type { VarSource } from './types.js';
import { holdsText, holdsUnsafeText, type UnsafeAware } from './unsafe.js';
import { isPlainObject, mergeHash } from '../inventory/combine-vars.js';

/** One precedence level. `templated: false` marks data that came from hosts (facts, register): never rendered. */
export interface VarLayer {
  name: string;
  values: Record<string, unknown>;
  templated: boolean;
  /**
   * Layers of one group replace each other's values even under hash_behaviour=merge: Ansible joins
   * block and task vars with a plain dict update before combining them with the levels below.
   */
  group?: string;
  /**
   * A layer that is not templated holds unsafe values (Ansible's AnsibleUnsafe: gathered facts,
   * registered results, `with_` items) unless it is `safe` (magic variables, `loop:` items
   * rendered from safe values only).
   */
  safe?: boolean;
  /** Names of a layer that is not templated whose values are rendered when read nonetheless: set_fact values rendered from safe data. */
  renderedNames?: ReadonlySet<string>;
}

const renders = (layer: VarLayer, name: string): boolean => layer.templated || (layer.renderedNames?.has(name) ?? false);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function mayNeedRendering(value: unknown): boolean {
  if (typeof value === 'string') return isTemplated(value);
  if (Array.isArray(value)) return value.some(mayNeedRendering);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => isTemplated(k) || mayNeedRendering(v));
  return false;
}

/** renderString, except that a string whose rendering meets an undefined variable stays as it is. */
function renderOrKeep(text: string, env: TemplateEnv): unknown {
  try {
    return renderString(text, env);
  } catch (err) {
    if (err instanceof UndefinedVariableError) return text;
    throw err;
  }
}

/**
 * Ansible's variable scope for one host and task: layers lowest-precedence first, looked up
 * highest first. Values are rendered lazily on lookup, as Ansible does, so a variable may refer
 * to one defined at any level; a variable that needs itself is reported as a cycle.
 */
export class Scope implements UnsafeAware {
  private readonly rendered = new Map<string, unknown>();
  private readonly resolving: string[] = [];

  constructor(
    readonly layers: readonly VarLayer[],
    private readonly searchPath: string[] = [],
    private readonly context?: string,
    /** hash_behaviour=merge: a dict merges with the dicts of the same name at lower levels. */
    private readonly mergeHashes = false,
    /**
     * Ansible's fail_on_undefined=False (hostvars): a string that uses an undefined variable is
     * kept as written instead of failing, each string of a list or dict on its own.
     */
    private readonly keepUndefined = false,
  ) {}

  private find(name: string): VarLayer | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) if (hasOwn(this.layers[i].values, name)) return this.layers[i];
    return undefined;
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  names(): Iterable<string> {
    const all = new Set<string>();
    for (const layer of this.layers) for (const k of Object.keys(layer.values)) all.add(k);
    return all;
  }

  /** Whether reading `name` reads an unsafe value (see src/vars/unsafe.ts). */
  readsUnsafe(name: string): boolean {
    const layer = this.find(name);
    if (!layer) return false;
    const value = layer.values[name];
    if (renders(layer, name)) return holdsUnsafeText(value);
    return !layer.safe && holdsText(value);
  }

  origin(name: string): { values: Record<string, unknown>; templated: boolean } | undefined {
    const layer = this.find(name);
    return layer && { values: layer.values, templated: layer.templated };
  }

  /** The value as stored, without rendering. */
  raw(name: string): unknown {
    return this.find(name)?.values[name];
  }

  lookup(name: string): unknown {
    const layer = this.find(name);
    if (!layer) return undefined;
    const dicts = this.mergeHashes && isPlainObject(layer.values[name]) ? this.dictLayers(name) : [layer];
    if (dicts.length === 1 && (!renders(layer, name) || !mayNeedRendering(layer.values[name]))) return layer.values[name];
    if (this.rendered.has(name)) return this.rendered.get(name);
    const out = dicts.map((l) => this.render(l, name)).reduce((a, b) => mergeHash(a as Record<string, unknown>, b as Record<string, unknown>));
    this.rendered.set(name, out);
    return out;
  }

  /** The layers whose dicts named `name` merge: from the highest down to the first that is not a dict, lowest first. */
  private dictLayers(name: string): VarLayer[] {
    const out: VarLayer[] = [];
    const groups = new Set<string>();
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i];
      if (!hasOwn(l.values, name)) continue;
      if (l.group !== undefined && groups.has(l.group)) continue;
      if (l.group !== undefined) groups.add(l.group);
      if (!isPlainObject(l.values[name])) break;
      out.unshift(l);
    }
    return out;
  }

  /** One layer's value of `name`, rendered (a cycle is reported). */
  private render(layer: VarLayer, name: string): unknown {
    const value = layer.values[name];
    if (!renders(layer, name) || !mayNeedRendering(value)) return value;
    if (this.resolving.includes(name)) {
      const chain = [...this.resolving.slice(this.resolving.indexOf(name)), name].join(' -> ');
      throw new TemplateError(`recursive loop detected in variable '${name}' (${chain})`);
    }
    this.resolving.push(name);
    try {
      const env = { vars: this, searchPath: this.searchPath, context: this.context };
      return this.keepUndefined ? renderValue(value, env, renderOrKeep) : renderValue(value, env);
    } finally {
      this.resolving.pop();
    }
  }

  /** A new scope with extra layers on top (loop items, registered results for changed_when...). */
  with(...layers: VarLayer[]): Scope {
    return new Scope([...this.layers, ...layers], this.searchPath, this.context, this.mergeHashes, this.keepUndefined);
  }

  withContext(context: string): Scope {
    return new Scope(this.layers, this.searchPath, context, this.mergeHashes, this.keepUndefined);
  }

  /** Everything, rendered: for `vars`, debug and EJS locals listings. Undefined-erroring values are left raw. */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.names()) {
      try {
        out[name] = this.lookup(name);
      } catch {
        out[name] = this.raw(name);
      }
    }
    return out;
  }
}
