/**
 * `ansible_playbook_python`: in Ansible the Python running ansible-playbook. tsrun runs no Python,
 * so it names the controller's `python3` as `/usr/bin/env python3` would find it on PATH (what an
 * inventory's `ansible_python_interpreter="{{ ansible_playbook_python }}"` asks for: a Python on
 * the controller). Undefined where the controller has none. Looked up once per run, without a process.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

let found: string | null | undefined;

export function controllerPython(): string | undefined {
  if (found === undefined) {
    found = null;
    for (const dir of (process.env.PATH ?? '').split(':')) {
      if (!dir.startsWith('/')) continue;
      const path = join(dir, 'python3');
      try {
        accessSync(path, constants.X_OK);
        if (!statSync(path).isFile()) continue;
        found = path;
        break;
      } catch {
        // not here: the next PATH entry
      }
    }
  }
  return found ?? undefined;
}
