/** String, regex, encoding and path filters. */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, extname, relative, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { EvalError } from './errors.js';
import { pySplit } from './methods.js';
import { percentFormat } from './operators.js';
import { splitLines, wrap } from '../util/textwrap.js';
import { iterate, str, truthy } from './python.js';
import { templateRegex, templateSub } from './regex.js';
import { tuple, isPlainObject, num } from './values.js';
import { attrGetter, bool, filterTable } from './filter-registry.js';
import { quote as shellQuote } from '../util/shell-quote.js';

const { def, raw, table } = filterTable();

function regexFlags(kw: { ignorecase?: unknown; multiline?: unknown }) {
  return { ignorecase: bool(kw.ignorecase), multiline: bool(kw.multiline) };
}

const hashes: Record<string, string> = { sha1: 'sha1', md5: 'md5', sha256: 'sha256', sha224: 'sha224', sha384: 'sha384', sha512: 'sha512' };


// --- strings
def('lower', [], (v) => str(v).toLowerCase());
def('upper', [], (v) => str(v).toUpperCase());
def('capitalize', [], (v) => {
  const s = str(v);
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
});
def('title', [], (v) => str(v).replace(/([\w'])+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()));
def('trim', ['chars'], (v, chars) => {
  const s = str(v);
  if (chars === undefined) return s.trim();
  const set = new Set([...str(chars)]);
  let a = 0;
  let b = s.length;
  while (a < b && set.has(s[a])) a++;
  while (b > a && set.has(s[b - 1])) b--;
  return s.slice(a, b);
});
def('replace', ['old', 'new', 'count'], (v, old, nw, count) => {
  const s = str(v);
  const parts = s.split(str(old));
  if (count === undefined || count === null || parts.length - 1 <= num(count)) return parts.join(str(nw));
  const c = num(count);
  return parts.slice(0, c + 1).join(str(nw)) + str(old) + parts.slice(c + 1).join(str(old));
});
def('center', ['width'], (v, width = 80) => {
  const s = str(v);
  const w = num(width);
  if (s.length >= w) return s;
  const pad = w - s.length;
  const left = Math.floor(pad / 2) + (pad & w & 1);
  return ' '.repeat(left) + s + ' '.repeat(pad - left);
});
def('wordcount', [], (v) => (str(v).match(/\w+/g) ?? []).length);
def('indent', ['width', 'first', 'blank'], (v, width = 4, first = false, blank = false) => {
  const pad = typeof width === 'string' ? width : ' '.repeat(num(width));
  const lines = str(v).split('\n');
  return lines
    .map((l, i) => (i === 0 && !bool(first)) || (l.trim() === '' && !bool(blank)) ? l : pad + l)
    .join('\n');
});
def('truncate', ['length', 'killwords', 'end', 'leeway'], (v, len = 255, killwords = false, end = '...', leeway = 5) => {
  const s = str(v);
  const n = num(len);
  if (s.length <= n + num(leeway)) return s;
  if (bool(killwords)) return s.slice(0, n - str(end).length) + str(end);
  const cut = s.slice(0, n - str(end).length);
  return cut.replace(/\s*\S*$/, '') + str(end);
});
def('split', ['sep', 'maxsplit'], (v, sep, maxsplit) => pySplit(str(v), sep, maxsplit));
def('join', ['d', 'attribute'], (v, d = '', attribute) => {
  const items = iterate(v);
  const get = attribute === undefined ? (x: unknown) => x : attrGetter(attribute);
  return items.map((x) => str(get(x))).join(str(d));
});
def('regex_escape', ['re_type'], (v) => str(v).replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`));
def('regex_replace', ['pattern', 'replacement', 'ignorecase', 'multiline', 'count', 'mandatory_count'], (v, pattern = '', replacement = '', ic, ml, count = 0) =>
  templateSub(str(v), str(pattern), str(replacement), regexFlags({ ignorecase: ic, multiline: ml }), num(count)),
);
raw('regex_search', (v, args, kw) => {
  const re = templateRegex(str(args[0]), regexFlags(kw));
  const m = re.exec(str(v));
  if (!m) return null;
  const wanted = args.slice(1).map(str);
  if (wanted.length === 0) return m[0];
  return wanted.map((w) => {
    const g = /^\\g<(\w+)>$/.exec(w);
    if (g) return (/^\d+$/.test(g[1]) ? m[Number(g[1])] : m.groups?.[g[1]]) ?? null;
    const n = /^\\(\d+)$/.exec(w);
    if (n) return m[Number(n[1])] ?? null;
    throw new EvalError(`Unknown argument ${w}`);
  });
});
def('regex_findall', ['regex', 'multiline', 'ignorecase'], (v, regex, ml, ic) => {
  const re = templateRegex(str(regex), { ...regexFlags({ ignorecase: ic, multiline: ml }), global: true });
  const out: unknown[] = [];
  for (const m of str(v).matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(tuple(m.slice(1).map((x) => x ?? '')));
  }
  return out;
});
def('quote', [], (v) => shellQuote(str(v ?? '')));
/** Python codec names to Node's; 'utf-16' is little-endian with a byte-order mark, as Python writes it. */
function codec(encoding: unknown): { enc: BufferEncoding; bom: boolean } {
  const e = str(encoding ?? 'utf-8').toLowerCase().replace(/_/g, '-');
  if (e === 'utf-8' || e === 'utf8') return { enc: 'utf8', bom: false };
  if (e === 'utf-16-le' || e === 'utf-16le') return { enc: 'utf16le', bom: false };
  if (e === 'utf-16') return { enc: 'utf16le', bom: true };
  if (e === 'latin-1' || e === 'latin1' || e === 'iso-8859-1') return { enc: 'latin1', bom: false };
  if (e === 'ascii') return { enc: 'ascii', bom: false };
  throw new EvalError(`unknown encoding: ${str(encoding)}`);
}
def('b64encode', ['encoding'], (v, encoding) => {
  const { enc, bom } = codec(encoding);
  return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(str(v), enc)]).toString('base64');
});
def('b64decode', ['encoding'], (v, encoding) => {
  const { enc, bom } = codec(encoding);
  const bytes = Buffer.from(str(v), 'base64');
  return (bom && bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2) : bytes).toString(enc);
});
// Jinja's markupsafe escape (autoescape is off in Ansible, so only where asked for)
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
def(['escape', 'e', 'forceescape'], [], (v) => str(v).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]));
def('hash', ['hashtype'], (v, type = 'sha1') => {
  const algo = hashes[str(type)];
  if (!algo) throw new EvalError(`unsupported hash type ${str(type)}`);
  return createHash(algo).update(str(v)).digest('hex');
});
def('checksum', [], (v) => createHash('sha1').update(str(v)).digest('hex'));
def('md5', [], (v) => createHash('md5').update(str(v)).digest('hex'));
def('sha1', [], (v) => createHash('sha1').update(str(v)).digest('hex'));
def('urlencode', [], (v) => {
  const quote = (s: unknown) => encodeURIComponent(str(s)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const qs = (s: unknown) => quote(s).replace(/%20/g, '+');
  if (isPlainObject(v)) return Object.entries(v).map(([k, x]) => `${qs(k)}=${qs(x)}`).join('&');
  if (Array.isArray(v)) return v.map((p) => iterate(p).map(qs).join('=')).join('&');
  return quote(v).replace(/%2F/g, '/');
});
def('ternary', ['true_val', 'false_val', 'none_val'], (v, t, f, n) => (v === null && n !== undefined ? n : truthy(v) ? t : f));
def('comment', ['style'], (v) => `#\n# ${str(v).split('\n').join('\n# ')}\n#`);

// --- paths
def('basename', [], (v) => basename(str(v)));
def('dirname', [], (v) => {
  const s = str(v);
  const i = s.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : s.slice(0, i).replace(/\/+$/, '') || '/';
});
def('expanduser', [], (v) => str(v).replace(/^~(?=\/|$)/, homedir()));
def('realpath', [], (v) => {
  try {
    return realpathSync(str(v));
  } catch {
    return resolve(str(v));
  }
});
def('splitext', [], (v) => {
  const s = str(v);
  const ext = extname(s);
  return tuple([s.slice(0, s.length - ext.length), ext]);
});
def('path_join', [], (v) => {
  const parts = iterate(v).map(str);
  let out = '';
  for (const p of parts) out = p.startsWith('/') ? p : out === '' || out.endsWith('/') ? out + p : `${out}/${p}`;
  return out;
});
def('relpath', ['start'], (v, start = '.') => relative(resolve(str(start)), resolve(str(v))) || '.');
def('win_basename', [], (v) => str(v).split(/[\\/]/).pop());


// --- Jinja's format and wordwrap
raw('format', (v, args, kw) => {
  if (args.length > 0 && Object.keys(kw).length > 0) throw new EvalError("can't handle positional and keyword arguments at the same time");
  return percentFormat(str(v), Object.keys(kw).length > 0 ? kw : tuple(args));
});
def('wordwrap', ['width', 'break_long_words', 'wrapstring', 'break_on_hyphens'], (v, width = 79, breakLong = true, wrapstring = '\n', hyphens = true) => {
  const sep = str(wrapstring ?? '\n');
  return splitLines(str(v))
    .map((line) => wrap(line, num(width), truthy(breakLong), truthy(hyphens)).join(sep))
    .join(sep);
});

/** The text filters, by name (composed into FILTERS in filters.ts). */
export const TEXT_FILTERS = table;
