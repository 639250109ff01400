import { parseAllDocuments, parseDocument, LineCounter, YAMLError } from 'yaml';
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

/**
 * Ansible reads YAML with PyYAML, i.e. YAML 1.1: `yes`/`no`/`on`/`off` are booleans,
 * `0755` is octal. Using the 1.1 schema keeps playbooks meaning what they mean under Ansible.
 */
export const ANSIBLE_YAML_OPTIONS = { version: '1.1', merge: true, uniqueKeys: true } as const;

function toConfigError(err: YAMLError, file: string, lc: LineCounter): ConfigError {
  const { line, col } = lc.linePos(err.pos[0]);
  const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return new ConfigError(`YAML syntax error: ${message}`, { file, line, column: col });
}

/** Parses one YAML document; errors name file:line:column. Empty documents give `null`. */
export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...ANSIBLE_YAML_OPTIONS, lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) throw toConfigError(doc.errors[0], file, lineCounter);
  return doc.toJS({ maxAliasCount: 1000 });
}

export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file });
  }
  return parseYaml(text, file);
}

/** For multi-document streams (rare in Ansible content, but YAML inventories allow it). */
export function parseYamlAll(text: string, file: string): unknown[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...ANSIBLE_YAML_OPTIONS, lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  for (const doc of docs) if (doc.errors.length > 0) throw toConfigError(doc.errors[0], file, lineCounter);
  return docs.map((d) => d.toJS({ maxAliasCount: 1000 }));
}
