import type { SourcePos } from '../util/errors.js';
import { joinArgs, splitArgs } from './split-args.js';

/** The only k=v keys Ansible pulls out of command/shell/raw/script free-form text. */
export const FREE_FORM_KV_KEYS: ReadonlySet<string> = new Set([
  'creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends',
]);

const ESCAPE_RE = /\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\N\{[^}]+\}|\\[\\'"abfnrtv]/g;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeEscapes(s: string): string {
  return s.replace(ESCAPE_RE, (m) => {
    const kind = m[1];
    if (kind === 'U' || kind === 'u' || kind === 'x') return String.fromCodePoint(parseInt(m.slice(2), 16));
    if (kind === 'N') return m; // Unicode names need a database Ansible users practically never rely on.
    return SIMPLE_ESCAPES[kind] ?? m;
  });
}

function unquote(s: string): string {
  if (s.length > 1 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'") && s[s.length - 2] !== '\\') return s.slice(1, -1);
  return s;
}

/**
 * Ansible's parse_kv: `k=v` words become params (values unquoted, never type-converted), the
 * other words are re-joined as free-form `raw` text. With `checkRaw` (command-like modules)
 * only the few keys those modules accept are taken out; other `k=v` words stay in the text.
 */
export function parseKeyValue(text: string, opts: { checkRaw?: boolean; pos?: SourcePos } = {}): { params: Record<string, unknown>; raw: string } {
  const params: Record<string, unknown> = {};
  const raw: string[] = [];
  for (const orig of splitArgs(text, opts.pos)) {
    const x = decodeEscapes(orig);
    let eq = -1;
    for (let i = x.indexOf('=', 1); i !== -1; i = x.indexOf('=', i + 1)) {
      if (x[i - 1] !== '\\') {
        eq = i;
        break;
      }
    }
    if (!x.includes('=')) {
      raw.push(orig);
      continue;
    }
    if (eq === -1) {
      raw.push(x.replace(/\\=/g, '='));
      continue;
    }
    const k = x.slice(0, eq);
    const v = x.slice(eq + 1);
    if (opts.checkRaw && !FREE_FORM_KV_KEYS.has(k)) raw.push(orig);
    else params[k.trim()] = unquote(v.trim());
  }
  return { params, raw: joinArgs(raw) };
}
