import type { VarSource } from './var-source.js';
import type { Node } from './ast.js';

/** Finds and parses the templates that {% include %} / {% import %} name; undefined when missing. */
export interface TemplateLoader {
  load(name: string): Node[] | undefined;
}

export interface TemplateEnv {
  vars: VarSource;
  /** Directories for lookup('file'|'template') relative paths, first match wins. */
  searchPath?: string[];
  /** Appended to error messages, e.g. "task 'Install x' (roles/a/tasks/main.yml:12)". */
  context?: string;
  /** Templates for include/import/from (template files only). */
  loader?: TemplateLoader;
  /** Ansible's display.warning, for what evaluation notices (a condition holding {{ }}). */
  warn?: (message: string) => void;
}

/** Variables set inside a template ({% set %}, for-loop targets) shadow env.vars. */
export class Scope {
  private readonly locals = new Map<string, unknown>();
  constructor(
    readonly env: TemplateEnv,
    private readonly parent?: Scope,
  ) {}

  child(): Scope {
    return new Scope(this.env, this);
  }

  set(name: string, value: unknown): void {
    this.locals.set(name, value);
  }

  /** JS undefined when the name is unknown. */
  get(name: string): unknown {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.locals.has(name)) return s.locals.get(name);
    }
    return this.env.vars.lookup(name);
  }

  /** Variables set in this scope itself (what an imported template exports). */
  ownEntries(): [string, unknown][] {
    return [...this.locals.entries()];
  }

  has(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.locals.has(name)) return true;
    return this.env.vars.has(name);
  }
}
