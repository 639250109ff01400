/**
 * `tsrun doc`: a module's arguments as ansible-doc shows them, read from the same JSON Schema
 * the engine validates the arguments with, so the page cannot disagree with the engine.
 * Pure: a ModuleDef in, text out.
 */
import type { ModuleDef } from '../../modules/types.js';
import { MODULE_SUMMARIES } from './summaries.js';

type Schema = Record<string, unknown>;

export interface OptionDoc {
  name: string;
  type: string;
  required: boolean;
  /** Names that satisfy the same "one of these is required" rule (Ansible's aliases, mostly). */
  alternatives: string[];
  choices?: unknown[];
  default?: unknown;
  description?: string;
  elements?: string;
  min?: number;
  max?: number;
  pattern?: string;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** ansible-doc's type names, from a JSON Schema type set. Templated values make bools accept strings too. */
function typeName(s: Schema): string {
  if (Array.isArray(s.enum)) return typeof s.enum[0] === 'number' ? 'int' : 'str';
  const branches = Array.isArray(s.anyOf) ? (s.anyOf as Schema[]) : [s];
  const types = new Set(branches.flatMap((b) => asArray(b.type) as string[]));
  if (types.size === 0) return 'raw';
  if (types.has('boolean')) return 'bool';
  if (types.has('array') && types.has('string')) return 'list / str';
  if (types.has('array')) return 'list';
  if (types.has('object')) return 'dict';
  if (types.has('string')) return 'str';
  if (types.has('integer')) return 'int';
  if (types.has('number')) return 'float';
  return [...types].join(' / ');
}

function elementsOf(s: Schema): string | undefined {
  const arr = (Array.isArray(s.anyOf) ? (s.anyOf as Schema[]) : [s]).find((b) => asArray(b.type).includes('array'));
  const items = arr?.items as Schema | undefined;
  return items ? typeName(items) : undefined;
}

/** Required names: `required`, plus allOf/anyOf groups ("one of path, dest, name"). */
function requiredGroups(schema: Schema): string[][] {
  const groups: string[][] = (asArray(schema.required) as string[]).map((n) => [n]);
  for (const part of asArray(schema.allOf) as Schema[]) {
    const names = (asArray(part.anyOf) as Schema[]).flatMap((a) => asArray(a.required) as string[]);
    if (names.length) groups.push(names);
  }
  return groups;
}

export function moduleOptions(def: ModuleDef): OptionDoc[] {
  const schema = def.argsSchema as Schema;
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const groups = requiredGroups(schema);
  const out: OptionDoc[] = [];
  for (const [name, s] of Object.entries(props)) {
    // The loader's slot for free-form text (`command: ls`), not an argument a person types.
    if (name === '_raw_params') continue;
    const group = groups.find((g) => g.includes(name));
    const o: OptionDoc = { name, type: typeName(s), required: Boolean(group && group[0] === name), alternatives: group ? group.filter((n) => n !== name) : [] };
    if (Array.isArray(s.enum)) o.choices = s.enum;
    if ('default' in s) o.default = s.default;
    if (typeof s.description === 'string') o.description = s.description;
    const el = elementsOf(s);
    if (el) o.elements = el;
    if (typeof s.minimum === 'number') o.min = s.minimum;
    if (typeof s.maximum === 'number') o.max = s.maximum;
    if (typeof s.pattern === 'string') o.pattern = s.pattern;
    out.push(o);
  }
  return out.sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
}

/** The canonical modules (no aliases), sorted. */
export function listModules(registry: ReadonlyMap<string, ModuleDef>): ModuleDef[] {
  return [...new Set(registry.values())].sort((a, b) => a.name.localeCompare(b.name));
}

export function formatModuleList(registry: ReadonlyMap<string, ModuleDef>): string {
  const mods = listModules(registry);
  const width = Math.max(...mods.map((m) => m.name.length)) + 2;
  return mods.map((m) => `${m.name.padEnd(width)}${MODULE_SUMMARIES[m.name] ?? ''}`).join('\n') + '\n';
}

const yamlScalar = (v: unknown): string => (typeof v === 'string' && /^[\w./-]+$/.test(v) ? v : JSON.stringify(v));

function placeholder(o: OptionDoc): unknown {
  if (o.choices) return o.choices[0];
  if (o.default !== undefined) return o.default;
  switch (o.type) {
    case 'bool':
      return true;
    case 'int':
      return o.min ?? 1;
    case 'list':
    case 'list / str':
      return ['item'];
    case 'dict':
      return {};
    default:
      if (o.name === 'url') return 'https://example.org/file.tar.gz';
      return /path|dest|src|file|dir|chdir|creates|removes/.test(o.name) ? (o.name === 'path' ? '/path/to/file' : `/path/to/${o.name}`) : `<${o.name}>`;
  }
}

/** An example task built from the schema: the required arguments, with a value of the right type. */
export function synthesisedExample(def: ModuleDef): string {
  const opts = moduleOptions(def);
  const lines = [`- name: Example of ${def.name}`];
  const required = opts.filter((o) => o.required);
  if (def.freeForm && required.length === 0) {
    lines.push(`  ${def.name}: <command line>`);
    return lines.join('\n');
  }
  if (required.length === 0) {
    lines.push(`  ${def.name}:`);
    const first = opts[0];
    if (first) lines.push(`    ${first.name}: ${yamlScalar(placeholder(first))}`);
    else lines[1] = `  ${def.name}: {}`;
    return lines.join('\n');
  }
  lines.push(`  ${def.name}:`);
  for (const o of required) lines.push(`    ${o.name}: ${yamlScalar(placeholder(o))}`);
  return lines.join('\n');
}

/** Words YAML would read as something other than a string. */
const YAML_NON_STRING = /^(~|null|true|false|yes|no|on|off|y|n|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[\da-fA-F]+|0o?[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/i;

/**
 * A value as ansible-doc prints defaults and choices: YAML flow style (`[a, b]`, `false`), a
 * string plain unless YAML would misread it ('{%'), control characters as their escapes (\n).
 */
export function flowYaml(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flowYaml).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${flowYaml(k)}: ${flowYaml(x)}`).join(', ')}}`;
  if (v === null || v === undefined) return 'null';
  if (typeof v !== 'string') return String(v);
  if (/[\x00-\x1f]/.test(v)) return JSON.stringify(v).slice(1, -1);
  const needsQuotes = v === '' || /^[-?:,[\]{}#&*!|>'"%@`\s]/.test(v) || /\s$|: | #|[,[\]{}]/.test(v) || YAML_NON_STRING.test(v);
  return needsQuotes ? `'${v.replace(/'/g, "''")}'` : v;
}

/** The ansible-doc page. `example` is a real task from the repository when there is one. */
export function formatModuleDoc(def: ModuleDef, example?: { text: string; where: string }): string {
  const out: string[] = [];
  out.push(`> ${def.name.toUpperCase()}    (src/modules/${def.name}.ts)`, '');
  out.push(`        ${MODULE_SUMMARIES[def.name] ?? def.name}`, '');
  if (def.aliases?.length) out.push(`ALIASES: ${def.aliases.join(', ')}`, '');
  if (def.freeForm) out.push('FREE FORM: the text after the module name is the command (`' + `${def.name}: ...` + '`).', '');
  out.push('OPTIONS (= is mandatory):', '');
  for (const o of moduleOptions(def)) {
    out.push(`${o.required ? '=' : '-'} ${o.name}`);
    if (o.description) out.push(`        ${o.description}`);
    if (o.alternatives.length) out.push(o.required ? `        or one of: ${o.alternatives.join(', ')}` : `        instead of: ${o.alternatives.join(', ')}`);
    if (o.choices) out.push(`        choices: ${flowYaml(o.choices)}`);
    if (o.default !== undefined) out.push(`        default: ${flowYaml(o.default)}`);
    if (o.elements) out.push(`        elements: ${o.elements}`);
    if (o.pattern) out.push(`        matches: ${o.pattern}`);
    if (o.min !== undefined || o.max !== undefined) out.push(`        range: ${o.min ?? ''}..${o.max ?? ''}`);
    out.push(`        type: ${o.type}`, '');
  }
  const schema = def.argsSchema as Schema;
  if (schema.patternProperties) out.push('Any other key matching ' + Object.keys(schema.patternProperties as Schema).join(', ') + ' is accepted (a variable name).', '');
  out.push('EXAMPLES:', '');
  if (example) out.push(`# from ${example.where}`);
  out.push(example?.text ?? synthesisedExample(def), '');
  return out.join('\n');
}
