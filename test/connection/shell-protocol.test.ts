import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildRequest, ResponseReader, sessionSetup, shellQuote, startCommand } from '../../src/connection/shell-protocol.js';

/** Feeds `text` to a real `sh` (as the long-lived shell would get it) and returns raw output. */
function runInSh(text: string): { stdout: Buffer; stderr: Buffer } {
  const r = spawnSync('/bin/sh', [], { input: sessionSetup() + text });
  return { stdout: r.stdout, stderr: r.stderr };
}

function roundTrip(script: string, opts: { stdin?: Buffer; env?: Record<string, string>; timeoutMs?: number } = {}) {
  const marker = '__tsrun_test' + randomBytes(4).toString('hex');
  const raw = runInSh(buildRequest({ marker, script, ...opts }) + 'echo after-request\n');
  const reader = new ResponseReader(marker);
  reader.pushStdout(raw.stdout);
  reader.pushStderr(raw.stderr);
  return { reader, raw };
}

describe('shellQuote', () => {
  it('survives sh parsing for awkward text', () => {
    for (const s of ["it's", '$HOME `id` "q" \\ \n newline', '', "''", '!*?[a]']) {
      const r = spawnSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(s)}`]);
      expect(r.stdout.toString()).toBe(s);
    }
  });
});

describe('startCommand', () => {
  it('prints the ready marker, then reads commands from stdin', () => {
    const r = spawnSync('/bin/sh', ['-c', startCommand('READY123')], { input: 'echo from-stdin\n' });
    expect(r.stdout.toString()).toBe('READY123\nfrom-stdin\n');
  });

  it('wraps in sudo -S with the prompt and target user, never a password', () => {
    const cmd = startCommand('R', { user: 'app user', sudoPrompt: '[p] password: ' });
    expect(cmd).toMatch(/^sudo -H -S -p '\[p\] password: ' -u 'app user' sh -c /);
  });
});

describe('buildRequest + ResponseReader against a real sh', () => {
  it('separates stdout, stderr and the exit status', () => {
    const { reader, raw } = roundTrip('echo out; echo err >&2; printf partial; exit 5');
    expect(reader.done).toBe(true);
    expect(reader.rc).toBe(5);
    expect(reader.stdout().toString()).toBe('out\npartial');
    expect(reader.stderr().toString()).toBe('err\n');
    // The long-lived shell survived the script's `exit`.
    expect(raw.stdout.toString()).toMatch(/after-request\n$/);
  });

  it('keeps syntax errors, cd and set -e inside the request', () => {
    const bad = roundTrip('if then');
    expect(bad.reader.rc).not.toBe(0);
    expect(bad.raw.stdout.toString()).toMatch(/after-request\n$/);
    const cd = runInSh(
      buildRequest({ marker: 'M1', script: 'cd /; set -e' }) + buildRequest({ marker: 'M2', script: 'pwd' }),
    );
    expect(cd.stdout.toString()).toContain(`\nM1 0\n${process.cwd()}\n`);
  });

  it('passes binary stdin exactly (base64 path) and text stdin verbatim (heredoc path)', () => {
    const bin = Buffer.concat([Buffer.from([0, 255, 10, 13]), randomBytes(5000)]);
    const b = roundTrip('cat', { stdin: bin });
    expect(b.reader.stdout().equals(bin)).toBe(true);
    const text = Buffer.from('line with $HOME and `x`\n\'quoted\'\n');
    const t = roundTrip('cat', { stdin: text });
    expect(t.reader.stdout().toString()).toBe(text.toString());
    const noNl = roundTrip('cat', { stdin: Buffer.from('no newline') });
    expect(noNl.reader.stdout().toString()).toBe('no newline');
  });

  it('never lets a script read the command stream', () => {
    const { reader, raw } = roundTrip('cat; echo "[$(cat)]"');
    expect(reader.stdout().toString()).toBe('[]\n');
    expect(raw.stdout.toString()).toMatch(/after-request\n$/);
  });

  it('exports env values exactly and rejects bad names', () => {
    const { reader } = roundTrip('printf "%s" "$V"', { env: { V: "a'b $c\nd" } });
    expect(reader.stdout().toString()).toBe("a'b $c\nd");
    expect(() => buildRequest({ marker: 'M', script: 'true', env: { 'BAD-NAME': 'x' } })).toThrow(/invalid environment variable name/);
  });

  it('with a timeout, kills the script and its children', () => {
    // Killed, not finished: rc 143 (TERM) and no "never".
    // Durations of this run only: pgrep sees every process on the machine, other checkouts' too.
    const tag = `${Math.floor(Math.random() * 1e6)}`;
    const { reader } = roundTrip(`sleep 20.${tag} & sleep 21.${tag}; echo never`, { timeoutMs: 300 });
    expect(reader.done).toBe(true);
    expect(reader.rc).toBe(143);
    expect(reader.stdout().toString()).toBe('');
    const left = spawnSync('sh', ['-c', `pgrep -f "^sleep 2[01]\\.${tag}$" || true`]).stdout.toString();
    expect(left).toBe('');
  });

  it('with a timeout that is not reached, returns normally', () => {
    const { reader } = roundTrip('echo fine', { timeoutMs: 5000 });
    expect(reader.rc).toBe(0);
    expect(reader.stdout().toString()).toBe('fine\n');
  });
});

describe('ResponseReader framing', () => {
  const m = '__tsrun_abc';
  it('finds markers split across chunks of any size', () => {
    const out = Buffer.from(`hello\x00world\n${m} 42\n`);
    const err = Buffer.from(`warn\n${m}\n`);
    for (const size of [1, 2, 3, 7, 1000]) {
      const r = new ResponseReader(m);
      for (let i = 0; i < out.length; i += size) r.pushStdout(out.subarray(i, i + size));
      expect(r.done).toBe(false);
      for (let i = 0; i < err.length; i += size) r.pushStderr(err.subarray(i, i + size));
      expect(r.done).toBe(true);
      expect(r.rc).toBe(42);
      expect(r.stdout().equals(Buffer.from('hello\x00world'))).toBe(true);
      expect(r.stderr().toString()).toBe('warn');
    }
  });

  it('waits for the whole status line', () => {
    const r = new ResponseReader(m);
    r.pushStderr(Buffer.from(`\n${m}\n`));
    r.pushStdout(Buffer.from(`x\n${m} 1`));
    expect(r.done).toBe(false);
    r.pushStdout(Buffer.from('27\n'));
    expect(r.done).toBe(true);
    expect(r.rc).toBe(127);
    expect(r.stdout().toString()).toBe('x');
  });

  it('is not fooled by output that only resembles the marker', () => {
    const r = new ResponseReader(m);
    r.pushStdout(Buffer.from(`${m} 3\n__tsrun_abd 4\n`));
    expect(r.rc).toBe(-1);
    r.pushStdout(Buffer.from(`\n${m} 0\n`));
    r.pushStderr(Buffer.from(`\n${m}\n`));
    expect(r.rc).toBe(0);
    expect(r.stdout().toString()).toBe(`${m} 3\n__tsrun_abd 4\n`);
  });
});

describe('a request cut short', () => {
  it('runs nothing when the input ends inside its payload (text or base64) or its trailer', () => {
    const dir = spawnSync('mktemp', ['-d']).stdout.toString().trim();
    const payloads = [Buffer.from('line one\nline two\nline three\n'.repeat(50)), randomBytes(4096)];
    for (const [i, stdin] of payloads.entries()) {
      for (const timeoutMs of [undefined, 5000]) {
        const req = buildRequest({ marker: `__tsrun_cut${i}`, script: `cat > ${dir}/out; echo ran > ${dir}/ran`, stdin, timeoutMs });
        // Cut in the payload, and just before the group's closing brace.
        for (const cut of [Math.floor(req.length / 2), req.lastIndexOf('}')]) {
          const r = spawnSync('/bin/sh', [], { input: sessionSetup() + req.slice(0, cut) });
          expect(r.stderr.toString()).toMatch(/end of file unexpected|Syntax error/);
          expect(spawnSync('ls', [dir]).stdout.toString()).toBe('');
        }
      }
    }
  });
});
