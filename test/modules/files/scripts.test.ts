import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { parseMode } from '../../../src/modules/lib/file-mode.js';
import { ancestors, type FileStateSpec, fileStateScript } from '../../../src/modules/lib/remote-file-state.js';
import { editProbeScript } from '../../../src/modules/lib/remote-edit.js';
import { copyRemoteScript } from '../../../src/modules/lib/remote-copy.js';
import { KvOutput, parseStatLine } from '../../../src/modules/lib/remote-kv.js';
import { putProbeScript } from '../../../src/modules/lib/remote-put.js';
import { statScript } from '../../../src/modules/lib/remote-stat.js';
import { unarchiveScript } from '../../../src/modules/lib/remote-unarchive.js';
import { validateCommand, writeScript } from '../../../src/modules/lib/remote-write.js';
import { fetchDest, fetchProbeScript } from '../../../src/modules/fetch.js';
import { slurpScript } from '../../../src/modules/slurp.js';
import { Ajv } from 'ajv';
import fileModulesIndex from './modules-list.js';

/** `sh -n`: the generated text parses as POSIX sh (dash, the strictest shell here). */
function syntaxOk(script: string): string {
  const r = spawnSync('/bin/sh', ['-n'], { input: script });
  return r.status === 0 ? 'ok' : r.stderr.toString();
}

const tricky = "/tmp/it's a \"dir\"/$(x)`y`;&.conf";
const mode = parseMode('0640');
const sym = parseMode('u+rwX,g-w');

const scripts: [string, string | { text: string }][] = [
  ['write plain', writeScript({ dest: tricky })],
  ['write full', writeScript({ dest: tricky, mode, owner: 'nobody', group: 'nogroup', backup: true, validate: 'visudo -cf %s', makeParents: true })],
  ['write symbolic', writeScript({ dest: tricky, mode: sym })],
  ['put probe', putProbeScript([{ dest: tricky, baseName: 'b c', content: Buffer.from('x'), label: 'l' }], { mode: sym, owner: 'root' }, true, true)],
  ['put probe force=no', putProbeScript([{ dest: tricky, content: Buffer.from('x'), label: 'l' }], { force: false }, false, false)],
  ['copy remote', copyRemoteScript(tricky, tricky + '2', { mode, backup: true, validate: 'true %s' }, false)],
  ['edit probe', editProbeScript({ path: tricky, mode, owner: 'nobody' })],
  ['stat', statScript(tricky, { follow: true, checksum: 'sha256' })],
  ['slurp', slurpScript(tricky)],
  ['fetch probe', fetchProbeScript(tricky)],
  ['unarchive stdin', unarchiveScript({ dest: tricky, format: 'zip', creates: tricky, mode: sym, owner: 'x', extraOpts: ['-j'], exclude: ['a b'], listFiles: true }, true)],
  ['unarchive remote', unarchiveScript({ dest: tricky, remoteSrc: tricky, extraOpts: [], exclude: [], listFiles: false }, false)],
];
const states: FileStateSpec['state'][] = ['file', 'directory', 'touch', 'absent', 'link', 'hard'];
for (const state of states) {
  scripts.push([`file ${state}`, fileStateScript({ path: tricky, state, src: tricky, mode, owner: 'nobody', group: 'root', recurse: true, force: true, modificationTime: '202001010000.00' }, false)]);
  scripts.push([`file ${state} bare`, fileStateScript({ path: tricky, state, src: 'rel' }, true)]);
}

describe('generated scripts', () => {
  test.each(scripts)('%s parses with sh -n', (_name, script) => {
    expect(syntaxOk(String(script))).toBe('ok');
  });
  test('check mode switches TSRUN_CHECK', () => {
    expect(String(fileStateScript({ path: '/x', state: 'absent' }, true))).toContain('TSRUN_CHECK=1');
    expect(String(fileStateScript({ path: '/x', state: 'absent' }, false))).toContain('TSRUN_CHECK=0');
  });
  test('write script: temp file in the destination directory, rename last', () => {
    const s = String(writeScript({ dest: '/etc/app.conf', validate: 'check %s' }));
    expect(s).toContain('mktemp -- "$dir/.$base.tsrun.XXXXXX"');
    expect(s.indexOf('validate_rc')).toBeLessThan(s.indexOf('mv -f'));
    expect(s.indexOf("trap 'rm -f -- \"$tmp\"' EXIT")).toBeLessThan(s.indexOf('cat > "$tmp"'));
  });
});

