import { modeString } from './file-mode.js';

/** Field count of STAT_FORMAT in remote-prelude.ts. */
const STAT_FORMAT_FIELDS = 15;

/** key=value lines; a repeated key collects all its values (see `all`). */
export class KvOutput {
  readonly first = new Map<string, string>();
  readonly all = new Map<string, string[]>();
  constructor(stdout: string) {
    for (const line of stdout.split('\n')) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const k = line.slice(0, eq);
      const v = line.slice(eq + 1);
      if (!this.first.has(k)) this.first.set(k, v);
      const list = this.all.get(k) ?? [];
      list.push(v);
      this.all.set(k, list);
    }
  }
  get(key: string): string | undefined {
    return this.first.get(key);
  }
  has(key: string): boolean {
    return this.first.has(key);
  }
  values(key: string): string[] {
    return this.all.get(key) ?? [];
  }
  b64(key: string): string | undefined {
    const v = this.first.get(key);
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  }
  stat(key: string): RemoteStat | undefined {
    const v = this.first.get(key);
    return v ? parseStatLine(v) : undefined;
  }
}

export interface RemoteStat {
  type: 'file' | 'directory' | 'link' | 'fifo' | 'socket' | 'char' | 'block' | 'other';
  /** `stat -c %a` digits, e.g. `644`. */
  modeDigits: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  mtime: number;
  atime: number;
  ctime: number;
  inode: number;
  dev: number;
  nlink: number;
  blocks: number;
  blockSize: number;
}

function fileType(f: string): RemoteStat['type'] {
  if (f.includes('regular')) return 'file';
  if (f === 'directory') return 'directory';
  if (f === 'symbolic link') return 'link';
  if (f === 'fifo') return 'fifo';
  if (f === 'socket') return 'socket';
  if (f.startsWith('character')) return 'char';
  if (f.startsWith('block')) return 'block';
  return 'other';
}

export function parseStatLine(line: string): RemoteStat | undefined {
  const f = line.split('|');
  if (f.length !== STAT_FORMAT_FIELDS) return undefined;
  const n = (i: number) => Number(f[i]);
  return {
    type: fileType(f[0]!),
    modeDigits: f[1]!,
    uid: n(2),
    gid: n(3),
    owner: f[4]!,
    group: f[5]!,
    size: n(6),
    mtime: n(7),
    atime: n(8),
    ctime: n(9),
    inode: n(10),
    dev: n(11),
    nlink: n(12),
    blocks: n(13),
    blockSize: n(14),
  };
}

/** The attribute keys Ansible's file-ish modules return. */
export function statResultKeys(st: RemoteStat): Record<string, unknown> {
  return {
    mode: modeString(st.modeDigits),
    owner: st.owner,
    group: st.group,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
  };
}
