import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkHostKey, keyTypeOfBlob, knownKeyTypes, parseKnownHosts, patternsMatch } from '../../src/connection/known-hosts.js';
import { parseHop } from '../../src/connection/ssh-client.js';

/** Real keys from ssh-keygen, and hashed lines produced by `ssh-keygen -H` itself. */
let dir: string;
let keyA: { type: string; b64: string; blob: Buffer };
let keyB: { type: string; b64: string; blob: Buffer };

function newKey(name: string): { type: string; b64: string; blob: Buffer } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
  const [type, b64] = readFileSync(join(dir, `${name}.pub`), 'utf8').split(' ');
  return { type, b64, blob: Buffer.from(b64, 'base64') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsrun-kh-'));
  keyA = newKey('a');
  keyB = newKey('b');
});

describe('known_hosts', () => {
  it('matches plain names, IPs and [host]:port entries', () => {
    const e = parseKnownHosts(
      `# comment\n\nweb1,10.0.0.1 ${keyA.type} ${keyA.b64} c\n[db]:2222 ${keyB.type} ${keyB.b64}\n`,
      'kh',
    );
    expect(checkHostKey(e, 'web1', 22, keyA.blob).status).toBe('match');
    expect(checkHostKey(e, '10.0.0.1', 22, keyA.blob).status).toBe('match');
    expect(checkHostKey(e, 'web1', 22, keyB.blob)).toMatchObject({ status: 'mismatch', entry: { where: 'kh:3' } });
    expect(checkHostKey(e, 'db', 2222, keyB.blob).status).toBe('match');
    expect(checkHostKey(e, 'db', 22, keyB.blob).status).toBe('unknown');
    expect(checkHostKey(e, 'web1', 2222, keyA.blob).status).toBe('unknown');
  });

  it('matches hashed entries written by ssh-keygen -H', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `web1 ${keyA.type} ${keyA.b64}\n[10.1.2.3]:2200 ${keyB.type} ${keyB.b64}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('web1');
    const e = parseKnownHosts(text, file);
    expect(e.every((x) => x.patterns.startsWith('|1|'))).toBe(true);
    expect(checkHostKey(e, 'web1', 22, keyA.blob).status).toBe('match');
    expect(checkHostKey(e, 'web2', 22, keyA.blob).status).toBe('unknown');
    expect(checkHostKey(e, '10.1.2.3', 2200, keyB.blob).status).toBe('match');
    expect(checkHostKey(e, 'web1', 22, keyB.blob).status).toBe('mismatch');
  });

  it('supports wildcards, negation and @revoked; ignores @cert-authority', () => {
    expect(patternsMatch('*.example.com,!bad.example.com', 'a.example.com')).toBe(true);
    expect(patternsMatch('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false);
    expect(patternsMatch('10.0.0.?', '10.0.0.7')).toBe(true);
    expect(patternsMatch('10.0.0.?', '10.0.0.17')).toBe(false);
    const e = parseKnownHosts(
      `@revoked * ${keyB.type} ${keyB.b64}\n@cert-authority *.x ${keyA.type} ${keyA.b64}\n*.x ${keyB.type} ${keyB.b64}\n`,
      'kh',
    );
    expect(checkHostKey(e, 'h.x', 22, keyB.blob).status).toBe('revoked');
    expect(checkHostKey(e, 'h.x', 22, keyA.blob).status).toBe('mismatch');
  });

  it('reports other known key types for a host, for key exchange preference', () => {
    const e = parseKnownHosts(`h ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7\n`, 'kh');
    expect(knownKeyTypes(e, 'h', 22)).toEqual(['ssh-rsa']);
    expect(checkHostKey(e, 'h', 22, keyA.blob)).toEqual({ status: 'unknown', otherTypes: ['ssh-rsa'] });
    expect(keyTypeOfBlob(keyA.blob)).toBe('ssh-ed25519');
  });
});

describe('parseHop', () => {
  it('reads [user@]host[:port] and bracketed IPv6', () => {
    expect(parseHop('bastion', 'me')).toEqual({ host: 'bastion', port: 22, user: 'me' });
    expect(parseHop('ops@bastion:2200', 'me')).toEqual({ host: 'bastion', port: 2200, user: 'ops' });
    expect(parseHop('ops@[fe80::1]:2200', 'me')).toEqual({ host: 'fe80::1', port: 2200, user: 'ops' });
  });
});
