import { controllerPython } from '../util/controller-python.js';

/** The names Ansible's C.LOCALHOST lists: an implicit localhost is made for them when the inventory lacks them. */
export const IMPLICIT_LOCALHOST: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/**
 * Ansible's implicit localhost's own variables: Ansible gives it the Python running Ansible as
 * `ansible_python_interpreter`; tsrun the controller's python3 (see controllerPython).
 */
export function implicitLocalhostVars(): Record<string, unknown> {
  const python = controllerPython();
  return python === undefined ? { ansible_connection: 'local' } : { ansible_python_interpreter: python, ansible_connection: 'local' };
}
