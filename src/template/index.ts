export type { TemplateEnv } from './context.js';
export { TemplateError, UndefinedVariableError } from './errors.js';
export { OMIT_TOKEN, evaluate, evaluateCondition, isTemplated, renderString, renderValue } from './render.js';
export { renderEjs, renderEjsFile } from './ejs.js';
export { filters } from './public-filters.js';
