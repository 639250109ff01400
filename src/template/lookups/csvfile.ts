/** Ansible's csvfile lookup: column `col` of the row whose first field is the key. */
import { readFileSync } from 'node:fs';
import { parseKeyValue } from '../../parsing/kv.js';
import { str } from '../python.js';
import { findInSearchPath, LookupFailure, termList, type Lookup } from './types.js';

const DEFAULTS: Record<string, unknown> = { col: '1', default: null, delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8' };

/** Python's csv.reader with the excel dialect: quoted fields, "" inside quotes, a quote inside an unquoted field kept as it is. */
export function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row.length === 1 && row[0] === '' && fieldStart ? [] : row);
      row = [];
      field = '';
      fieldStart = true;
    } else {
      field += c;
      fieldStart = false;
    }
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

function readCsv(path: string | undefined, file: string, key: string, o: Record<string, unknown>): unknown {
  if (!path) throw new LookupFailure(`csvfile: [Errno 2] No such file or directory: '${file}'`);
  let text: string;
  try {
    text = new TextDecoder(str(o.encoding)).decode(readFileSync(path));
  } catch (err) {
    throw new LookupFailure(`csvfile: ${(err as Error).message}`);
  }
  const delimiter = str(o.delimiter);
  if (delimiter.length !== 1) throw new LookupFailure('csvfile: "delimiter" must be a 1-character string');
  for (const row of csvRows(text, delimiter)) {
    if (row.length && row[0] === key) {
      const col = Number(str(o.col).trim());
      if (!Number.isInteger(col)) throw new LookupFailure(`csvfile: invalid literal for int() with base 10: '${str(o.col)}'`);
      const v = row[col < 0 ? row.length + col : col];
      if (v === undefined) throw new LookupFailure('csvfile: list index out of range');
      return v;
    }
  }
  return o.default;
}

export const csvfile: Lookup = (terms, kwargs, ctx) => {
  for (const k of Object.keys(kwargs)) if (!(k in DEFAULTS)) throw new LookupFailure(`Invalid option: ${k} is not a valid option`, 'raw');
  const options = { ...DEFAULTS, ...kwargs };
  const out: unknown[] = [];
  for (const term of termList(terms)) {
    const { params, raw } = parseKeyValue(str(term));
    if (!raw) throw new LookupFailure('Search key is required but was not found');
    const o = { ...options };
    for (const [name, value] of Object.entries(params)) {
      if (!(name in DEFAULTS)) throw new LookupFailure(`${name} is not a valid option`);
      o[name] = value;
    }
    if (o.delimiter === 'TAB') o.delimiter = '\t';
    const file = str(o.file);
    const v = readCsv(findInSearchPath(file, ctx.scope, 'files'), file, raw, o);
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
};
