/**
 * Ansible's `parse_address(..., allow_ranges=True)` as used for inventory host entries:
 * splits an optional `:port` off a host name, IPv4 or bracketed IPv6 address.
 * Returns null when Ansible would not recognise the text as an address at all.
 */
const RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const NUM_RANGE = String.raw`\[[0-9]+:[0-9]+(?::[0-9]+)?\]`;
const IPV4_PART = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUM_RANGE})`;
const IPV4 = new RegExp(String.raw`^(?:${IPV4_PART}\.){3}${IPV4_PART}$`, 'i');
const LABEL = String.raw`(?:[\w]|${RANGE})(?:[\w-]|${RANGE})*(?<![_-])`;
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');
const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;

function isIpv6(text: string): boolean {
  // Loose but sufficient: hex groups (or ranges) separated by colons, optional IPv4 tail.
  if (!text.includes(':')) return false;
  const withoutRanges = text.replace(/\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\]/gi, '0');
  if (!/^[0-9a-f:.]+$/i.test(withoutRanges)) return false;
  const doubles = withoutRanges.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = withoutRanges.split(':');
  return groups.length >= 3 && groups.length <= 9;
}

export function parseAddress(address: string): { host: string; port?: number } | null {
  let host = address;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(host);
    if (m) {
      host = m[1];
      port = Number(m[2]);
    }
  }
  if (IPV4.test(host) || isIpv6(host) || HOSTNAME.test(host)) return { host, port };
  return null;
}
