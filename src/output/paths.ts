import { resolve } from 'node:path';

/** Ansible names a play or task by `FILE:LINE`, the file absolute; tsrun's positions read `FILE:LINE:COLUMN`. */
export function ansiblePath(pos: string): string {
  const m = /^(.*?):(\d+)(?::\d+)?$/.exec(pos);
  return m ? `${resolve(m[1])}:${m[2]}` : pos;
}
