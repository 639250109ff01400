import { ConfigError, type SourcePos } from '../util/errors.js';

/**
 * An INI file as Python's configparser.ConfigParser reads it: for ansible.cfg with
 * inline_comment_prefixes=(';',) and raw=True (no %-interpolation); for the ini lookup with its
 * defaults (no inline comments) and the lookup's case_sensitive / allow_no_value options.
 *
 * - `key = value` or `key: value`; keys are lower-cased, values stripped;
 * - `#` or `;` at the start of a line is a comment, ` ;` (after whitespace) starts an inline one;
 * - a line indented deeper than its key continues the value (joined with "\n"); blank lines
 *   inside a value are kept, trailing ones dropped;
 * - [DEFAULT] entries show through in every section; a repeated section or key is an error.
 */
export interface IniOptions {
  /** `;` after whitespace starts a comment (ansible.cfg); default true. */
  inlineComments?: boolean;
  /** Keys keep their case (configparser lower-cases them by default). */
  caseSensitive?: boolean;
  /** A key alone on its line has the value null instead of being a parsing error. */
  allowNoValue?: boolean;
}

/** A repeated key (configparser's DuplicateOptionError), told apart for the ini lookup's wording. */
export class IniDuplicateError extends ConfigError {}

/** Lines that are neither a section, a key nor a comment (configparser's ParsingError). */
export class IniParsingError extends ConfigError {
  constructor(
    message: string,
    pos: SourcePos,
    /** line number and text (with its newline) of each bad line */
    readonly bad: [number, string][],
  ) {
    super(message, pos);
  }
}

export class IniFile {
  constructor(
    readonly file: string,
    private readonly sections: Map<string, Map<string, string | null>>,
    private readonly defaults: Map<string, string | null>,
    private readonly caseSensitive = false,
  ) {}

  /** The value (null for a key without one), undefined when the section or key is missing. */
  get(section: string, key: string): string | null | undefined {
    const s = this.sections.get(section);
    if (!s) return undefined;
    const k = this.caseSensitive ? key : key.toLowerCase();
    return s.has(k) ? s.get(k) : this.defaults.get(k);
  }

  /** The section's keys and values, [DEFAULT]'s after its own, in file order. */
  items(section: string): [string, string | null][] {
    const own = this.sections.get(section) ?? new Map<string, string | null>();
    return [...own, ...[...this.defaults].filter(([k]) => !own.has(k))];
  }

  has(section: string): boolean {
    return this.sections.has(section);
  }

  /** Every section (DEFAULT left out) with its options, [DEFAULT]'s showing through: ConfigParser's sections()/options(). */
  toObject(): Record<string, Record<string, string | null>> {
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

export function parseIni(text: string, file: string, opts: IniOptions = {}): IniFile {
  const { inlineComments = true, caseSensitive = false, allowNoValue = false } = opts;
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
    let commentStart = inlineComments ? inlineComment(line) : undefined;
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) commentStart = 0;
    const value = line.slice(0, commentStart).trim();
    if (!value) {
      // an empty line belongs to a multi-line value, unless the line held a comment
      if (commentStart === undefined && current && option && current.get(option)) current.get(option)!.push('');
      return;
    }
    const indent = line.search(/\S/);
    if (current && option && current.get(option) && indent > indentLevel) {
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
    const opt = OPTION.exec(value) ?? (allowNoValue ? [value, value, '', undefined] : null);
    if (!opt || !opt[1]) {
      bad.push(lineno);
      return;
    }
    option = caseSensitive ? opt[1].trimEnd() : opt[1].trimEnd().toLowerCase();
    const id = `${sectionName}\0${option}`;
    if (added.has(id)) throw new IniDuplicateError(`option '${option}' in section '${sectionName}' already exists`, { file, line: lineno });
    added.add(id);
    current.set(option, opt[3] === undefined ? undefined : [opt[3].trim()]);
  });
  if (bad.length) {
    const message = `Source contains parsing errors: ${bad.map((n) => `[line ${n}]: ${JSON.stringify(lines[n - 1].replace(/\n$/, ''))}`).join(', ')}`;
    throw new IniParsingError(message, { file, line: bad[0] }, bad.map((n) => [n, lines[n - 1]]));
  }
  const join = (m: Map<string, string[] | undefined>) => new Map([...m].map(([k, v]) => [k, v === undefined ? null : v.join('\n').trimEnd()]));
  return new IniFile(file, new Map([...sections].map(([k, v]) => [k, join(v)])), join(defaults), caseSensitive);
}
