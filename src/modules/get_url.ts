import { defineModule, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { request } from '../connection/shell-protocol.js';
import { say } from '../connection/shell-text.js';
import { curlConfig } from './lib/cmd-http.js';
import { joinShell, rawShell, sh, type ShellText } from '../connection/shell-text.js';

type GetUrlArgs = Infer<typeof argsSchema>;

const ALGOS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

export function parseChecksum(spec: string): { algo: string; digest: string } | { error: string } {
  const i = spec.indexOf(':');
  if (i < 0) return { error: "The checksum parameter has to be in format <algorithm>:<checksum>" };
  const algo = spec.slice(0, i).toLowerCase();
  const digest = spec.slice(i + 1).trim().toLowerCase();
  if (!ALGOS.includes(algo)) return { error: `Unsupported hash algorithm: ${algo}` };
  if (/^(https?|ftp|file):/.test(digest)) return { error: 'get_url: a checksum URL is not supported by tsrun; give the digest itself' };
  return { algo, digest };
}

/** Octal text chmod understands; YAML 1.1 may hand `0644` over as the number 420. */
export function modeText(mode: string | number): string {
  return typeof mode === 'number' ? mode.toString(8) : mode;
}

/**
 * One script: skip when dest is there (and matches the checksum) unless force, else fetch to a
 * temp file beside dest (cp for file://, curl with its config on stdin for http), verify, and
 * replace dest only when the bytes differ; then fix mode/owner/group.
 */
export function getUrlScript(a: GetUrlArgs, check: boolean): ShellText {
  const v = (name: string) => rawShell(`"$${name}"`);
  const sum = a.checksum ? (parseChecksum(a.checksum) as { algo: string; digest: string }) : undefined;
  const base = decodeURIComponent(new URL(a.url).pathname.split('/').pop() || 'index.html');
  const L = [sh`skip=`, sh`dest=${a.dest}`, sh`[ -d "$dest" ] && dest="$dest/"${base}`, say('dest', v('dest'))];
  const sumOf = (f: string) => (sum ? sh`$(${`${sum.algo}sum`} -- ${rawShell(f)} | cut -d' ' -f1)` : sh``);
  // As Ansible 2.14: a matching checksum skips the download; otherwise fetch (If-Modified-Since
  // from dest's mtime unless force) and replace dest only when the bytes differ.
  if (!a.force && sum)
    L.push(sh`if [ -f "$dest" ] && [ "${sumOf('"$dest"')}" = ${sum.digest} ]; then ${say('exists')}; skip=1; fi`);
  const fetch: ShellText[] = [];
  // The download goes beside dest (one rename replaces it); in check mode to TMPDIR, so dest's directory is untouched.
  const tmpDir = check ? rawShell('"${TMPDIR:-/tmp}"') : rawShell('"$(dirname -- "$dest")"');
  fetch.push(sh`tmp=$(mktemp ${tmpDir}/.tsrun-get_url.XXXXXXXX) || { cat >/dev/null; ${say('fail', rawShell('"cannot create a temp file beside $dest"'))}; exit 0; }`);
  fetch.push(sh`trap 'rm -f "$tmp"' EXIT`);
  if (a.url.startsWith('file://')) {
    const path = decodeURIComponent(new URL(a.url).pathname);
    fetch.push(sh`cp -- ${path} "$tmp" 2>&1 || { ${say('fail', `Request failed: cannot read ${path}`)}; exit 0; }`);
  } else {
    fetch.push(sh`command -v curl >/dev/null 2>&1 || { cat >/dev/null; ${say('nocurl')}; exit 0; }`);
    fetch.push(sh`since=; [ ${a.force ? '1' : '0'} = 0 ] && [ -z "$mismatch" ] && [ -f "$dest" ] && since=1`);
    fetch.push(sh`code=$(curl -sS -K - -o "$tmp" -w '%{http_code}' \${since:+-z "$dest"} 2>"$tmp.err"); rc=$?; err=$(cat "$tmp.err"); rm -f "$tmp.err"`);
    fetch.push(sh`[ "$rc" = 0 ] || { ${say('fail', rawShell('"Request failed: $err"'))}; exit 0; }`);
    // 304: dest is current; fall through to the attribute checks and the final stat.
    fetch.push(sh`if [ "$code" = 304 ]; then ${say('notmodified')}; else`);
    fetch.push(sh`case "$code" in 2*) ;; *) ${say('fail', rawShell('"Request failed: HTTP Error $code"'))}; exit 0 ;; esac`);
  }
  if (sum) fetch.push(sh`got=${sumOf('"$tmp"')}; [ "$got" = ${sum.digest} ] || { ${say('badsum', v('got'))}; exit 0; }`);
  fetch.push(say('size', rawShell('"$(wc -c < "$tmp")"')));
  fetch.push(say('sha1', rawShell(`"$(sha1sum -- "$tmp" | cut -d' ' -f1)"`)));
  fetch.push(sh`if [ -f "$dest" ] && cmp -s -- "$tmp" "$dest"; then ${say('same')}; else`);
  fetch.push(check ? sh`  ${say('changed', 'content')}` : sh`  chmod 644 -- "$tmp"; [ -e "$dest" ] && chmod --reference="$dest" -- "$tmp" 2>/dev/null; mv -f -- "$tmp" "$dest" && ${say('changed', 'content')}`);
  fetch.push(sh`fi`);
  if (!a.url.startsWith('file://')) fetch.push(sh`fi`);
  L.push(sh`mismatch=${sum ? '1' : ''}`);
  L.push(sh`if [ -z "$skip" ]; then`, ...fetch.map((l) => sh`  ${l}`), sh`else cat >/dev/null; fi`);
  // Owner, group and mode are operands after `--`: a value starting with `-` is never an option.
  if (a.mode !== undefined) {
    const m = modeText(a.mode);
    L.push(sh`if [ -f "$dest" ]; then before=$(stat -c %a -- "$dest"); ${check ? sh`` : sh`chmod -- ${m} "$dest";`} [ "$before" = "$(stat -c %a -- "$dest")" ] || ${say('changed', 'mode')}; fi`);
  }
  if (a.owner !== undefined)
    L.push(sh`if [ -f "$dest" ] && [ "$(stat -c %U -- "$dest")" != ${a.owner} ]; then ${check ? sh`` : sh`chown -- ${a.owner} "$dest" 2>&1 || { ${say('fail', 'chown failed')}; exit 0; };`} ${say('changed', 'owner')}; fi`);
  if (a.group !== undefined)
    L.push(sh`if [ -f "$dest" ] && [ "$(stat -c %G -- "$dest")" != ${a.group} ]; then ${check ? sh`` : sh`chgrp -- ${a.group} "$dest" 2>&1 || { ${say('fail', 'chgrp failed')}; exit 0; };`} ${say('changed', 'group')}; fi`);
  L.push(sh`[ -f "$dest" ] && ${say('stat', rawShell(`"$(stat -c '%a %U %G %u %g %s' -- "$dest") $(sha1sum -- "$dest" | cut -d' ' -f1)"`))}`);
  return joinShell([...L, sh``]);
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'dest'],
  properties: {
    url: { type: 'string', pattern: '^(file|https?)://' },
    dest: { type: 'string' },
    checksum: { type: 'string' },
    mode: { type: ['string', 'integer'] },
    owner: { type: 'string' },
    group: { type: 'string' },
    force: { type: 'boolean', default: false },
    timeout: { type: 'number', default: 10 },
    validate_certs: { type: 'boolean', default: true },
    headers: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    url_username: { type: 'string' },
    url_password: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
  },
} as const;

