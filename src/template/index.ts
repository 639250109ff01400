/**
 * Jinja2 expressions and templates as Ansible (ansible-core 2.14, jinja2_native off) evaluates
 * them, plus EJS templates. A real lexer/parser/interpreter: expression text is never handed
 * to eval/new Function.
 *
 * - renderString: "{{ name }}" of a bool/number/None variable keeps its type; any other result is
 *   text, turned back into data only when it looks like a list/dict or is "True"/"False"
 *   (Ansible's literal_eval step). So "{{ 5 }}" is "5" and "{{ [1] }}" is [1].
 * - evaluateCondition: Ansible's Conditional: template first, then evaluate the text as an
 *   expression. A string variable in `when: x` is truthy when non-empty.
 * - Values handed in as VarSource-like objects (lookup/has/names) behave as lazy dicts,
 *   e.g. hostvars. Results leaving this module are plain JSON-like data.
 */
export type { TemplateEnv } from './context.js';
export { LoopLookupError, pluginNotFound, pythonException, TemplateError, UndefinedVariableError } from './errors.js';
export { OMIT_TOKEN, evaluate, evaluateCondition, isTemplated, loopLookupItems, renderJinja, renderString, renderValue } from './render.js';
export { lookupPlugin } from './lookups/index.js';
export { renderEjs, renderEjsFile } from './ejs.js';
export { filters } from './public-filters.js';
export { renderTemplateFile, type TemplateFileOptions } from './template-file.js';
