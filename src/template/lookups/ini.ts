/** Ansible's ini lookup: a key (or the keys matching a regex) of an INI section or a Java properties file. */
import { IniDuplicateError, IniParsingError, parseIni } from '../../config/ini.js';
import { ConfigError, formatPos } from '../../util/errors.js';
import { pyRegex } from '../../util/pyregex.js';
import { repr, str, truthy } from '../python.js';
import { findInSearchPath, LookupFailure, readLookupFile, termList, type Lookup } from './types.js';

const DEFAULTS: Record<string, unknown> = {
  type: 'ini', file: 'ansible.ini', section: 'global', re: false, encoding: 'utf-8', default: '', case_sensitive: false, allow_no_value: false, allow_none: false,
};

/** The old inline form `key opt=value opt=value`: words after `opt=` belong to that option until the next one. */
function inlineParams(term: string): string[] {
  const keys: string[] = [];
  const params = new Map<string, string>();
  let current = 'key';
  term.split(/\s+/).filter(Boolean).forEach((phrase, i) => {
    if (phrase.includes('=')) for (const k of Object.keys(DEFAULTS)) if (phrase.includes(`${k}=`)) current = k;
    if (i === 0 || !params.get(current)) {
      params.set(current, phrase);
      keys.push(current);
    } else params.set(current, `${params.get(current)} ${phrase}`);
  });
  return keys.map((k) => params.get(k) as string);
}

function decode(buf: Buffer, encoding: string): string {
  try {
    return new TextDecoder(encoding.replace(/_/g, '-'), { fatal: true }).decode(buf);
  } catch (err) {
    throw new LookupFailure(`'${encoding}' codec can't decode the file: ${(err as Error).message}`, 'error', "<class 'UnicodeDecodeError'>");
  }
}

function lookupOne(term: string, options: Record<string, unknown>, ctx: Parameters<Lookup>[2]): unknown[] {
  const o = { ...options };
  let key = term;
  if (term.includes('=') || term.trim().includes(' ')) {
    let updated = false;
    for (const param of inlineParams(term)) {
      if (param.includes('=')) {
        const parts = param.split('=');
        if (parts.length !== 2) throw new LookupFailure(`Could not use '${param}' from ${str(inlineParams(term))}: too many values to unpack (expected 2)`, 'lookup');
        if (!(parts[0] in DEFAULTS)) throw new LookupFailure(`${parts[0]} is not a valid option.`, 'lookup');
        o[parts[0]] = parts[1];
      } else if (key === term) {
        key = param;
        updated = true;
      }
    }
    if (!updated) throw new LookupFailure(`No key to lookup was provided as first term with in string inline options: ${term}`, 'raw');
  }
  const file = str(o.file);
  const path = findInSearchPath(file, ctx.scope, 'files');
  if (!path) throw new LookupFailure(`Unable to find '${file}' in expected paths`, 'error', "<class 'ansible.errors.AnsibleParserError'>");
  let text = decode(readLookupFile(path), str(o.encoding));
  if (o.type === 'properties') {
    text = `[java_properties]\n${text}`;
    o.section = 'java_properties';
  }
  let ini;
  try {
    ini = parseIni(text, file, { inlineComments: false, caseSensitive: truthy(o.case_sensitive), allowNoValue: truthy(o.allow_no_value) || truthy(o.allow_none) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const why = err.message.slice(err.pos ? formatPos(err.pos).length + 2 : 0);
    if (err instanceof IniDuplicateError) {
      throw new LookupFailure(`Duplicate option in '${file}': While reading from '<???>' [line ${String(err.pos?.line ?? 0).padStart(2)}]: ${why}`, 'lookup');
    }
    if (err instanceof IniParsingError) {
      const lines = err.bad.map(([n, text]) => `\n\t[line ${String(n).padStart(2)}]: ${repr(text)}`).join('');
      throw new LookupFailure(`Source contains parsing errors: '<???>'${lines}`, 'error', "<class 'configparser.ParsingError'>");
    }
    throw new LookupFailure(why, 'error', "<class 'configparser.Error'>");
  }
  const section = str(o.section);
  if (!ini.has(section)) throw new LookupFailure(`No section '${section}' in ${file}`, 'lookup');
  if (truthy(o.re)) {
    const re = pyRegex(`^(?:${key})`);
    return ini.items(section).filter(([k]) => re.test(k)).map(([, v]) => v);
  }
  const value = ini.get(section, key);
  if (value === undefined) return o.default === null || o.default === undefined ? [] : [o.default];
  return value === null ? [] : [value];
}

export const ini: Lookup = (terms, kwargs, ctx) => {
  const options = { ...DEFAULTS, ...kwargs };
  return termList(terms).flatMap((t) => lookupOne(str(t), options, ctx));
};
