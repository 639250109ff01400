/**
 * Transitional re-export: src/cli/inventory.ts still imports pythonStr from here. Once it
 * imports pyStr from util/python-repr.ts, delete this file.
 */
export { pyRepr as pythonRepr, pyStr as pythonStr } from '../util/python-repr.js';
