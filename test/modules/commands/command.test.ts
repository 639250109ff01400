import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import command, { commandArgv } from '../../../src/modules/command.js';
import shell from '../../../src/modules/shell.js';
import raw from '../../../src/modules/raw.js';
import script from '../../../src/modules/script.js';
import { shlexSplit } from '../../../src/util/shlex.js';
import { formatDelta } from '../../../src/modules/lib/cmd-run.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { ctxFor as localContext } from './local.js';
import { ansibleAvailable, runAnsibleTasks } from './ansible-oracle.js';
import { encrypt } from '../../../src/vault/format.js';
import { Keyring, setKeyring } from '../../../src/vault/keyring.js';
import { ansiblePlaybook } from '../../support/runners.js';

describe('shlexSplit matches Python shlex.split', () => {
  const cases = [
    'echo hi',
    `a\\ b "c\\d\\"e" 'x\\y' f\\\\g`,
    `  lead   trail  `,
    `echo "$(id)" ; > f`,
    `x"y z"w 'a''b' ""`,
    `tab\there\nnewline`,
    `echo '' "" e`,
    `multi "line\nquoted"`,
  ];
  const python = JSON.parse(
    execFileSync('python3', ['-c', 'import json,shlex,sys; print(json.dumps([shlex.split(c) for c in json.load(sys.stdin)]))'], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    }),
  ) as string[][];
  cases.forEach((c, i) =>
    it(JSON.stringify(c), () => {
      expect(shlexSplit(c)).toEqual(python[i]);
    }),
  );
  it('rejects an unclosed quote', () => {
    expect(() => shlexSplit(`echo "open`)).toThrow('No closing quotation');
    expect(commandArgv({ _raw_params: `echo 'x` })).toEqual({ error: 'cannot parse the command: No closing quotation' });
  });
});

describe('formatDelta is Python str(timedelta)', () => {
  it.each([
    [4082, '0:00:00.004082'],
    [0, '0:00:00'],
    [3_661_000_001, '1:01:01.000001'],
    [90_000_000_000, '1 day, 1:00:00'],
  ])('%d µs', (us, text) => expect(formatDelta(us)).toBe(text));
});

