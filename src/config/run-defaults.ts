import type { VaultOptions } from '../vault/sources.js';
import type { AnsibleConfig } from './load.js';

/** What a playbook run takes from ansible.cfg / ANSIBLE_* when the command line does not say. */
export interface ConfigRunDefaults {
  inventory?: string[];
  forks?: number;
  remoteUser?: string;
  hostKeyChecking: boolean;
  timeoutSec: number;
  remotePort?: number;
  sshArgs?: string;
  become: boolean;
  becomeUser?: string;
  askPass: boolean;
  askBecomePass: boolean;
  privateKey?: string;
  rolesPath?: string[];
  vault: VaultOptions;
  json: boolean;
  noColor: boolean;
  /** force_color: colour even when stdout is not a terminal (wins over nocolor, as in Ansible). */
  forceColor: boolean;
  /** callbacks_enabled (profile_tasks is built in). */
  callbacks: string[];
  logPath?: string;
  retryFiles?: { savePath?: string };
}

const orUndef = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

export function runDefaults(c: AnsibleConfig): ConfigRunDefaults {
  const set = (name: string) => c.isSet(name);
  return {
    inventory: set('DEFAULT_HOST_LIST') ? c.get<string[]>('DEFAULT_HOST_LIST') : undefined,
    // tsrun's own default forks (50) stays unless the operator configured one
    forks: set('DEFAULT_FORKS') ? c.get<number>('DEFAULT_FORKS') : undefined,
    remoteUser: orUndef(c.get<string | null>('DEFAULT_REMOTE_USER')),
    hostKeyChecking: c.get<boolean>('HOST_KEY_CHECKING'),
    timeoutSec: c.get<number>('DEFAULT_TIMEOUT'),
    remotePort: orUndef(c.get<number | null>('DEFAULT_REMOTE_PORT')),
    sshArgs: set('ssh_args') ? c.get<string>('ssh_args') : undefined,
    become: c.get<boolean>('DEFAULT_BECOME'),
    becomeUser: set('DEFAULT_BECOME_USER') ? c.get<string>('DEFAULT_BECOME_USER') : undefined,
    askPass: c.get<boolean>('DEFAULT_ASK_PASS'),
    askBecomePass: c.get<boolean>('DEFAULT_BECOME_ASK_PASS'),
    privateKey: orUndef(c.get<string | null>('DEFAULT_PRIVATE_KEY_FILE')),
    rolesPath: set('DEFAULT_ROLES_PATH') ? c.get<string[]>('DEFAULT_ROLES_PATH') : undefined,
    vault: {
      passwordFiles: c.get<string | null>('DEFAULT_VAULT_PASSWORD_FILE') ? [c.get<string>('DEFAULT_VAULT_PASSWORD_FILE')] : [],
      vaultIds: c.get<string[]>('DEFAULT_VAULT_IDENTITY_LIST').filter(Boolean),
      askVaultPass: c.get<boolean>('DEFAULT_ASK_VAULT_PASS'),
    },
    json: c.get<string>('DEFAULT_STDOUT_CALLBACK') === 'json',
    noColor: c.get<boolean>('ANSIBLE_NOCOLOR'),
    forceColor: c.get<boolean>('ANSIBLE_FORCE_COLOR'),
    callbacks: c.get<string[]>('CALLBACKS_ENABLED'),
    logPath: orUndef(c.get<string | null>('DEFAULT_LOG_PATH')),
    retryFiles: c.get<boolean>('RETRY_FILES_ENABLED') ? { savePath: orUndef(c.get<string | null>('RETRY_FILES_SAVE_PATH')) } : undefined,
  };
}
