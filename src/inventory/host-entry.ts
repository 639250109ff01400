import { parseAddress } from './address.js';
import { expandHostRange, hasRange } from './host-ranges.js';

/**
 * Ansible's `_expand_hostpattern`: one inventory host entry (maybe with a port and ranges)
 * to the host names it stands for. Throws plain Errors; callers add file:line.
 */
export function expandHostEntry(entry: string, strictIni: boolean): { hosts: string[]; port?: number } {
  const parsed = parseAddress(entry);
  const pattern = parsed ? parsed.host : entry;
  const port = parsed?.port;
  if (strictIni && entry.trim().endsWith(':') && port === undefined) {
    throw new Error(`invalid host '${entry}': a trailing ':' must be followed by a port number`);
  }
  const hosts = hasRange(pattern) ? expandHostRange(pattern) : [pattern];
  if (strictIni && hosts.some((h) => h.trim() === '---')) {
    throw new Error(`invalid host '${entry}': '---' is normally a sign this is a YAML file`);
  }
  return { hosts, port };
}
