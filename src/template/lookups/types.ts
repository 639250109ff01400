import type { Scope } from '../context.js';
import { readFileSync } from 'node:fs';
import { searchFile } from '../../util/file-search.js';
import { maybeDecryptBytes } from '../../vault/keyring.js';
import type { Delimiters } from '../jinja-lexer.js';

/** A template file the `template` lookup renders: where it is, where its includes are, its delimiters. */
export interface LookupTemplate {
  path: string;
  /** Directories {% include %} searches, in order. */
  includeDirs: string[];
  delimiters: Partial<Delimiters>;
}

/** Renders template text in a scope: handed in by the interpreter (the `template` lookup needs it; importing it would be a cycle). */
export type TextRenderer = (text: string, scope: Scope, file?: LookupTemplate) => string;

export interface LookupContext {
  scope: Scope;
  render: TextRenderer;
  /** The task's file kind for relative names: `files`, or `templates`/`vars` for a with_ loop on such a task (Ansible's `_subdir`). */
  subdir: string;
}

/**
 * One lookup plugin. `terms` is what Ansible hands the plugin's run(): lookup()'s positional
 * arguments, or a with_ loop's templated value made a list (a mapping stays a mapping, as
 * Ansible's listify leaves it).
 */
export type Lookup = (terms: unknown[] | Record<string, unknown>, kwargs: Record<string, unknown>, ctx: LookupContext) => unknown[];

/**
 * The three ways Ansible's lookups fail, which lookup() treats differently:
 * - `lookup` (AnsibleLookupError): the plugin chose to fail; `errors=` may ignore it, the message is as raised;
 * - `raw` (AnsibleOptionsError, AnsibleUndefinedVariable): bad options or a missing variable; never ignored, the message as raised;
 * - `error` (AnsibleError or a Python exception): "unhandled" for lookup(), which wraps the message and names `pyClass`.
 */
export class LookupFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'lookup' | 'raw' | 'error' = 'error',
    readonly pyClass = "<class 'ansible.errors.AnsibleError'>",
  ) {
    super(message);
  }
}

/** A file a lookup names: the one file search (util/file-search.ts) over the task's search path. */
export function findInSearchPath(path: string, scope: Scope, subdir: string): string | undefined {
  return searchFile(scope.env.searchPath ?? [process.cwd()], path, subdir).found;
}

/** A file's bytes as Ansible's loader reads them for lookups (file, template, ini): a vaulted file decrypted. */
export function readLookupFile(path: string): Buffer {
  return maybeDecryptBytes(readFileSync(path), path);
}

/** Ansible's LookupBase._flatten: one level, lists (and tuples) spread. */
export function flattenOnce(terms: readonly unknown[]): unknown[] {
  return terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
}

/** A term that must be a list for the list-shaping lookups (a with_ loop over a mapping is refused). */
export function termList(terms: unknown[] | Record<string, unknown>): unknown[] {
  return Array.isArray(terms) ? terms : [terms];
}
