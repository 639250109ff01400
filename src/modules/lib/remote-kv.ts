import type { Reply } from '../../connection/shell-protocol.js';
import { modeString } from './file-mode.js';

/** A `tsrun_stat` record's value (remote-prelude.ts STAT_FORMAT) parsed; records come through Reply (connection/shell-protocol.ts). */

/** Field count of STAT_FORMAT in remote-prelude.ts. */
const STAT_FORMAT_FIELDS = 15;

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

/** The stat a script printed as record `key` (tsrun_stat), if it did. */
export function statRecord(reply: Reply, key: string): RemoteStat | undefined {
  const v = reply.get(key);
  return v ? parseStatLine(v) : undefined;
}
