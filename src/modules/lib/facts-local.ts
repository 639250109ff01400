/**
 * setup's `local` collector (facts.d), as Ansible 2.14 reads it: every `*.fact` in fact_path,
 * in name order; one whose owner-execute bit is set is run and its stdout read, any other is
 * read as it is. The text is JSON, or else INI (Python's ConfigParser: sections of options,
 * [DEFAULT] showing through, `%(name)s` interpolation); what is neither becomes an error string
 * and a warning. The facts land under `ansible_local.<file name without .fact>`.
 */
import { isUtf8 } from 'node:buffer';
import { parseIni } from '../../config/ini.js';
import { sh, type ShellText } from '../../connection/shell-text.js';
import type { Reply } from '../../connection/shell-protocol.js';
import { pyStrRepr } from '../../util/python-repr.js';

/** Script lines that print each fact file as records: `local_file` (base64 path), then its output. */
export function localFactsScript(factPath: string): ShellText {
  return sh`_rec() { printf '\n%s %s=%s\n' "$TSRUN_N" "$1" "$2"; }
_fp=${factPath}
if [ -e "$_fp" ]; then _rec local_dir 1
  for _f in "$_fp"/*.fact; do
    [ -e "$_f" ] || [ -L "$_f" ] || continue
    _rec local_file "$(printf '%s' "$_f" | base64 | tr -d '\n')"
    if ! _m=$(stat -L -c %a -- "$_f" 2>/dev/null); then _rec local_nostat 1; continue; fi
    if [ $(( 0$_m & 0100 )) -ne 0 ]; then
      _o=$(mktemp) && _e=$(mktemp) || continue
      "$_f" >"$_o" 2>"$_e" </dev/null; _rec local_rc $?
      _rec local_out "$(base64 <"$_o" | tr -d '\n')"; _rec local_err "$(base64 <"$_e" | tr -d '\n')"
      rm -f -- "$_o" "$_e"
    else
      _rec local_out "$(base64 <"$_f" 2>/dev/null | tr -d '\n')"
    fi
  done
fi`;
}

interface FactFile {
  path: string;
  noStat?: boolean;
  rc?: number;
  out: Buffer;
  err: string;
}

class InterpolationError extends Error {}

/** ConfigParser's BasicInterpolation of one value: `%%` is `%`, `%(name)s` another option's value. */
function interpolate(value: string | null, opts: Record<string, string | null>, depth = 0): string | null {
  if (value === null) return null;
  if (depth > 10) throw new InterpolationError('interpolation too deep');
  return value.replace(/%(%|\(([^)]*)\)s|[\s\S]*)/g, (whole, what: string, name: string | undefined) => {
    if (what === '%') return '%';
    if (name === undefined) throw new InterpolationError(`'%' must be followed by '%' or '(', found: ${pyStrRepr(whole)}`);
    const v = opts[name.toLowerCase()];
    if (v === undefined) throw new InterpolationError(`Bad value substitution: option ${pyStrRepr(name.toLowerCase())} not found`);
    return interpolate(v, opts, depth + 1) ?? '';
  });
}

/** One fact file's value: JSON, else INI sections, else Ansible's error string (with a warning). */
function factValue(text: string, path: string, warn: (m: string) => void): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // not JSON: Ansible tries ConfigParser next
  }
  let ini: Record<string, Record<string, string | null>>;
  try {
    ini = parseIni(text, path, { inlineComments: false }).toObject();
  } catch {
    const msg = `error loading facts as JSON or ini - please check content: ${path}`;
    warn(msg);
    return msg;
  }
  // An interpolation error is not caught by Ansible's collector: the whole `local` collector fails.
  return Object.fromEntries(Object.entries(ini).map(([s, opts]) => [s, Object.fromEntries(Object.entries(opts).map(([k, v]) => [k, interpolate(v, opts)]))]));
}

/** ansible_local from the script's records; undefined when Ansible's collector would fail. */
export function localFacts(reply: Reply, warn: (m: string) => void): Record<string, unknown> | undefined {
  const files: FactFile[] = [];
  let cur: FactFile | undefined;
  const b64 = (v: string) => Buffer.from(v, 'base64');
  for (const { key, value } of reply.records) {
    if (key === 'local_file') files.push((cur = { path: b64(value).toString('utf8'), out: Buffer.alloc(0), err: '' }));
    else if (!cur) continue;
    else if (key === 'local_nostat') cur.noStat = true;
    else if (key === 'local_rc') cur.rc = Number(value);
    else if (key === 'local_out') cur.out = b64(value);
    else if (key === 'local_err') cur.err = b64(value).toString('utf8');
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const local: Record<string, unknown> = {};
  try {
    for (const f of files) {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1).replaceAll('.fact', '');
      let failed: string | undefined;
      if (f.noStat) failed = `Could not stat fact (${f.path}): [Errno 2] No such file or directory: ${pyStrRepr(f.path)}`;
      else if (f.rc !== undefined && f.rc !== 0) failed = `Failure executing fact script (${f.path}), rc: ${f.rc}, err: ${f.err}`;
      else if (f.rc !== undefined && !isUtf8(f.out)) failed = `error loading fact - output of running "${f.path}" was not utf-8`;
      if (failed !== undefined) {
        warn(failed);
        local[name] = failed;
        continue;
      }
      // A file that cannot be read as text reads as '' (get_file_content's default).
      local[name] = factValue(isUtf8(f.out) ? f.out.toString('utf8') : '', f.path, warn);
    }
  } catch (err) {
    if (err instanceof InterpolationError) return undefined;
    throw err;
  }
  return local;
}