describe('command / shell against ansible-core', () => {
  const dir = scratchDir();
  // Each case: [module, args]; the same args go to Ansible and to tsrun.
  const cases: Array<[string, Record<string, unknown>, boolean?]> = [
    ['command', { _raw_params: 'echo $HOME ${HOME} $NOPE_X_UNSET ~ ~/x a~ "$(id)" ; > f *' }],
    ['command', { _raw_params: `printf '%s|' 'a b' "c'd" \\$HOME` }],
    ['command', { argv: ['printf', '%s|', 'x y', '$(echo no)', '${HOME}'] }],
    // the program is the file on PATH, never the target shell's builtin or one of tsrun's functions
    ['command', { _raw_params: "echo -e 'a\\tb'" }],
    ['command', { _raw_params: "echo 'a\\nb'" }],
    ['command', { _raw_params: '/bin/echo -n x' }],
    ['command', { _raw_params: 'cd /tmp' }],
    ['command', { _raw_params: 'tsrun_start' }],
    ['command', { argv: ['no-such-program-tsrun', 'a b', "it's"] }],
    ['command', { _raw_params: 'cat', stdin: 'hello' }],
    ['command', { _raw_params: 'cat', stdin: 'hello', stdin_add_newline: false }],
    ['command', { _raw_params: 'printf "a\\n\\n\\n"' }],
    ['command', { _raw_params: 'printf "a\\n\\n\\n"', strip_empty_ends: false }],
    ['command', { _raw_params: 'sh -c "echo err >&2; exit 3"' }],
    ['command', { _raw_params: 'pwd', chdir: '/tmp' }],
    ['command', { _raw_params: 'echo ran', creates: '/etc' }],
    ['command', { _raw_params: 'echo ran', creates: '/etc/pass*' }],
    ['command', { _raw_params: 'echo ran', creates: '/nonexistent-tsrun' }],
    ['command', { _raw_params: 'echo ran', removes: '/nonexistent-tsrun' }],
    ['command', { _raw_params: 'echo ran', removes: '/etc/hostname' }],
    ['shell', { _raw_params: 'echo $((1+2)); echo "$HOME" | tr a-z A-Z; exit 0' }],
    ['shell', { _raw_params: 'echo $0', executable: '/bin/bash' }],
    ['shell', { _raw_params: 'echo to-err >&2; false' }],
    ['shell', { cmd: 'cat -', stdin: 'in' }],
    ['command', { _raw_params: 'touch /nonexistent-dir/x' }, true],
    ['command', { _raw_params: 'touch /nonexistent-dir/x', creates: '/nonexistent-tsrun' }, true],
    ['shell', { _raw_params: 'touch /nonexistent-dir/x', removes: '/etc' }, true],
    ['shell', { _raw_params: 'echo ran', creates: '/etc' }, true],
  ];
  const enabled = ansibleAvailable();
  let expected: Record<string, unknown>[] = [];
  beforeAll(() => {
    if (enabled) expected = runAnsibleTasks(cases.map(([m, args, check]) => ({ [m]: args, ignore_errors: true, check_mode: check ?? false })));
  }, 120_000);
  const mods = { command, shell } as const;
  cases.forEach(([m, args, check], i) =>
    it.skipIf(!enabled)(`${m} ${JSON.stringify(args)}${check ? ' (check mode)' : ''}`, async () => {
      const r = await mods[m as 'command'].run(localContext(args, { env: { HOME: process.env.HOME ?? '/root' }, check: check ?? false }));
      const e = expected[i];
      for (const key of ['rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'cmd', 'changed', 'msg']) {
        expect.soft(r[key], key).toEqual(e[key]);
      }
      expect(Boolean(r.failed)).toBe(Boolean(e.failed));
      expect(Boolean(r.skipped)).toBe(Boolean(e.skipped));
      if (e.delta === undefined) expect(r.delta).toBeUndefined();
      else if (e.delta === null) expect(r.delta).toBeNull();
      // Only the format: the duration depends on the machine's load.
      else expect(r.delta).toMatch(/^\d+:\d\d:\d\d(\.\d{6})?$/);
      if (typeof e.start === 'string') expect(r.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    }),
  );

  it('writes nothing through redirections or command substitution', async () => {
    const r = await invoke(command, localContext({ _raw_params: 'echo > f', chdir: dir }));
    expect(r.stdout).toBe('> f');
    expect(existsSync(join(dir, 'f'))).toBe(false);
  });

  it('reports a missing program as Ansible does', async () => {
    const r = await invoke(command, localContext({ _raw_params: 'no-such-program-tsrun x' }));
    expect(r).toMatchObject({ failed: true, rc: 2, msg: "[Errno 2] No such file or directory: b'no-such-program-tsrun'" });
  });

  it('fails on a missing chdir', async () => {
    const r = await invoke(command, localContext({ _raw_params: 'pwd', chdir: '/nonexistent-tsrun' }));
    expect(r.failed).toBe(true);
    expect(r.msg).toMatch(/Unable to change directory/);
  });

  it('is skipped in check mode unless creates/removes decide', async () => {
    const marker = join(dir, 'check-marker');
    const skip = await invoke(command, localContext({ _raw_params: `touch ${marker}` }, { check: true }));
    expect(skip).toMatchObject({ skipped: true, changed: false });
    const decided = await invoke(command, localContext({ _raw_params: `touch ${marker}`, creates: '/etc' }, { check: true }));
    expect(decided).toMatchObject({ changed: false, msg: "Would not run command since '/etc' exists" });
    const would = await invoke(shell, localContext({ _raw_params: `touch ${marker}`, creates: marker }, { check: true }));
    expect(would).toMatchObject({ changed: true });
    expect(existsSync(marker)).toBe(false);
  });

  it('passes the task environment to $VAR expansion', async () => {
    const r = await invoke(command, localContext({ _raw_params: 'echo $TSRUN_X ${TSRUN_X}' }, { env: { TSRUN_X: 'v a;l' } }));
    expect(r.stdout).toBe('v a;l v a;l');
  });
});

describe('raw and script', () => {
  it('raw runs the text as-is and reports the rc', async () => {
    const ok = await invoke(raw, localContext({ _raw_params: 'echo a; echo b >&2' }));
    expect(ok).toMatchObject({ changed: true, rc: 0, stdout: 'a\n', stderr: 'b\n', stdout_lines: ['a'] });
    const bad = await invoke(raw, localContext({ _raw_params: 'exit 4' }));
    expect(bad).toMatchObject({ failed: true, rc: 4 });
    const bash = await invoke(raw, localContext({ _raw_params: 'echo ${BASH_VERSION:+bash}', executable: '/bin/bash' }));
    expect(bash.stdout).toBe('bash\n');
  });

  it('script ships a control-side file, runs it with arguments, honours creates and chdir', async () => {
    const dir = scratchDir();
    const file = join(dir, 'hello.sh');
    writeFileSync(file, '#!/bin/sh\necho "args:$1|$2"; pwd; exit 3\n');
    const ctx = (args: Record<string, unknown>) => localContext(args, { findFile: (_k, rel) => join(dir, rel) });
    const r = await invoke(script, ctx({ _raw_params: `hello.sh 'a b' c`, chdir: '/tmp' }));
    expect(r).toMatchObject({ changed: true, rc: 3, failed: true, stdout: 'args:a b|c\n/tmp\n' });
    const viaSh = await invoke(script, ctx({ cmd: 'hello.sh x', executable: '/bin/sh' }));
    expect(viaSh.stdout_lines?.[0]).toBe('args:x|');
    const skipped = await invoke(script, ctx({ _raw_params: 'hello.sh', creates: '/etc' }));
    expect(skipped).toMatchObject({ changed: false, skipped: true });
    const missing = await invoke(script, ctx({ _raw_params: 'nope.sh' }));
    expect(missing.failed).toBe(true);
  });
});

describe('script decrypt: a vaulted script is decrypted before it is sent (as ansible-playbook does)', () => {
  const dir = scratchDir();
  const password = 'pw-script';
  writeFileSync(join(dir, 'v.sh'), encrypt(Buffer.from('#!/bin/sh\necho "plain ran $1"\n'), Buffer.from(password)));
  writeFileSync(join(dir, 'pass'), `${password}\n`);
  const ctx = (args: Record<string, unknown>) => localContext(args, { findFile: (_k, rel) => join(dir, rel) });
  // decrypt: false sends the vault text as it is; `cat` as the executable shows what arrived.
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['decrypt left out (true)', { cmd: 'v.sh x' }, /^plain ran x$/],
    ['decrypt: false', { cmd: 'v.sh', decrypt: false, executable: 'cat' }, /^\$ANSIBLE_VAULT;1\.1;AES256$/],
  ];
  it.each(cases)('tsrun: %s', async (_what, args, firstLine) => {
    setKeyring(new Keyring([{ id: 'default', password: Buffer.from(password) }]));
    try {
      const r = await invoke(script, ctx(args));
      expect(r.stdout_lines?.[0]).toMatch(firstLine);
    } finally {
      setKeyring(new Keyring());
    }
  });
  it.skipIf(!ansibleAvailable()).each(cases)('ansible-playbook: %s', async (_what, args, firstLine) => {
    writeFileSync(join(dir, 'pb.yml'), JSON.stringify([{ hosts: 'localhost', connection: 'local', gather_facts: false, tasks: [{ script: args, register: 'r' }, { debug: { var: 'r.stdout_lines' } }] }]));
    const out = await ansiblePlaybook(['-i', 'localhost,', '--vault-password-file', join(dir, 'pass'), 'pb.yml'], { cwd: dir });
    const json = JSON.parse(out.stdout.slice(out.stdout.indexOf('{')));
    expect(json.plays[0].tasks[1].hosts.localhost['r.stdout_lines'][0]).toMatch(firstLine);
  });
});

// Issue 15 #7: through tsrun's real long-lived shell, argv expands only the environment (as
// Python's os.path.expandvars over os.environ), never the shell's own or tsrun's variables.
describe('command argv expansion sees the environment only', () => {
  it('leaves $__ts_sid, $IFS and $PPID literal, expands exported and task environment values', async () => {
    const { LocalConnection } = await import('../../../src/connection/local.js');
    const conn = new LocalConnection({ name: 'localhost' });
    try {
      const env = { TSRUN_TEST_VAR: 'from-task' };
      const ctx = localContext(
        { argv: ['printf', '%s', '$__ts_sid|$IFS|$PPID|${TSRUN_TEST_VAR}|$NOPE_UNSET_X|$HOME'] },
        { conn, env, exec: (s, o) => conn.exec(String(s), { ...o, env }) },
      );
      const r = await command.run(ctx);
      expect(r.stdout).toBe(`$__ts_sid|$IFS|$PPID|from-task|$NOPE_UNSET_X|${process.env.HOME}`);
    } finally {
      await conn.close();
    }
  });
});
