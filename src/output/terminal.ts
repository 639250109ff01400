import { toBool } from '../util/ansible-bool.js';

/**
 * Ansible's colour rule (ansible/utils/color.py): ANSIBLE_NOCOLOR or NO_COLOR (booleans, as
 * Ansible reads its config) turn colour off, so does a stdout that is not a terminal, and
 * ANSIBLE_FORCE_COLOR turns it back on whatever came before.
 */
export function colorEnabled(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  let color = true;
  if (toBool(env.ANSIBLE_NOCOLOR) || toBool(env.NO_COLOR)) color = false;
  else if (!isTTY) color = false;
  if (toBool(env.ANSIBLE_FORCE_COLOR)) color = true;
  return color;
}

/** Human sizes as the progress line and the report print them (binary units). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** 3.2s, 1m05s, 1h02m. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
