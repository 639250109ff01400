/**
 * The command line end to end: the built CLI against local hosts, compared with ansible-playbook
 * 2.14 wherever tsrun claims the same behaviour.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, tsrun } from '../support/runners.js';
import { debugMessages, expectNoStackTrace, FIXTURES, listedHosts, normaliseListing, parseJsonDoc, TIME_LIMIT_MS } from './support.js';

const INV = join(FIXTURES, 'hosts.ini');
const OK = join(FIXTURES, 'ok.yml');
const opts = { cwd: FIXTURES, timeoutMs: TIME_LIMIT_MS };
const plain = { cwd: FIXTURES, json: false };

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tsrun-cli-${prefix}-`));
}

describe.runIf(ansibleAvailable())('listings match ansible-playbook', () => {
  // Relative playbook path on purpose: both tools print the playbook as it was given.
  const cases: [string, string[]][] = [
    ['--syntax-check', ['--syntax-check']],
    ['--list-hosts --list-tasks --list-tags', ['--list-hosts', '--list-tasks', '--list-tags']],
    ['-t never', ['--list-tags', '--list-tasks', '-t', 'never']],
    ['-t repeated, --skip-tags comma list', ['--list-tasks', '-t', 'hello', '-t', 'cmd,blk', '--skip-tags', 'x,debugonly']],
    ['-l patterns (union, intersection, exclusion)', ['--list-hosts', '-l', 'web:db:&all:!h2']],
    ['-l @file', ['--list-hosts', '-l', '@limit.txt']],
    ['-i repeated, with a host list', ['--list-hosts', '-i', 'extra1,extra2,']],
    ['templated tags are listed rendered', ['templated-tags.yml', '--list-tasks', '--list-tags', '-e', 'extra_tag=from-e']],
  ];
  it.each(cases)('%s', async (_name, extra) => {
    const args = ['-i', 'hosts.ini', 'ok.yml', ...extra];
    const [ours, theirs] = await Promise.all([tsrun(args, opts), ansiblePlaybook(args, plain)]);
    expectNoStackTrace(ours);
    expect(theirs.code).toBe(0);
    expect(ours.code).toBe(0);
    expect(normaliseListing(ours.stdout)).toBe(normaliseListing(theirs.stdout));
  });

  it('-i accepts a bare host list (host1,host2,) on its own', async () => {
    const args = ['-i', 'alpha,beta,', 'ok.yml', '--list-hosts'];
    const [ours, theirs] = await Promise.all([tsrun(args, opts), ansiblePlaybook(args, plain)]);
    expect(listedHosts(ours.stdout)).toEqual(listedHosts(theirs.stdout));
    expect(listedHosts(ours.stdout)[0]).toEqual(['alpha', 'beta']);
  });
});

describe.runIf(ansibleAvailable())('-e matches ansible-playbook', () => {
  const cases: [string, string[]][] = [
    ['key=value pairs stay strings', ['-e', 'a=1', '-e', 'b=x c="quoted value"']],
    ['JSON and YAML flow keep their types', ['-e', '{"a": 1, "b": [true, null]}', '-e', '{c: yes, d: {x: y}}']],
    ['@file, and a later -e wins', ['-e', 'a=first', '-e', '@extra-file.yml', '-e', 'a=last', '-e', '{"c": "json-last"}']],
  ];
  it.each(cases)('%s', async (_name, extra) => {
    const args = ['-i', 'hosts.ini', 'extra-vars.yml', '-l', 'h1', ...extra];
    const [ours, theirs] = await Promise.all([tsrun([...args, '--json'], opts), ansiblePlaybook(args, { cwd: FIXTURES })]);
    expectNoStackTrace(ours);
    expect(ours.code).toBe(theirs.code);
    expect(debugMessages(parseJsonDoc(ours.stdout, 'tsrun'))).toEqual(debugMessages(parseJsonDoc(theirs.stdout, 'ansible-playbook')));
  });
});

describe.runIf(ansibleAvailable())('run options match ansible-playbook', () => {
  it('-C changes nothing and -D shows the diff of what would change', async () => {
    const dirs = [tmp('check-ours'), tmp('check-theirs')];
    for (const d of dirs) writeFileSync(join(d, 'h1.txt'), 'old\n');
    const args = (d: string) => ['-i', 'hosts.ini', 'check-diff.yml', '-l', 'h1,h2', '-C', '-D', '-e', `out_dir=${d}`];
    const [ours, theirs] = await Promise.all([tsrun(args(dirs[0]), opts), ansiblePlaybook(args(dirs[1]), plain)]);
    expectNoStackTrace(ours);
    for (const [out, d] of [[ours, dirs[0]], [theirs, dirs[1]]] as const) {
      expect(out.code).toBe(0);
      expect(readFileSync(join(d, 'h1.txt'), 'utf8')).toBe('old\n');
      expect(existsSync(join(d, 'h2.txt'))).toBe(false);
      expect(out.stdout).toMatch(/^-old$/m);
      expect(out.stdout).toMatch(/^\+hello h1$/m);
      expect(out.stdout).toMatch(/^\+hello h2$/m);
      expect(out.stdout).toMatch(/^changed: \[h1\]$/m);
      expect(out.stdout).toMatch(/h2\s+: ok=1 +changed=1 /);
    }
  });

  it('-b --become-user runs the command as that user (sudo)', async () => {
    const args = ['-i', 'hosts.ini', 'become.yml', '-l', 'h1', '-b', '--become-user', 'nobody'];
    const [ours, theirs] = await Promise.all([tsrun([...args, '--json'], opts), ansiblePlaybook(args, { cwd: FIXTURES })]);
    expectNoStackTrace(ours);
    const stdoutOf = (text: string, who: string) => parseJsonDoc(text, who).plays[0].tasks[0].hosts.h1.stdout;
    expect(stdoutOf(theirs.stdout, 'ansible-playbook')).toBe('nobody');
    expect(stdoutOf(ours.stdout, 'tsrun')).toBe('nobody');
    expect(ours.code).toBe(0);
  });

  it('-v prints each result as JSON, like ansible-playbook', async () => {
    const args = ['-i', 'hosts.ini', 'verbose.yml', '-v'];
    const [ours, theirs] = await Promise.all([tsrun(args, opts), ansiblePlaybook(args, plain)]);
    const line = /^changed: \[h1\] => (\{.*\})$/m;
    for (const out of [ours, theirs]) {
      const m = line.exec(out.stdout);
      expect(m, out.stdout).not.toBeNull();
      const result = JSON.parse(m![1]) as Record<string, unknown>;
      expect(result).toMatchObject({ changed: true, cmd: ['echo', 'hi'], rc: 0, stdout: 'hi', stdout_lines: ['hi'] });
    }
    // Without -v the changed line carries no result.
    const quiet = await tsrun(['-i', 'hosts.ini', 'verbose.yml'], opts);
    expect(quiet.stdout).toMatch(/^changed: \[h1\]$/m);
  });

  it('--json prints one document with the same stats as ansible-playbook', async () => {
    const args = ['-i', 'hosts.ini', 'ok.yml'];
    const [ours, theirs] = await Promise.all([tsrun([...args, '--json'], opts), ansiblePlaybook(args, { cwd: FIXTURES })]);
    expect(ours.stdout.trim().startsWith('{')).toBe(true);
    const doc = JSON.parse(ours.stdout) as ReturnType<typeof parseJsonDoc>;
    expect(doc.stats).toEqual(parseJsonDoc(theirs.stdout, 'ansible-playbook').stats);
    expect(doc.plays.map((p) => p.play.name)).toEqual(['first play', 'second play']);
  });
});

describe('options without an oracle', () => {
  it('-vvvv adds the task path (file:line) to every task', async () => {
    const out = await tsrun(['-i', INV, join(FIXTURES, 'verbose.yml'), '-vvvv'], opts);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^task path: \S*verbose\.yml:5\b/m);
  });

  it('-f 1 runs one host at a time; the default runs hosts in parallel', async () => {
    const overlap = async (extra: string[]) => {
      const d = tmp('forks');
      const out = await tsrun(['-i', INV, join(FIXTURES, 'forks.yml'), '-e', `out_dir=${d}`, ...extra], opts);
      expect(out.code, out.stdout + out.stderr).toBe(0);
      const spans = ['h1', 'h2', 'h3'].map((h) => ['start', 'end'].map((k) => BigInt(readFileSync(join(d, `${h}.${k}`), 'utf8').trim())));
      spans.sort((x, y) => (x[0] < y[0] ? -1 : 1));
      return spans.some((s, i) => i > 0 && s[0] < spans[i - 1][1]);
    };
    expect(await overlap(['-f', '1'])).toBe(false);
    expect(await overlap([])).toBe(true);
  });

  // Usage errors exit 2, as ansible-playbook's argument parser does.
  it('-f rejects a value that is not a positive number (exit 2)', async () => {
    const out = await tsrun(['-i', INV, OK, '-f', 'many'], opts);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/-f, --forks.*'many' is invalid/);
    expectNoStackTrace(out);
  });

  it('-u is the user tsrun logs in as', async () => {
    const inv = join(FIXTURES, 'mixed.ini');
    const out = await tsrun(['-i', inv, join(FIXTURES, 'fail.yml'), '-l', 'dead', '-u', 'someone'], opts);
    expect(out.code).toBe(4);
    expect(out.stdout).toMatch(/UNREACHABLE!.*someone@127\.0\.0\.1:1/);
  });

  it('--private-key is accepted for SSH hosts (a missing key file does not crash the run)', async () => {
    const inv = join(FIXTURES, 'mixed.ini');
    const out = await tsrun(['-i', inv, join(FIXTURES, 'fail.yml'), '-l', 'dead', '--private-key', '/nonexistent/key'], opts);
    expectNoStackTrace(out);
    expect(out.code).toBe(4);
    expect(out.stdout).toMatch(/^fatal: \[dead\]: UNREACHABLE!/m);
  });

  it('--version prints the version and runs nothing', async () => {
    const out = await tsrun(['--version'], opts);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^tsrun \d+\.\d+\.\d+\n$/);
  });

  it('a bare playbook name resolves to playbooks/NAME.yml, with inventory.ini as the default inventory', async () => {
    const cwd = join(FIXTURES, 'project');
    const out = await tsrun(['site'], { cwd, timeoutMs: TIME_LIMIT_MS });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('PLAY [site by bare name]');
    expect(out.stdout).toContain('"msg": "bare name resolved"');
    const listed = await tsrun(['site', '--syntax-check'], { cwd, timeoutMs: TIME_LIMIT_MS });
    expect(listed.stdout).toBe('\nplaybook: playbooks/site.yml\n');
  });

  it('an unknown playbook name is an error that names it (exit 1, as ansible-playbook)', async () => {
    const out = await tsrun(['-i', INV, 'nosuchbook'], opts);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe('ERROR! the playbook: nosuchbook could not be found\n');
  });

  it('an unknown option is refused with usage (exit 2)', async () => {
    const out = await tsrun(['-i', INV, OK, '--frobnicate'], opts);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("unknown option '--frobnicate'");
    expectNoStackTrace(out);
  });
});
