/**
 * The ansible.cfg settings tsrun reads, with Ansible's names (as `ansible-config dump` shows
 * them), ini keys, environment variables, types and defaults (ansible-core 2.14 base.yml).
 */
export type SettingType = 'boolean' | 'integer' | 'list' | 'path' | 'pathlist' | 'pathspec' | 'string';

export interface SettingDef {
  name: string;
  type: SettingType;
  ini: [section: string, key: string][];
  env: string[];
  default: unknown;
  /** What tsrun does with it when that is not what Ansible does. */
  note?: string;
}

const home = () => process.env.HOME ?? '/root';

const d = (name: string, type: SettingType, ini: [string, string][], env: string[], dflt: unknown, note?: string): SettingDef => ({ name, type, ini, env, default: dflt, ...(note ? { note } : {}) });
const def = (key: string) => ['defaults', key] as [string, string];
const priv = (key: string) => ['privilege_escalation', key] as [string, string];
const ssh = (key: string) => ['ssh_connection', key] as [string, string];

export const SETTINGS: SettingDef[] = [
  d('DEFAULT_HOST_LIST', 'pathlist', [def('inventory')], ['ANSIBLE_INVENTORY'], ['/etc/ansible/hosts']),
  d('DEFAULT_FORKS', 'integer', [def('forks')], ['ANSIBLE_FORKS'], 5),
  d('DEFAULT_REMOTE_USER', 'string', [def('remote_user')], ['ANSIBLE_REMOTE_USER'], null),
  d('DEFAULT_REMOTE_PORT', 'integer', [def('remote_port')], ['ANSIBLE_REMOTE_PORT'], null),
  d('HOST_KEY_CHECKING', 'boolean', [def('host_key_checking')], ['ANSIBLE_HOST_KEY_CHECKING'], true),
  d('DEFAULT_TIMEOUT', 'integer', [def('timeout')], ['ANSIBLE_TIMEOUT'], 10),
  d('DEFAULT_ROLES_PATH', 'pathspec', [def('roles_path')], ['ANSIBLE_ROLES_PATH'], [`${home()}/.ansible/roles`, '/usr/share/ansible/roles', '/etc/ansible/roles']),
  d('DEFAULT_LOG_PATH', 'path', [def('log_path')], ['ANSIBLE_LOG_PATH'], null),
  d('DEFAULT_PRIVATE_KEY_FILE', 'path', [def('private_key_file')], ['ANSIBLE_PRIVATE_KEY_FILE'], null),
  d('DEFAULT_ASK_PASS', 'boolean', [def('ask_pass')], ['ANSIBLE_ASK_PASS'], false),
  d('DEFAULT_VAULT_PASSWORD_FILE', 'path', [def('vault_password_file')], ['ANSIBLE_VAULT_PASSWORD_FILE'], null),
  d('DEFAULT_VAULT_IDENTITY_LIST', 'list', [def('vault_identity_list')], ['ANSIBLE_VAULT_IDENTITY_LIST'], []),
  d('DEFAULT_ASK_VAULT_PASS', 'boolean', [def('ask_vault_pass')], ['ANSIBLE_ASK_VAULT_PASS'], false),
  d('DEFAULT_VAULT_ENCRYPT_IDENTITY', 'string', [def('vault_encrypt_identity')], ['ANSIBLE_VAULT_ENCRYPT_IDENTITY'], null),
  d('DEFAULT_STDOUT_CALLBACK', 'string', [def('stdout_callback')], ['ANSIBLE_STDOUT_CALLBACK'], 'default', 'only default and json are built in; the default output is used'),
  d('CALLBACKS_ENABLED', 'list', [def('callback_whitelist'), def('callbacks_enabled')], ['ANSIBLE_CALLBACK_WHITELIST', 'ANSIBLE_CALLBACKS_ENABLED'], [], 'profile_tasks (as --profile-tasks) and timer are built in; other callback plugins are ignored'),
  d('RETRY_FILES_ENABLED', 'boolean', [def('retry_files_enabled')], ['ANSIBLE_RETRY_FILES_ENABLED'], false),
  d('RETRY_FILES_SAVE_PATH', 'path', [def('retry_files_save_path')], ['ANSIBLE_RETRY_FILES_SAVE_PATH'], null),
  d('DEFAULT_MANAGED_STR', 'string', [def('ansible_managed')], [], 'Ansible managed'),
  d('DEFAULT_HASH_BEHAVIOUR', 'string', [def('hash_behaviour')], ['ANSIBLE_HASH_BEHAVIOUR'], 'replace'),
  d('INTERPRETER_PYTHON', 'string', [def('interpreter_python')], ['ANSIBLE_PYTHON_INTERPRETER'], 'auto'),
  d('DEFAULT_STRATEGY', 'string', [def('strategy')], ['ANSIBLE_STRATEGY'], 'linear'),
  d('DEFAULT_JINJA2_NATIVE', 'boolean', [def('jinja2_native')], ['ANSIBLE_JINJA2_NATIVE'], false, "only set_fact follows it (no yes/no text to bool); templates render as without it"),
  d('CACHE_PLUGIN', 'string', [def('fact_caching')], ['ANSIBLE_CACHE_PLUGIN'], 'memory'),
  d('CACHE_PLUGIN_CONNECTION', 'string', [def('fact_caching_connection')], ['ANSIBLE_CACHE_PLUGIN_CONNECTION'], null),
  d('CACHE_PLUGIN_PREFIX', 'string', [def('fact_caching_prefix')], ['ANSIBLE_CACHE_PLUGIN_PREFIX'], 'ansible_facts'),
  d('CACHE_PLUGIN_TIMEOUT', 'integer', [def('fact_caching_timeout')], ['ANSIBLE_CACHE_PLUGIN_TIMEOUT'], 86400),
  d('ANSIBLE_NOCOLOR', 'boolean', [def('nocolor')], ['ANSIBLE_NOCOLOR', 'NO_COLOR'], false),
  d('ANSIBLE_FORCE_COLOR', 'boolean', [def('force_color')], ['ANSIBLE_FORCE_COLOR'], false),
  d('DEFAULT_BECOME', 'boolean', [priv('become')], ['ANSIBLE_BECOME'], false),
  d('DEFAULT_BECOME_METHOD', 'string', [priv('become_method')], ['ANSIBLE_BECOME_METHOD'], 'sudo', 'only sudo is supported'),
  d('DEFAULT_BECOME_USER', 'string', [priv('become_user')], ['ANSIBLE_BECOME_USER'], 'root'),
  d('DEFAULT_BECOME_ASK_PASS', 'boolean', [priv('become_ask_pass')], ['ANSIBLE_BECOME_ASK_PASS'], false),
];

