import { isMap, isPair, isScalar, isSeq, LineCounter, YAMLError, type Document, type Node, type Pair, type ScalarTag, type SchemaOptions, type YAMLMap } from 'yaml';
import { readFileSync } from 'node:fs';
import { ConfigError, TsrunError } from '../util/errors.js';
import { loaderWarning } from '../util/warnings.js';
import { parseYamlDocument } from './yaml-compose.js';
import { keyring, maybeDecryptText } from '../vault/keyring.js';

/**
 * Ansible reads YAML with PyYAML, i.e. YAML 1.1: `yes`/`no`/`on`/`off` are booleans,
 * `0755` is octal. Using the 1.1 schema keeps playbooks meaning what they mean under Ansible.
 */
/**
 * PyYAML's booleans: unlike the YAML 1.1 spec (and the `yaml` package's 1.1 schema), it does not
 * read `y`/`n` as booleans. Timestamps are left as strings: Ansible users compare them as text.
 */
const pyYamlBool: ScalarTag = {
  identify: (value) => typeof value === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (text) => /^(?:yes|true|on)$/i.test(text),
  stringify: ({ value }) => (value ? 'true' : 'false'),
};

/** PyYAML needs a dot and a signed exponent: `1e3` stays a string, `1.0e+3` is a float. */
const pyYamlFloatExp: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  format: 'EXP',
  test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/,
  resolve: (text) => Number.parseFloat(text.replace(/_/g, '')),
};

/** PyYAML's float needs a digit: a lone `.` (or `-.`) is a string, where the 1.1 schema reads NaN. */
const pyYamlLoneDot: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:str',
  test: /^[-+]?\.$/,
  resolve: (text) => text,
};

/** `!vault |` values: decrypted in memory when the document is read (errors name file:line). */
const vaultTag: ScalarTag = {
  tag: '!vault',
  resolve: (text, onError) => {
    try {
      return keyring().decrypt(text, 'a !vault value').toString('utf8');
    } catch (err) {
      if (!(err instanceof TsrunError)) throw err;
      onError(err.message);
      return '';
    }
  },
};

/**
 * `!unsafe` text is never templated (Ansible's AnsibleUnsafeText). tsrun's values are plain
 * strings, so the text becomes a template that renders to exactly itself: a raw block, or a
 * string literal when the text itself holds an endraw.
 */
export function unsafeText(text: string): string {
  if (!/\{[{%#]/.test(text)) return text;
  if (!/endraw/.test(text)) return `{% raw %}${text}{% endraw %}`;
  return `{{ '${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}' }}`;
}

const unsafeTag: ScalarTag = {
  tag: '!unsafe',
  resolve: (text) => unsafeText(text),
};

function ansibleTags(tags: Tags): Tags {
  const dropped = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:timestamp']);
  const kept = tags.filter((t) => {
    if (typeof t !== 'object' || !('tag' in t)) return true;
    if (dropped.has(t.tag)) return false;
    return !(t.tag === 'tag:yaml.org,2002:float' && (t as ScalarTag).format === 'EXP');
  });
  return [pyYamlLoneDot, pyYamlBool, pyYamlFloatExp, vaultTag, unsafeTag, ...kept];
}

type Tags = NonNullable<Exclude<SchemaOptions['customTags'], (tags: never) => unknown>>;

// PyYAML (and so Ansible) accepts a repeated key, keeps the last value and warns: uniqueKeys is
// off and warnDuplicateKeys() produces the warning.
export const ANSIBLE_YAML_OPTIONS = { version: '1.1', merge: true, uniqueKeys: false, customTags: ansibleTags } as const;

/** Ansible's wording: the position is the mapping's start, the value kept is the last one. */
function duplicateKeyWarnings(map: YAMLMap, file: string, lc: LineCounter, out: string[]): void {
  const seen = new Set<string>();
  for (const pair of map.items) {
    if (!isScalar(pair.key) || typeof pair.key.value === 'symbol') continue;
    const key = String(pair.key.value);
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    const { line, col } = lc.linePos(map.range?.[0] ?? 0);
    out.push(`While constructing a mapping from ${file}, line ${line}, column ${col}, found a duplicate dict key (${key}). Using last defined value only.`);
  }
}

function toConfigError(err: YAMLError, file: string, lc: LineCounter): ConfigError {
  const { line, col } = lc.linePos(err.pos[0]);
  const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return new ConfigError(`YAML syntax error: ${message}`, { file, line, column: col });
}

/**
 * PyYAML refuses a mapping or a list as a mapping key ("found unacceptable key"); the `yaml`
 * package would stringify it. The usual cause is an unquoted template, `msg: {{ foo }}`, which
 * YAML reads as a mapping inside a mapping; Ansible then explains the quoting, and so do we.
 */
export function unacceptableKey(key: unknown, text: string, file: string, lc: LineCounter): ConfigError | undefined {
  if (!isMap(key) && !isSeq(key)) return undefined;
  const offset = (key as Node).range?.[0] ?? 0;
  const { line, col } = lc.linePos(offset);
  const source = text.split('\n', line)[line - 1] ?? '';
  // The CLI shows the offending line with a caret under every positioned error (output/excerpt.ts).
  const lines = [`YAML syntax error: found unacceptable key (a ${isMap(key) ? 'mapping' : 'list'} cannot be a key)`];
  if (/\{\{|\{%/.test(source)) {
    lines.push(
      'This looks like missing quotes. Always quote template expression brackets when they start a value. For instance:',
      '',
      '    with_items:',
      '      - {{ foo }}',
      '',
      'Should be written as:',
      '',
      '    with_items:',
      '      - "{{ foo }}"',
    );
  }
  return new ConfigError(lines.join('\n'), { file, line, column: col });
}

/**
 * What PyYAML checks while it constructs, in document order: the first mapping or list used as
 * a key is refused (unacceptableKey); a repeated key warns (warnings go out only if nothing is
 * refused). One plain walk: yaml's visit() allocates a path per node, which costs seconds on a
 * 10 MB playbook. `warnAs` is the file name the warnings give (Ansible's: the path as opened).
 * Returns how many warnings it gave.
 */
export function checkDocument(doc: Document, text: string, lc: LineCounter, file: string, warnAs = file): number {
  const warnings: string[] = [];
  const pair = (p: Pair): void => {
    const err = unacceptableKey(p.key, text, file, lc);
    if (err) throw err;
    walk(p.key);
    walk(p.value);
  };
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      duplicateKeyWarnings(node, warnAs, lc, warnings);
      for (const p of node.items) pair(p);
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) pair(item);
        else walk(item);
      }
    }
  };
  walk(doc.contents);
  for (const w of warnings) loaderWarning(w);
  return warnings.length;
}

/** Parses one YAML document; errors name file:line:column. Empty documents give `null`. */
export function parseYaml(text: string, file: string): unknown {
  text = maybeDecryptText(text, file);
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { ...ANSIBLE_YAML_OPTIONS, lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) throw toConfigError(doc.errors[0], file, lineCounter);
  checkDocument(doc, text, lineCounter, file);
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
