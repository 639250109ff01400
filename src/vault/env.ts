import type { VaultOptions } from './sources.js';

/**
 * Vault password sources that come from settings rather than the command line:
 * ANSIBLE_VAULT_PASSWORD_FILE / vault_password_file, ANSIBLE_VAULT_IDENTITY_LIST /
 * vault_identity_list, ANSIBLE_ASK_VAULT_PASS / ask_vault_pass. Ansible uses them only when the
 * command line names no vault secret.
 */
export function vaultOptionsFromEnv(env: NodeJS.ProcessEnv): VaultOptions {
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    passwordFiles: list(env.ANSIBLE_VAULT_PASSWORD_FILE),
    vaultIds: list(env.ANSIBLE_VAULT_IDENTITY_LIST),
    askVaultPass: /^(1|true|yes|on|y|t)$/i.test(env.ANSIBLE_ASK_VAULT_PASS ?? ''),
  };
}