describe('pure helpers', () => {
  test.each([
    ['0644', { kind: 'octal', digits: '644' }],
    ['644', { kind: 'octal', digits: '644' }],
    [0o755, { kind: 'octal', digits: '755' }],
    [420, { kind: 'octal', digits: '644' }],
    ['02775', { kind: 'octal', digits: '2775' }],
    ['u+rw,g-w,o=', { kind: 'symbolic', text: 'u+rw,g-w,o=' }],
    ['a+X', { kind: 'symbolic', text: 'a+X' }],
  ] as [unknown, unknown][])('parseMode(%j)', (input, want) => {
    expect(parseMode(input)).toEqual(want);
  });
  test.each(['rwxr-xr-x', '0999', 'u+q', '', 99999])('parseMode rejects %j', (bad) => {
    expect(() => parseMode(bad)).toThrow(/mode must be in octal or symbolic form/);
  });
  test('validateCommand passes the temp file as $1 and runs no shell, as Ansible', () => {
    expect(String(validateCommand('visudo -cf %s'))).toBe('visudo -cf "$1"');
    expect(String(validateCommand('a %s %s'))).toBe('a "$1" "$1"');
    expect(String(validateCommand('a --file=%s.tmp'))).toBe('a --file="$1".tmp');
    expect(String(validateCommand('test -s %s; touch /tmp/x $(id)'))).toBe(`test -s "$1"';' touch /tmp/x '$(id)'`);
  });
  test.each([
    ['/etc/hosts', '/backup', 'web1', false, '/backup/web1/etc/hosts'],
    ['/etc/hosts', '/backup/', 'web1', true, '/backup/hosts'],
    ['/etc/hosts', '/backup/h', 'web1', true, '/backup/h'],
    ['rel/f', 'out', 'h', false, 'out/h/rel/f'],
  ] as [string, string, string, boolean, string][])('fetchDest(%s, %s, %s, %s)', (src, dest, host, flat, want) => {
    expect(fetchDest(src, dest, host, flat)).toBe(want);
  });
  test('ancestors', () => {
    expect(ancestors('/a/b/c/')).toEqual(['/a', '/a/b', '/a/b/c']);
    expect(ancestors('x/y')).toEqual(['x', 'x/y']);
  });
  test('KvOutput and stat lines', () => {
    const kv = new KvOutput('a=1\nattr=mode\nattr=owner\nst=regular file|644|0|0|root|root|3|10|11|12|99|2049|1|8|4096\nnoise\nb64=aGk=\n');
    expect(kv.values('attr')).toEqual(['mode', 'owner']);
    expect(kv.b64('b64')).toBe('hi');
    expect(kv.stat('st')).toMatchObject({ type: 'file', modeDigits: '644', size: 3, owner: 'root', nlink: 1 });
    expect(parseStatLine('directory|755|0|0')).toBeUndefined();
  });
});

describe('module definitions', () => {
  test.each(fileModulesIndex.map((m) => [m.name, m] as const))('%s: schema shape', (_n, m) => {
    expect(m.freeForm).toBe(false);
    expect(m.argsSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(m.aliases).toContain(`ansible.builtin.${m.name}`);
  });
  const valid: Record<string, Record<string, unknown>> = {
    copy: { src: 'a', dest: '/b', mode: '0644', backup: 'yes', owner: 0 },
    template: { src: 'a.j2', dest: '/b', mode: 420, validate: 'x %s' },
    file: { name: '/x', state: 'directory', recurse: true },
    lineinfile: { dest: '/x', line: 42, regexp: '^x', create: 'true' },
    blockinfile: { path: '/x', block: 'b', marker: '# {mark}' },
    replace: { path: '/x', regexp: 'a', replace: 'b' },
    stat: { path: '/x', get_checksum: false, checksum_algorithm: 'sha256' },
    fetch: { src: '/x', dest: 'out', flat: true },
    unarchive: { src: 'a.tgz', dest: '/x', extra_opts: ['--strip-components=1'] },
    slurp: { src: '/x' },
  };
  test.each(fileModulesIndex.map((m) => [m.name, m] as const))('%s: schema compiles, accepts typical args, rejects unknown and missing', (name, m) => {
    const validate = new Ajv({ allErrors: true }).compile(m.argsSchema);
    expect(validate(valid[name]), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...valid[name], bogus_option: 1 })).toBe(false);
    expect(validate({})).toBe(false);
  });
});
