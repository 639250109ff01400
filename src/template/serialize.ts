import { pyFloatRepr } from '../util/python-repr.js';
import { EvalError } from './errors.js';
import { PyFloat, Undefined, isLazyMapping, isMapping, isFloat, materialize, num } from './values.js';
import { undefinedError } from './undefined.js';

function jsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c > 0x7e && ensureAscii) {
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

export interface JsonOptions {
  indent?: number;
  sortKeys?: boolean;
  separators?: [string, string];
  ensureAscii?: boolean;
}

/** Python json.dumps. */
export function pyJsonDumps(v: unknown, o: JsonOptions = {}): string {
  const [itemSep, keySep] = o.separators ?? (o.indent !== undefined ? [',', ': '] : [', ', ': ']);
  const ascii = o.ensureAscii ?? true;
  const walk = (x: unknown, level: number): string => {
    if (x instanceof Undefined) throw undefinedError(x);
    if (isLazyMapping(x)) x = materialize(x);
    if (x === null || x === undefined) return 'null';
    if (x === true) return 'true';
    if (x === false) return 'false';
    if (typeof x === 'string') return jsonString(x, ascii);
    if (x instanceof PyFloat || typeof x === 'number') {
      const n = num(x);
      if (!isFloat(x)) return String(n);
      return Number.isNaN(n) ? 'NaN' : !Number.isFinite(n) ? (n > 0 ? 'Infinity' : '-Infinity') : pyFloatRepr(n);
    }
    const entries: [string | null, unknown][] = Array.isArray(x)
      ? x.map((e) => [null, e])
      : isMapping(x)
        ? Object.entries(x)
        : (() => {
            throw new EvalError(`Object of type ${typeof x} is not JSON serializable`);
          })();
    if (o.sortKeys && !Array.isArray(x)) entries.sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
    const [open, close] = Array.isArray(x) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    const parts = entries.map(([k, e]) => (k === null ? '' : jsonString(k, ascii) + keySep) + walk(e, level + 1));
    if (o.indent === undefined) return open + parts.join(itemSep) + close;
    const pad = ' '.repeat(o.indent * (level + 1));
    return `${open}\n${pad}${parts.join(`${itemSep}\n${pad}`)}\n${' '.repeat(o.indent * level)}${close}`;
  };
  return walk(v, 0);
}

const YAML_SPECIAL = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\d[\d_]*)?\.?\d*(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|=|<<|\d{4}-\d\d?-\d\d?.*)$/;

function yamlString(s: string, flow: boolean): string {
  const plainOk =
    s !== '' &&
    !YAML_SPECIAL.test(s) &&
    !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(s) &&
    !/\s$/.test(s) &&
    !/: |:$| #|[\n\r\t\x00-\x08\x7f]/.test(s) &&
    !(flow && /[,[\]{}]/.test(s));
  if (plainOk) return s;
  if (/[\n\r\t\x00-\x08\x7f]/.test(s)) return pyJsonDumps(s, { ensureAscii: false });
  return `'${s.replace(/'/g, "''")}'`;
}

function yamlScalar(x: unknown, flow: boolean): string {
  if (x instanceof Undefined) throw undefinedError(x);
  if (x === null || x === undefined) return 'null';
  if (typeof x === 'boolean') return x ? 'true' : 'false';
  if (typeof x === 'string') return yamlString(x, flow);
  if (isFloat(x)) {
    const n = num(x);
    return Number.isNaN(n) ? '.nan' : !Number.isFinite(n) ? (n > 0 ? '.inf' : '-.inf') : pyFloatRepr(n);
  }
  return String(num(x));
}

const isCollection = (x: unknown): boolean => Array.isArray(x) || isMapping(x);
const entriesOf = (x: unknown): [string, unknown][] =>
  Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** PyYAML's yaml.dump: sorted keys, block style, leaf collections in flow style unless flowStyle=false. */
export function pyYamlDump(v: unknown, opts: { indent?: number; defaultFlowStyle?: boolean | null } = {}): string {
  const indent = opts.indent ?? 2;
  const leafFlow = opts.defaultFlowStyle === undefined ? true : opts.defaultFlowStyle === null;
  const flowAll = opts.defaultFlowStyle === true;
  const flow = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(flow).join(', ')}]`;
    if (isMapping(x)) return `{${entriesOf(x).map(([k, e]) => `${yamlString(k, true)}: ${flow(e)}`).join(', ')}}`;
    return yamlScalar(x, true);
  };
  const asFlow = (x: unknown): boolean => {
    if (!isCollection(x)) return true;
    const kids = Array.isArray(x) ? x : Object.values(x as object);
    if (kids.length === 0 || flowAll) return true;
    return leafFlow && !kids.some(isCollection);
  };
  const lines: string[] = [];
  const block = (x: unknown, col: number, first: string): void => {
    // `first` is the text already on the current line (e.g. "- "); the first entry continues it.
    let lead = first;
    const pad = ' '.repeat(col);
    if (Array.isArray(x)) {
      for (const e of x) {
        const dash = `-${' '.repeat(indent - 1)}`;
        if (asFlow(e)) lines.push(`${lead || pad}- ${flow(e)}`.replace(/^(\s*)- /, `$1- `));
        else block(e, col + indent, `${lead || pad}${dash}`);
        lead = '';
      }
      return;
    }
    for (const [k, e] of entriesOf(x)) {
      const key = `${lead || pad}${yamlString(k, false)}:`;
      lead = '';
      if (asFlow(e)) lines.push(`${key} ${flow(e)}`);
      else if (Array.isArray(e)) {
        lines.push(key);
        block(e, col, '');
      } else {
        lines.push(key);
        block(e, col + indent, '');
      }
    }
  };
  if (asFlow(v)) {
    const text = flow(v);
    // PyYAML would add a '...' document end after a root scalar; Ansible's output has none
    return `${text}\n`;
  }
  block(v, 0, '');
  return `${lines.join('\n')}\n`;
}
