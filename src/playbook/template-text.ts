/** Ansible's is_template, by its delimiters: such values are checked when rendered, not at load. */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && /\{\{|\{%|\{#/.test(value);
}

export const TEMPLATE_PATTERN = '\\{\\{|\\{%|\\{#';
