import type { LoaderOptions } from '../playbook/index.js';
import { renderValue } from '../template/index.js';
import { plainVars } from '../vars/types.js';

/**
 * Static names (`roles:` entries, import_role, import_tasks) are templated at load, as Ansible
 * does, with the play's vars, its static vars_files and the extra vars.
 */
export function staticRenderer(extraVars: Record<string, unknown>): NonNullable<LoaderOptions['renderStatic']> {
  return (text, vars) => String(renderValue(text, { vars: plainVars({ ...vars, ...extraVars }) }));
}
