import { ConfigError, type SourcePos } from '../util/errors.js';
import type { LoadContext } from './context.js';

/** Ansible's is_template, by its delimiters: such values are checked when rendered, not at load. */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && /\{\{|\{%|\{#/.test(value);
}

/** A static import's path or role name; templates only with the play's vars, as Ansible allows. */
export function staticText(text: string, ctx: LoadContext, what: string, pos: SourcePos): string {
  if (!isTemplate(text)) return text;
  if (ctx.opts.renderStatic && ctx.play) {
    try {
      return ctx.opts.renderStatic(text, { ...ctx.play.vars, playbook_dir: ctx.playbookDir });
    } catch (err) {
      // ansible-playbook stops at load too: an undefined name cannot name a file or a role
      throw new ConfigError(err instanceof Error ? err.message : String(err), pos);
    }
  }
  throw new ConfigError(`${what} '${text}' uses a variable, which a static import cannot resolve here; use the include_ form`, pos);
}
