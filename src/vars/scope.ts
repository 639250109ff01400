import { renderValue, TemplateError, isTemplated } from '../template/index.js';
import { UnsafeText } from '../util/unsafe.js';
import type { VarSource } from './types.js';

/** One precedence level. `templated: false` marks data that came from hosts (facts, register): never rendered. */
export interface VarLayer {
  name: string;
  values: Record<string, unknown>;
  templated: boolean;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function mayNeedRendering(value: unknown): boolean {
  if (typeof value === 'string') return isTemplated(value);
  // rendering is what unwraps an !unsafe string (without templating it)
  if (value instanceof UnsafeText) return true;
  if (Array.isArray(value)) return value.some(mayNeedRendering);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => isTemplated(k) || mayNeedRendering(v));
  return false;
}

/**
 * Ansible's variable scope for one host and task: layers lowest-precedence first, looked up
 * highest first. Values are rendered lazily on lookup, as Ansible does, so a variable may refer
 * to one defined at any level; a variable that needs itself is reported as a cycle.
 */
export class Scope implements VarSource {
  private readonly rendered = new Map<string, unknown>();
  private readonly resolving: string[] = [];

  constructor(
    readonly layers: readonly VarLayer[],
    private readonly searchPath: string[] = [],
    private readonly context?: string,
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

  /** The value as stored, without rendering. */
  raw(name: string): unknown {
    return this.find(name)?.values[name];
  }

  lookup(name: string): unknown {
    const layer = this.find(name);
    if (!layer) return undefined;
    const value = layer.values[name];
    if (!layer.templated || !mayNeedRendering(value)) return value;
    if (this.rendered.has(name)) return this.rendered.get(name);
    if (this.resolving.includes(name)) {
      const chain = [...this.resolving.slice(this.resolving.indexOf(name)), name].join(' -> ');
      throw new TemplateError(`recursive loop detected in variable '${name}' (${chain})`);
    }
    this.resolving.push(name);
    try {
      const out = renderValue(value, { vars: this, searchPath: this.searchPath, context: this.context });
      this.rendered.set(name, out);
      return out;
    } finally {
      this.resolving.pop();
    }
  }

  /** A new scope with extra layers on top (loop items, registered results for changed_when...). */
  with(...layers: VarLayer[]): Scope {
    return new Scope([...this.layers, ...layers], this.searchPath, this.context);
  }

  withContext(context: string): Scope {
    return new Scope(this.layers, this.searchPath, context);
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
