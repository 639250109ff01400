import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun, type RunOutput } from '../support/runners.js';
import { parseJson, summary } from './json-summary.js';

/**
 * Issue 11 (the set_fact target): `set_fact: cacheable: true` and Ansible's fact cache. Both
 * tools run the same sequence of playbooks, each with its own cache directory, and must agree
 * on every task, the recap, the exit code, the cache files' names and their JSON.
 */
const DIR = join(REPO, 'test/fixtures/fact-cache');
const INV = join(DIR, 'hosts.ini');

type Tool = 'ansible' | 'tsrun';
const runTool = (tool: Tool, args: string[], env: NodeJS.ProcessEnv, cwd = DIR): Promise<RunOutput> =>
  tool === 'tsrun' ? tsrun([...args, '--json'], { cwd, env }) : ansiblePlaybook(args, { cwd, env });

function outcome(r: RunOutput, who: string) {
  const s = summary(parseJson(r.stdout, `${who} (stderr: ${r.stderr})`));
  return { ...s, code: r.code };
}

/** The cache directory as both tools leave it: file names and parsed contents. */
function cacheState(dir: string): Record<string, unknown> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]));
}

describe.runIf(ansibleAvailable())('fact cache as ansible-playbook', () => {
  it('jsonfile from ANSIBLE_CACHE_PLUGIN*: cacheable facts outlive the run, clear_facts and --flush-cache remove them', async () => {
    const steps: { playbook: string; extra: string[] }[] = [
      { playbook: 'first.yml', extra: [] },
      { playbook: 'second.yml', extra: [] },
      { playbook: 'second.yml', extra: ['--flush-cache'] },
      { playbook: 'second.yml', extra: [] },
    ];
    const dirs = { ansible: mkdtempSync(join(tmpdir(), 'tsrun-fc-ansible-')), tsrun: mkdtempSync(join(tmpdir(), 'tsrun-fc-tsrun-')) };
    const envOf = (t: Tool) => ({ ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: join(dirs[t], 'cache'), ANSIBLE_CACHE_PLUGIN_PREFIX: 'pfx_' });
    for (const step of steps) {
      const args = ['-i', INV, join(DIR, step.playbook), ...step.extra];
      const [theirs, ours] = await Promise.all([runTool('ansible', args, envOf('ansible')), runTool('tsrun', args, envOf('tsrun'))]);
      expect(outcome(ours, 'tsrun'), `${step.playbook} ${step.extra.join(' ')}`).toEqual(outcome(theirs, 'ansible-playbook'));
      expect(cacheState(join(dirs.tsrun, 'cache'))).toEqual(cacheState(join(dirs.ansible, 'cache')));
    }
  }, 300_000);

  it('fact_caching = jsonfile in ansible.cfg, its connection relative to the file, no prefix by default', async () => {
    const project = (t: Tool) => {
      const dir = mkdtempSync(join(tmpdir(), `tsrun-fc-cfg-${t}-`));
      writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nfact_caching = jsonfile\nfact_caching_connection = facts-here\nfact_caching_timeout = 0\n');
      return dir;
    };
    const dirs = { ansible: project('ansible'), tsrun: project('tsrun') };
    for (const playbook of ['first.yml', 'second.yml']) {
      const args = ['-i', INV, join(DIR, playbook)];
      const [theirs, ours] = await Promise.all([runTool('ansible', args, {}, dirs.ansible), runTool('tsrun', args, {}, dirs.tsrun)]);
      expect(outcome(ours, 'tsrun')).toEqual(outcome(theirs, 'ansible-playbook'));
    }
    expect(Object.keys(cacheState(join(dirs.tsrun, 'facts-here')))).toEqual(['keep']);
    expect(cacheState(join(dirs.tsrun, 'facts-here'))).toEqual(cacheState(join(dirs.ansible, 'facts-here')));
  }, 300_000);

  it('the default memory cache: cacheable facts reach later plays of the run, not the next run', async () => {
    const [theirs, ours] = await Promise.all(
      (['ansible', 'tsrun'] as const).map(async (t) => {
        const first = await runTool(t, ['-i', INV, join(DIR, 'first.yml')], {});
        const second = await runTool(t, ['-i', INV, join(DIR, 'second.yml')], {});
        return [outcome(first, t), outcome(second, t)];
      }),
    );
    expect(ours).toEqual(theirs);
  }, 300_000);
});
