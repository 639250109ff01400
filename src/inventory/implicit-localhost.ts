import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The names Ansible's C.LOCALHOST lists: an implicit localhost is made for them when the inventory lacks them. */
export const IMPLICIT_LOCALHOST: readonly string[] = ['localhost', '127.0.0.1', '::1'];

let found: string | null | undefined;

/**
 * The control machine's Python: Ansible, being Python, gives its own interpreter (sys.executable)
 * to the implicit localhost as `ansible_python_interpreter` and to plays as
 * `ansible_playbook_python`. tsrun runs no Python; playbooks that template these names (a
 * `python -c` shell task on localhost, an inventory line `ansible_python_interpreter="{{
 * ansible_playbook_python }}"`) get the python3 (or python) on PATH, and an undefined variable
 * where there is none. Looked up once per run.
 */
export function controllerPython(): string | undefined {
  if (found === undefined) found = searchPath(['python3', 'python'], process.env.PATH ?? '') ?? null;
  return found ?? undefined;
}

function searchPath(names: string[], path: string): string | undefined {
  for (const name of names) {
    for (const dir of path.split(delimiter)) {
      if (!dir) continue;
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        if (statSync(p).isFile()) return p;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Ansible's implicit localhost's own variables. */
export function implicitLocalhostVars(): Record<string, unknown> {
  const python = controllerPython();
  return python === undefined ? { ansible_connection: 'local' } : { ansible_python_interpreter: python, ansible_connection: 'local' };
}
