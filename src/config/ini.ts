import { ConfigError } from '../util/errors.js';

/**
 * ansible.cfg as Ansible reads it: Python's configparser.ConfigParser with
 * inline_comment_prefixes=(';',), read with raw=True (no %-interpolation).
 *
 * - `key = value` or `key: value`; keys are lower-cased, values stripped;
 * - `#` or `;` at the start of a line is a comment, ` ;` (after whitespace) starts an inline one;
 * - a line indented deeper than its key continues the value (joined with "\n"); blank lines
 *   inside a value are kept, trailing ones dropped;
 * - [DEFAULT] entries show through in every section; a repeated section or key is an error.
 */
export class IniFile {
  constructor(
    readonly file: string,
    private readonly sections: Map<string, Map<string, string>>,
    private readonly defaults: Map<string, string>,
  ) {}

  get(section: string, key: string): string | undefined {
    const s = this.sections.get(section);
    if (!s) return undefined;
    const k = key.toLowerCase();
    return s.get(k) ?? this.defaults.get(k);
  }

  has(section: string): boolean {
    return this.sections.has(section);
  }

  /** Every section (DEFAULT left out) with its options, [DEFAULT]'s showing through: ConfigParser's sections()/options(). */
  toObject(): Record<string, Record<string, string>> {
    return Object.fromEntries([...this.sections].map(([name, opts]) => [name, Object.fromEntries([...opts, ...[...this.defaults].filter(([k]) => !opts.has(k))])]));
  }
}

const DEFAULT_SECTION = 'DEFAULT';
const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/s;

/** Index where an inline ";" comment starts (a ";" at the start or after whitespace). */
function inlineComment(line: string): number | undefined {
  for (let i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
    if (i === 0 || /\s/.test(line[i - 1])) return i;
  }
  return undefined;
}

/** `inlineComments: false` is ConfigParser's own default (ansible.cfg's reader turns `;` comments on). */
export function parseIni(text: string, file: string, opts: { inlineComments?: boolean } = {}): IniFile {
  const sections = new Map<string, Map<string, string[] | undefined>>();
  const defaults = new Map<string, string[] | undefined>();
  const added = new Set<string>();
  const bad: number[] = [];
  let current: Map<string, string[] | undefined> | undefined;
  let sectionName: string | undefined;
  let option: string | undefined;
  let indentLevel = 0;
  const lines = text.split(/(?<=\n)/);
  lines.forEach((line, idx) => {
    const lineno = idx + 1;
    let commentStart = opts.inlineComments === false ? undefined : inlineComment(line);
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) commentStart = 0;
    const value = line.slice(0, commentStart).trim();
    if (!value) {
      // an empty line belongs to a multi-line value, unless the line held a comment
      if (commentStart === undefined && current && option && current.get(option)) current.get(option)!.push('');
      return;
    }
    const indent = line.search(/\S/);
    if (current && option && indent > indentLevel) {
      current.get(option)!.push(value);
      return;
    }
    indentLevel = indent;
    const sect = SECTION.exec(value);
    if (sect) {
      sectionName = sect[1];
      if (sections.has(sectionName)) {
        if (added.has(sectionName)) throw new ConfigError(`section '${sectionName}' already exists`, { file, line: lineno });
        current = sections.get(sectionName);
      } else if (sectionName === DEFAULT_SECTION) current = defaults;
      else {
        current = new Map();
        sections.set(sectionName, current);
      }
      added.add(sectionName);
      option = undefined;
      return;
    }
    if (!current) throw new ConfigError(`File contains no section headers: ${JSON.stringify(line.replace(/\n$/, ''))}`, { file, line: lineno });
    const opt = OPTION.exec(value);
    if (!opt || !opt[1]) {
      bad.push(lineno);
      return;
    }
    option = opt[1].trimEnd().toLowerCase();
    const id = `${sectionName}\0${option}`;
    if (added.has(id)) throw new ConfigError(`option '${option}' in section '${sectionName}' already exists`, { file, line: lineno });
    added.add(id);
    current.set(option, [opt[3].trim()]);
  });
  if (bad.length) throw new ConfigError(`Source contains parsing errors: ${bad.map((n) => `[line ${n}]: ${JSON.stringify(lines[n - 1].replace(/\n$/, ''))}`).join(', ')}`, { file, line: bad[0] });
  const join = (m: Map<string, string[] | undefined>) => new Map([...m].map(([k, v]) => [k, (v ?? []).join('\n').trimEnd()]));
  return new IniFile(file, new Map([...sections].map(([k, v]) => [k, join(v)])), join(defaults));
}