const getUrl = defineModule({
  name: 'get_url',
  aliases: ['ansible.builtin.get_url'],
  checkMode: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    if (a.checksum) {
      const c = parseChecksum(a.checksum);
      if ('error' in c) return { failed: true, changed: false, msg: c.error };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.headers ?? {})) headers[k] = String(v);
    const config = a.url.startsWith('file://')
      ? ''
      : curlConfig({
          url: a.url,
          headers,
          user: a.url_username ?? a.username,
          password: a.url_password ?? a.password,
          timeout: a.timeout ?? 10,
          insecure: a.validate_certs === false,
          followRedirects: true,
        });
    const { res, reply } = await request(ctx, getUrlScript(a, ctx.check), { stdin: config });
    const lines = reply.entries();
    const get = (k: string) => lines.find(([key]) => key === k)?.[1];
    const dest = get('dest') ?? a.dest;
    if (get('nocurl') !== undefined) return { failed: true, changed: false, dest, url: a.url, msg: 'get_url: curl is not installed on the target' };
    const failed = get('fail');
    if (failed !== undefined) return { failed: true, changed: false, dest, url: a.url, msg: failed };
    const badsum = get('badsum');
    if (badsum !== undefined) {
      const c = parseChecksum(a.checksum ?? '') as { digest: string };
      return { failed: true, changed: false, dest, url: a.url, msg: `The checksum for ${dest} did not match ${c.digest}; it was ${badsum}.` };
    }
    if (get('stat') === undefined && !ctx.check) return { failed: true, changed: false, dest, url: a.url, msg: `get_url failed: ${res.stderr.trim()}` };
    const changed = lines.some(([k]) => k === 'changed');
    const r: ModuleResult = { changed, dest, url: a.url, state: 'file' };
    const st = get('stat');
    if (st) {
      const [mode, owner, group, uid, gid, size, sha1] = st.split(' ');
      Object.assign(r, { mode: mode.padStart(4, '0'), owner, group, uid: Number(uid), gid: Number(gid), size: Number(size), checksum_dest: sha1 });
    }
    if (get('sha1')) r.checksum_src = get('sha1');
    if (get('exists') !== undefined && !changed) r.msg = 'file already exists';
    else if (get('notmodified') !== undefined && !changed) r.msg = 'Not Modified';
    else if (get('size')) r.msg = `OK (${get('size')} bytes)`;
    return r;
  },
});

export default getUrl;
