import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether ansible-playbook is here; without it oracle tests fail in CI and are skipped elsewhere. */
export function ansibleAvailable(): boolean {
  const r = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
  const ok = r.status === 0;
  if (!ok && process.env.CI === 'true') throw new Error('ansible-playbook is required for oracle tests in CI');
  if (!ok) console.log('skipping Ansible oracle tests: ansible-playbook not installed');
  return ok;
}

/**
 * Runs the tasks in ONE local play (connection local, no facts) and returns each task's
 * result for localhost, in order.
 */
export function runAnsibleTasks(tasks: Record<string, unknown>[], opts: { gatherFacts?: boolean } = {}): Record<string, unknown>[] {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-oracle-'));
  const play = [{ hosts: 'localhost', connection: 'local', gather_facts: opts.gatherFacts ?? false, tasks }];
  writeFileSync(join(dir, 'play.yml'), JSON.stringify(play));
  const run = spawnSync('ansible-playbook', ['-i', 'localhost,', join(dir, 'play.yml')], {
    env: {
      ...process.env,
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
      ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
    },
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = run.stdout;
  if (!out.includes('{')) throw new Error(`ansible-playbook produced no JSON: ${run.stderr}`);
  const json = JSON.parse(out.slice(out.indexOf('{')));
  return json.plays[0].tasks.map((t: { hosts: Record<string, Record<string, unknown>> }) => t.hosts.localhost);
}
