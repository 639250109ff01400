/**
 * node:readline, loaded when first needed: only prompts (vars_prompt, --step, pause, password
 * questions) use it, and loading it took a few ms of every run's start-up.
 */
import { createRequire } from 'node:module';
import type * as Readline from 'node:readline';

let loaded: typeof Readline | undefined;

export function createInterface(...args: Parameters<typeof Readline.createInterface>): Readline.Interface {
  loaded ??= createRequire(import.meta.url)('node:readline') as typeof Readline;
  return loaded.createInterface(...args);
}
