function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}
/** /proc/net/route stores addresses as little-endian hex. */
function hexLeToIp(hex: string): string {
  const n = parseInt(hex, 16);
  return [0, 8, 16, 24].map((s) => (n >>> s) & 255).join('.');
}

interface Addr {
  iface: string;
  alias: string;
  address: string;
  prefix: number;
  broadcast?: string;
}

/** `ip -o -4 addr show` lines. */
export function parseIpAddr(text: string): Addr[] {
  const out: Addr[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)(?:\s+brd\s+([\d.]+))?.*?\s(\S+)\\/.exec(line);
    if (m) out.push({ iface: m[1], address: m[2], prefix: Number(m[3]), broadcast: m[4], alias: m[5] });
  }
  return out;
}

/** Local addresses from /proc/net/fib_trie (when `ip` is missing). */
export function parseFibTrie(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++)
    if (/\/32 host LOCAL/.test(lines[i])) {
      const m = /([\d.]+)\s*$/.exec(lines[i - 1]);
      if (m && !out.includes(m[1])) out.push(m[1]);
    }
  return out;
}

export interface NetInput {
  route: string;
  addr: string;
  procRoute: string;
  fibTrie: string;
  ifInfo: string;
}

export function networkFacts(n: NetInput) {
  const ifs = new Map<string, { macaddress: string; mtu: number; type: string }>();
  for (const line of n.ifInfo.split('\n')) {
    const [name, mac, mtu, type] = line.split(' ');
    if (name) ifs.set(name, { macaddress: mac, mtu: Number(mtu), type: type === '1' ? 'ether' : type === '772' ? 'loopback' : 'unknown' });
  }
  const addrs = parseIpAddr(n.addr);
  const all = addrs.length ? addrs.map((a) => a.address) : parseFibTrie(n.fibTrie);
  const allIpv4 = all.filter((a) => !a.startsWith('127.'));
  let iface: string | undefined;
  let gateway: string | undefined;
  let address: string | undefined;
  const rm = /\bvia\s+(\S+)/.exec(n.route);
  const dm = /\bdev\s+(\S+)/.exec(n.route);
  const sm = /\bsrc\s+(\S+)/.exec(n.route);
  if (dm) {
    iface = dm[1];
    gateway = rm?.[1];
    address = sm?.[1];
  } else {
    for (const line of n.procRoute.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1] === '00000000' && f[7] === '00000000') {
        iface = f[0];
        gateway = hexLeToIp(f[2]);
        break;
      }
    }
  }
  const defaultIpv4: Record<string, unknown> = {};
  if (iface) {
    const a = addrs.find((x) => x.iface === iface && (!address || x.address === address));
    address ??= a?.address ?? allIpv4[0];
    if (address) {
      defaultIpv4.address = address;
      defaultIpv4.alias = a?.alias ?? iface;
      if (a?.broadcast) defaultIpv4.broadcast = a.broadcast;
      if (gateway) defaultIpv4.gateway = gateway;
      defaultIpv4.interface = iface;
      const info = ifs.get(iface);
      if (info) Object.assign(defaultIpv4, info);
      if (a) {
        const mask = prefixMask(a.prefix);
        defaultIpv4.netmask = intToIp(mask);
        defaultIpv4.network = intToIp((ipToInt(address) & mask) >>> 0);
        defaultIpv4.prefix = String(a.prefix);
      }
    }
  }
  return { ansible_default_ipv4: defaultIpv4, ansible_all_ipv4_addresses: allIpv4, ansible_interfaces: [...ifs.keys()].sort() };
}
