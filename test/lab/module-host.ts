/**
 * Module tests that change the system (users, groups, packages) run them on a lab host, never
 * on this machine: over real SSH as the lab's login user, become root with the sudo password,
 * the way a play runs them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionSpecFromVars, SshConnection } from '../../src/connection/index.js';
import type { ModuleContext } from '../../src/modules/types.js';
import { localContext } from '../support/local-exec.js';
import { ansiblePlaybook } from '../support/runners.js';
import type { Lab } from './lab.js';

export interface ModuleHost {
  /** A ModuleContext on the host (become root); `overrides` replace any field. */
  ctxFor(args: Record<string, unknown>, overrides?: Partial<ModuleContext>): ModuleContext;
  /** Runs `sh -c cmd` as root on the host and returns its stdout, trimmed ('' on failure). */
  sh(cmd: string): Promise<string>;
  close(): Promise<void>;
}

export function moduleHost(lab: Lab, host: string): ModuleHost {
  const h = lab.hosts.find((x) => x.name === host)!;
  const home = mkdtempSync(join(tmpdir(), 'tsrun-modhost-'));
  const vars = { ansible_host: h.ip, ansible_user: lab.user, ansible_ssh_private_key_file: lab.keyFile, ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile}` };
  const conn = new SshConnection(connectionSpecFromVars(h.name, vars, { env: { HOME: home } }), { env: { HOME: home } });
  const become = { user: 'root', password: lab.becomePassword };
  return {
    ctxFor(args, overrides = {}) {
      const env = overrides.env ?? {};
      return localContext(args, { host: h.name, conn, become, exec: (script, opts) => conn.exec(String(script), { ...opts, env, become }), ...overrides });
    },
    async sh(cmd) {
      const r = await lab.runAsRoot(h.name, cmd);
      return r.rc === 0 ? r.stdout.trim() : '';
    },
    close: () => conn.close(),
  };
}

/** Runs `tasks` with ansible-playbook as ONE play on lab host `host` (become root); each task's result in order. */
export async function ansibleTasksOn(lab: Lab, host: string, tasks: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-oracle-lab-'));
  writeFileSync(join(dir, 'hosts.ini'), lab.inventory());
  writeFileSync(join(dir, 'play.yml'), JSON.stringify([{ hosts: host, become: true, gather_facts: false, tasks }]));
  const out = await ansiblePlaybook(['-i', join(dir, 'hosts.ini'), join(dir, 'play.yml')], { cwd: dir });
  if (!out.stdout.includes('{')) throw new Error(`ansible-playbook produced no JSON (exit ${out.code}): ${out.stderr}`);
  const json = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] };
  return json.plays[0].tasks.map((t) => t.hosts[host]);
}
