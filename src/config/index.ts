/**
 * ansible.cfg and ANSIBLE_* settings. The CLI loads them once per run and makes them the active
 * configuration (like Ansible's C.* constants); modules read the few they need from it.
 */
import { AnsibleConfig, loadConfig } from './load.js';

export { AnsibleConfig, loadConfig } from './load.js';
export { configNotes, dumpConfig, dumpSshConfig } from './dump.js';

let active: AnsibleConfig | undefined;

export function setActiveConfig(c: AnsibleConfig): void {
  active = c;
}

/** The run's configuration; read from the environment and ansible.cfg on first use otherwise. */
export function activeConfig(): AnsibleConfig {
  active ??= loadConfig();
  return active;
}
