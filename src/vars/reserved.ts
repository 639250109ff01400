/**
 * Ansible's reserved variable names (ansible.vars.reserved): the public and private attributes of
 * Play, Role, Block and Task, plus `local_action` and `with_`, and the names of the template
 * environment's globals. A play whose variables use one gets Ansible's warning.
 */
const KEYWORDS = [
  'action', 'always', 'any_errors_fatal', 'args', 'async', 'async_val', 'become', 'become_exe', 'become_flags', 'become_method',
  'become_user', 'block', 'changed_when', 'check_mode', 'collections', 'connection', 'debugger', 'delay', 'delegate_facts',
  'delegate_to', 'diff', 'environment', 'fact_path', 'failed_when', 'force_handlers', 'gather_facts', 'gather_subset',
  'gather_timeout', 'handlers', 'hosts', 'ignore_errors', 'ignore_unreachable', 'local_action', 'loop', 'loop_control', 'loop_with',
  'max_fail_percentage', 'module_defaults', 'name', 'no_log', 'notify', 'order', 'poll', 'port', 'post_tasks', 'pre_tasks',
  'register', 'remote_user', 'rescue', 'retries', 'roles', 'run_once', 'serial', 'strategy', 'tags', 'tasks', 'throttle',
  'timeout', 'until', 'vars', 'vars_files', 'vars_prompt', 'when', 'with_',
];
const TEMPLATE_GLOBALS = ['cycler', 'dict', 'joiner', 'lipsum', 'lookup', 'namespace', 'now', 'q', 'query', 'range', 'undef'];

const RESERVED = new Set([...KEYWORDS, ...TEMPLATE_GLOBALS]);

/** The reserved names among `names`, sorted; `vars` is Ansible's own and never reported. */
export function reservedNames(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => n !== 'vars' && RESERVED.has(n)).sort();
}
