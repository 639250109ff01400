import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansibleEnv, ansiblePlaybook, run, tsrun } from '../support/runners.js';

/** Vault files and strings round-trip with ansible-vault in both directions, byte for byte. */
const PLAINTEXTS: Record<string, Buffer> = {
  'yaml.yml': Buffer.from('db_password: "s3cr3t; $(rm -rf /)"\nusers:\n  - alice\n'),
  'block16.txt': Buffer.from('0123456789abcdef'),
  'unicode.txt': Buffer.from('héllo wörld ✓\r\nline two\n\n'),
  'binary.bin': Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)),
  'one.txt': Buffer.from('x'),
};

describe.runIf(ansibleAvailable())('vault compatibility with ansible-vault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-vault-oracle-'));
  const env = ansibleEnv();
  const vault = (args: string[]) => run('ansible-vault', args, { cwd: dir, env });
  const ours = (args: string[]) => tsrun(['vault', ...args], { cwd: dir, env });

  beforeAll(() => {
    writeFileSync(join(dir, 'pw'), 'correct horse\n');
    writeFileSync(join(dir, 'pw2'), 'battery staple');
    writeFileSync(join(dir, 'pw.sh'), '#!/bin/sh\necho "correct horse"\n');
    chmodSync(join(dir, 'pw.sh'), 0o755);
    for (const side of ['by-ansible', 'by-tsrun']) mkdirSync(join(dir, side));
    for (const [name, data] of Object.entries(PLAINTEXTS)) {
      writeFileSync(join(dir, 'by-ansible', name), data);
      writeFileSync(join(dir, 'by-tsrun', name), data);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decrypts what ansible-vault encrypted (1.1 and 1.2 with a label, file and script passwords)', async () => {
    const names = Object.keys(PLAINTEXTS);
    const half = names.slice(0, 2).map((n) => `by-ansible/${n}`);
    const rest = names.slice(2).map((n) => `by-ansible/${n}`);
    expect((await vault(['encrypt', '--vault-password-file', 'pw', ...half])).code).toBe(0);
    expect((await vault(['encrypt', '--vault-id', 'prod@pw', ...rest])).code).toBe(0);
    expect(readFileSync(join(dir, rest[0]), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    const r = await ours(['decrypt', '--vault-id', 'prod@pw.sh', ...half, ...rest]);
    expect(r.code, r.stderr).toBe(0);
    for (const n of names) expect(readFileSync(join(dir, 'by-ansible', n))).toEqual(PLAINTEXTS[n]);
  });

  it('writes vaults ansible-vault decrypts', async () => {
    const names = Object.keys(PLAINTEXTS);
    expect((await ours(['encrypt', '--vault-password-file', 'pw', `by-tsrun/${names[0]}`])).code).toBe(0);
    const r = await ours(['encrypt', '--vault-id', 'dev@pw.sh', ...names.slice(1).map((n) => `by-tsrun/${n}`)]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'by-tsrun', names[1]), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;dev\n([0-9a-f]{80}\n)+[0-9a-f]{1,80}\n$/);
    const d = await vault(['decrypt', '--vault-password-file', 'pw', ...names.map((n) => `by-tsrun/${n}`)]);
    expect(d.code, d.stderr).toBe(0);
    for (const n of names) expect(readFileSync(join(dir, 'by-tsrun', n))).toEqual(PLAINTEXTS[n]);
  });

  it('rekeys, views and refuses the wrong password without printing plaintext', async () => {
    writeFileSync(join(dir, 'rk.yml'), 'token: abc123secret\n');
    expect((await vault(['encrypt', '--vault-password-file', 'pw', 'rk.yml'])).code).toBe(0);
    const rk = await ours(['rekey', '--vault-password-file', 'pw', '--new-vault-password-file', 'pw2', 'rk.yml']);
    expect(rk.code, rk.stderr).toBe(0);
    expect((await vault(['view', '--vault-password-file', 'pw2', 'rk.yml'])).stdout).toBe('token: abc123secret\n');
    expect((await ours(['view', '--vault-password-file', 'pw2', 'rk.yml'])).stdout).toBe('token: abc123secret\n');
    const bad = await ours(['view', '--vault-password-file', 'pw', 'rk.yml']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Decryption failed (no vault secrets were found that could decrypt) on rk.yml');
    expect(bad.stdout + bad.stderr).not.toContain('abc123secret');
    const twice = await ours(['encrypt', '--vault-password-file', 'pw2', 'rk.yml']);
    expect(twice.stderr).toContain('input is already encrypted');
  });

  it('uses vaulted vars files, !vault values and vaulted copy sources in a play like ansible-playbook', async () => {
    const play = join(dir, 'play');
    mkdirSync(join(play, 'files'), { recursive: true });
    writeFileSync(join(play, 'files', 'secret.conf'), 'api_key=k-123\n');
    writeFileSync(join(play, 'vaulted.yml'), 'from_file: file-secret\n');
    for (const f of ['vaulted.yml', 'files/secret.conf']) expect((await run('ansible-vault', ['encrypt', '--vault-password-file', join(dir, 'pw'), f], { cwd: play, env })).code).toBe(0);
    const inline = await ours(['encrypt_string', '--vault-password-file', 'pw', 'inline-secret', '--name', 'from_inline']);
    expect(inline.code, inline.stderr).toBe(0);
    writeFileSync(join(play, 'inline.yml'), `${inline.stdout}\n`);
    writeFileSync(join(play, 'extra.yml'), 'from_extra: extra-secret\n');
    expect((await run('ansible-vault', ['encrypt', '--vault-password-file', join(dir, 'pw'), 'extra.yml'], { cwd: play, env })).code).toBe(0);
    writeFileSync(
      join(play, 'play.yml'),
      [
        '- hosts: localhost',
        '  gather_facts: false',
        '  vars_files: [vaulted.yml, inline.yml]',
        '  tasks:',
        '    - copy: { content: "{{ from_file }} {{ from_inline }} {{ from_extra }}\\n", dest: "{{ out }}/vars.txt" }',
        '    - copy: { src: secret.conf, dest: "{{ out }}/secret.conf" }',
        '    - copy: { src: secret.conf, dest: "{{ out }}/still-vaulted.conf", decrypt: false }',
      ].join('\n'),
    );
    writeFileSync(join(play, 'hosts.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    for (const side of ['ansible', 'tsrun']) mkdirSync(join(play, side));
    const args = (side: string) => ['-i', 'hosts.ini', 'play.yml', '--vault-password-file', join(dir, 'pw.sh'), '-e', '@extra.yml', '-e', `out=${join(play, side)}`];
    const a = await ansiblePlaybook(args('ansible'), { cwd: play, json: false });
    expect(a.code, a.stdout).toBe(0);
    const t = await tsrun(args('tsrun'), { cwd: play, env });
    expect(t.code, t.stdout + t.stderr).toBe(0);
    expect(readFileSync(join(play, 'tsrun', 'vars.txt'), 'utf8')).toBe('file-secret inline-secret extra-secret\n');
    for (const f of ['vars.txt', 'secret.conf', 'still-vaulted.conf']) expect(readFileSync(join(play, 'tsrun', f))).toEqual(readFileSync(join(play, 'ansible', f)));
    const noPass = await tsrun(['-i', 'hosts.ini', 'play.yml', '-e', `out=${join(play, 'tsrun')}`], { cwd: play, env });
    expect(noPass.code).not.toBe(0);
    expect(noPass.stderr).toMatch(/vaulted\.yml.*no vault secrets found|no vault secrets found.*vaulted\.yml/);
  }, 300_000);
});
