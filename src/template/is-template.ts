/**
 * Ansible's is_template (ansible.template.is_template): a string is a template when the Jinja
 * lexer, from the first delimiter on, reaches the end tag of that first construct without a
 * syntax error. Text after it is not looked at, so `{{ a }} {{` counts; `x == "{{"` does not.
 */
import { lex } from './lexer.js';

const RAW_BEGIN = /\{%[-+]?\s*raw\s*[-+]?%\}/y;
const RAW_END = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;

export function isTemplate(text: string): boolean {
  const m = /\{\{|\{%|\{#/.exec(text);
  if (!m) return false;
  const at = m.index;
  if (m[0] === '{#') return text.includes('#}', at + 2);
  RAW_BEGIN.lastIndex = at;
  const raw = m[0] === '{%' ? RAW_BEGIN.exec(text) : null;
  if (raw) {
    RAW_END.lastIndex = at + raw[0].length;
    return RAW_END.test(text);
  }
  const block = m[0] === '{%';
  const sign = text[at + 2] === '-' || (text[at + 2] === '+' && block) ? 1 : 0;
  try {
    lex(text, at + 2 + sign, block ? '%}' : '}}', false, block);
    return true;
  } catch {
    return false;
  }
}

/** What Ansible's Conditional warns when a condition holds template delimiters. */
export function conditionalWarning(cond: string): string | undefined {
  if (!isTemplate(cond)) return undefined;
  return `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${cond}`;
}