/**
 * The ssh connection plugin's settings ([ssh_connection]); `ansible-config dump` shows them only
 * with `-t connection`, so tsrun lists them apart, each with what tsrun does with it.
 */
export const SSH_SETTINGS: SettingDef[] = [
  d('ssh_args', 'string', [ssh('ssh_args')], ['ANSIBLE_SSH_ARGS'], '-C -o ControlMaster=auto -o ControlPersist=60s', 'options tsrun understands (Port, User, IdentityFile, ConnectTimeout, ProxyJump, StrictHostKeyChecking, UserKnownHostsFile) are used; tsrun does not run ssh(1)'),
  d('pipelining', 'boolean', [ssh('pipelining')], ['ANSIBLE_PIPELINING', 'ANSIBLE_SSH_PIPELINING'], false, 'a no-op: tsrun always sends modules through one long-lived shell per host, with no files on the target'),
  d('control_path', 'string', [ssh('control_path')], ['ANSIBLE_SSH_CONTROL_PATH'], null, 'ignored: tsrun keeps one SSH connection per host for the whole run, so there is no ControlMaster socket'),
  d('control_path_dir', 'string', [ssh('control_path_dir')], ['ANSIBLE_SSH_CONTROL_PATH_DIR'], '~/.ansible/cp', 'ignored, as control_path'),
];
