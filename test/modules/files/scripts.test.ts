import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prelude } from '../../../src/modules/lib/remote-prelude.js';
import { describe, expect, test } from 'vitest';
import { parseMode } from '../../../src/modules/lib/file-mode.js';
import { ancestors, type FileStateSpec, fileStateScript } from '../../../src/modules/lib/remote-file-state.js';
import { editProbeScript } from '../../../src/modules/lib/remote-edit.js';
import { copyRemoteScript } from '../../../src/modules/lib/remote-copy.js';
import { parseStatLine, statRecord } from '../../../src/modules/lib/remote-kv.js';
import { Reply } from '../../../src/connection/shell-protocol.js';
import { putProbeScript } from '../../../src/modules/lib/file-transfer.js';
import { statScript } from '../../../src/modules/lib/remote-stat.js';
import { unarchiveScript } from '../../../src/modules/lib/remote-unarchive.js';
import { validateCommand, writeScript } from '../../../src/modules/lib/file-transfer.js';
import { fetchDest, fetchProbeScript } from '../../../src/modules/fetch.js';
import { slurpScript } from '../../../src/modules/slurp.js';
import { prepareArgs } from '../../../src/executor/module-args.js';
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
    expect(s.indexOf("trap 'rm -f -- \"$tmp\"' EXIT")).toBeLessThan(s.indexOf('cat 2>&1 >"$tmp"'));
  });
  test('write script: content that is not what was announced never replaces dest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-verify-'));
    const dest = join(dir, 'f');
    writeFileSync(dest, 'old\n');
    const full = Buffer.from('new content\n');
    const expectFull = { size: full.length, sha256: createHash('sha256').update(full).digest('hex') };
    const write = (input: Buffer) =>
      spawnSync('/bin/sh', ['-c', `${prelude(false)}\nTSRUN_N=N\n${writeScript({ dest, expect: expectFull })}`], { input }).stdout.toString();
    // Cut short, or the right length with other bytes: refused, old file and no temp file left.
    for (const bad of [full.subarray(0, 5), Buffer.from('NEW content\n')]) {
      expect(write(bad)).toMatch(/^N error=received \d+ of 12 bytes for .*the transfer was incomplete/m);
      expect(readFileSync(dest, 'utf8')).toBe('old\n');
      expect(readdirSync(dir)).toEqual(['f']);
    }
    expect(write(full)).toContain('written=1');
    expect(readFileSync(dest, 'utf8')).toBe('new content\n');
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
  test('records and stat lines', () => {
    const kv = new Reply('N a=1\nN attr=mode\nN attr=owner\nN st=regular file|644|0|0|root|root|3|10|11|12|99|2049|1|8|4096\nnoise\nN b64=aGk=\n', 'N');
    expect(kv.values('attr')).toEqual(['mode', 'owner']);
    expect(kv.b64('b64')).toBe('hi');
    expect(statRecord(kv, 'st')).toMatchObject({ type: 'file', modeDigits: '644', size: 3, owner: 'root', nlink: 1 });
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
    tempfile: { state: 'directory', suffix: '.d' },
    find: { paths: ['/x'], patterns: '*.txt', recurse: true },
  };
  // Ansible's tempfile has no required argument
  const noneRequired = new Set(['tempfile']);
  test.each(fileModulesIndex.map((m) => [m.name, m] as const))('%s: the argument pipeline accepts typical (rendered) args, rejects unknown and missing', (name, m) => {
    const ok = prepareArgs(m, name, valid[name]);
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
    expect(prepareArgs(m, name, { ...valid[name], bogus_option: 1 })).toMatchObject({ ok: false, msg: expect.stringContaining('Unsupported parameters') });
    expect(prepareArgs(m, name, {}).ok).toBe(noneRequired.has(name));
  });
  test('converts as Ansible does: "yes" is a bool, 0 an owner string, 42 a line', () => {
    const byName = new Map(fileModulesIndex.map((m) => [m.name, m]));
    expect(prepareArgs(byName.get('copy')!, 'copy', valid.copy)).toEqual({ ok: true, args: { src: 'a', dest: '/b', mode: '0644', backup: true, owner: '0' } });
    expect(prepareArgs(byName.get('lineinfile')!, 'lineinfile', valid.lineinfile)).toMatchObject({ ok: true, args: { line: '42', create: true } });
    expect(prepareArgs(byName.get('copy')!, 'copy', { dest: '/b', content: 'x', backup: 'maybe' })).toMatchObject({
      ok: false,
      msg: "copy: argument 'backup' is of type str and we were unable to convert to bool: 'maybe'",
    });
  });
  // Ansible arguments tsrun does not implement fail by name, unless given the value that means what tsrun does.
  test.each([
    ['copy', { dest: '/b', content: 'x', follow: true }, "copy: argument 'follow' is not supported by tsrun: a symlink at dest is replaced, not followed (allowed: False)"],
    ['file', { path: '/x', setype: 'etc_t' }, "file: argument 'setype' is not supported by tsrun: SELinux contexts are not set by tsrun (allowed: '')"],
    ['unarchive', { src: 'a.tgz', dest: '/x', include: ['a'] }, "unarchive: argument 'include' is not supported by tsrun: the whole archive is extracted (use exclude)"],
    ['stat', { path: '/x', get_attributes: 'yes' }, "stat: argument 'get_attributes' is not supported by tsrun: lsattr attributes are not read by tsrun (allowed: False)"],
    ['template', { src: 'a', dest: '/b', output_encoding: 'latin-1' }, "template: argument 'output_encoding' is not supported by tsrun: templates are written as UTF-8 (allowed: 'utf-8', 'utf8', 'UTF-8')"],
  ])('%s refuses an unsupported argument: %j', (name, args, msg) => {
    const m = fileModulesIndex.find((x) => x.name === name)!;
    expect(prepareArgs(m, name, args)).toEqual({ ok: false, msg });
  });
  test.each([
    ['copy', { dest: '/b', content: 'x', follow: 'no', seuser: '' }],
    ['stat', { path: '/x', get_attributes: false }],
  ])('%s accepts an unsupported argument at the value tsrun implements: %j', (name, args) => {
    const m = fileModulesIndex.find((x) => x.name === name)!;
    expect(prepareArgs(m, name, args).ok).toBe(true);
  });
});
