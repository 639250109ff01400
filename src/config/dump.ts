import { pyStr } from '../util/python-repr.js';
import type { AnsibleConfig } from './load.js';
import { SETTINGS, SSH_SETTINGS } from './settings.js';

const line = (name: string, origin: string, value: unknown) => `${name}(${origin}) = ${pyStr(value ?? null)}`;

/** `ansible-config dump [--only-changed]` for the settings tsrun reads, in its format. */
export function dumpConfig(config: AnsibleConfig, onlyChanged: boolean): string {
  const rows = SETTINGS.filter((d) => !onlyChanged || config.isSet(d.name)).map((d) => {
    const s = config.setting(d.name);
    return [d.name, line(d.name, s.origin, s.value)] as const;
  });
  rows.push(['CONFIG_FILE', `CONFIG_FILE() = ${config.file ?? 'None'}`]);
  return `${rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => l).join('\n')}\n`;
}

/** `ansible-config dump -t connection`: the ssh plugin's section (its own and shared settings). */
export function dumpSshConfig(config: AnsibleConfig, onlyChanged: boolean): string {
  const shared: [string, string][] = [['host_key_checking', 'HOST_KEY_CHECKING'], ['remote_user', 'DEFAULT_REMOTE_USER'], ['timeout', 'DEFAULT_TIMEOUT'], ['private_key_file', 'DEFAULT_PRIVATE_KEY_FILE'], ['port', 'DEFAULT_REMOTE_PORT']];
  const rows = [...SSH_SETTINGS.map((d) => [d.name, d.name] as [string, string]), ...shared]
    .filter(([, key]) => !onlyChanged || config.isSet(key))
    .map(([name, key]) => [name, line(name, config.setting(key).origin, config.get(key))] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `\nssh:\n___\n${rows.map(([, l]) => `${l}\n`).join('')}`;
}

/** What tsrun does differently with the settings that are set, for the operator (stderr). */
export function configNotes(config: AnsibleConfig): string[] {
  const applies = (name: string) => config.isSet(name) && !(name === 'DEFAULT_STDOUT_CALLBACK' && ['default', 'json'].includes(config.get<string>(name)));
  return [...SETTINGS, ...SSH_SETTINGS].filter((d) => d.note && applies(d.name)).map((d) => {
    const [section, key] = d.ini[d.ini.length - 1];
    return `[${section}] ${key}: ${d.note}`;
  });
}
