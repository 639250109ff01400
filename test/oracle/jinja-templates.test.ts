import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansibleEnv, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';

/**
 * The .j2 corpus (every Jinja statement, whitespace control, Ansible's header vars, realistic
 * nginx/systemd/consul/INI configs) rendered by ansible-playbook's template module and by tsrun,
 * compared byte for byte.
 */
const DIR = join(REPO, 'test/fixtures/jinja');
const CORPUS = readdirSync(join(DIR, 'templates')).filter((f) => f.endsWith('.j2')).sort();

describe.runIf(ansibleAvailable())('.j2 templates render like ansible-playbook', () => {
  const out = mkdtempSync(join(tmpdir(), 'tsrun-jinja-oracle-'));
  const extra = (who: string) => JSON.stringify({ out: join(out, who), corpus: CORPUS });

  beforeAll(async () => {
    const [a, t] = await Promise.all([
      ansiblePlaybook(['-i', 'localhost,', 'play.yml', '-e', extra('ansible')], { cwd: DIR, json: false }),
      tsrun(['-i', 'localhost,', 'play.yml', '-e', extra('tsrun')], { cwd: DIR, env: ansibleEnv() }),
    ]);
    if (a.code !== 0) throw new Error(`ansible-playbook failed:\n${a.stdout}${a.stderr}`);
    if (t.code !== 0) throw new Error(`tsrun failed:\n${t.stdout}${t.stderr}`);
  }, 120_000);

  it.each(CORPUS)('%s', (name) => {
    const expected = readFileSync(join(out, 'ansible', name), 'utf8');
    const actual = readFileSync(join(out, 'tsrun', name), 'utf8');
    expect(actual).toBe(expected);
  });
});
