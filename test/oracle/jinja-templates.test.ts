import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansibleEnv, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';

/**
 * The .j2 corpus (every Jinja statement, whitespace control, Ansible's header vars, realistic
 * nginx/systemd/consul/INI configs) rendered by ansible-playbook's template module and by tsrun,
 * compared byte for byte.
 */
const DIR = join(REPO, 'test/fixtures/jinja');
const CORPUS = readdirSync(join(DIR, 'templates')).filter((f) => f.endsWith('.j2')).sort();
/** Rendered again with lstrip_blocks, trim_blocks off and CRLF newlines (play.yml). */
const OPTIONS = ['whitespace.j2', 'for.j2', 'raw.j2', 'nginx.conf.j2'];

describe.runIf(ansibleAvailable())('.j2 templates render like ansible-playbook', () => {
  const out = mkdtempSync(join(tmpdir(), 'tsrun-jinja-oracle-'));
  let tsrunOutput = '';
  const extra = (who: string) => JSON.stringify({ out: join(out, who), corpus: CORPUS });

  beforeAll(async () => {
    for (const who of ['ansible', 'tsrun']) mkdirSync(join(out, who));
    const [a, t] = await Promise.all([
      ansiblePlaybook(['-i', 'hosts.ini', 'play.yml', '-e', extra('ansible')], { cwd: DIR, json: false }),
      tsrun(['-i', 'hosts.ini', 'play.yml', '-e', extra('tsrun')], { cwd: DIR, env: ansibleEnv() }),
    ]);
    if (a.code !== 0) throw new Error(`ansible-playbook failed:\n${a.stdout}${a.stderr}`);
    tsrunOutput = t.stdout + t.stderr;
  }, 400_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the same set of files', () => {
    expect(readdirSync(join(out, 'tsrun')).sort(), tsrunOutput).toEqual(readdirSync(join(out, 'ansible')).sort());
  });

  it.each([...CORPUS, ...OPTIONS.map((n) => `opts-${n}`), 'delimiters.tmpl', 'plain.cfg'])('%s', (name) => {
    const expected = readFileSync(join(out, 'ansible', name), 'utf8');
    const target = join(out, 'tsrun', name);
    if (!existsSync(target)) expect.fail(`tsrun did not write ${name}:\n${tsrunOutput}`);
    const actual = readFileSync(target, 'utf8');
    expect(actual).toBe(expected);
  });
});
