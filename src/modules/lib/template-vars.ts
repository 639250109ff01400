import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Python's str(datetime) of a local time: "2026-12-01 11:30:00.123456" (no fraction when zero). */
export function pyDatetime(ms: number): string {
  const d = new Date(Math.floor(ms));
  const micro = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return micro ? `${base}.${pad(micro, 6)}` : base;
}

/** C strftime for the directives ansible_managed strings use, in local time. */
export function strftime(format: string, d: Date): string {
  const dayOfYear = Math.floor((d.getTime() - new Date(d.getFullYear(), 0, 1).getTime()) / 86_400_000) + 1;
  const offset = -d.getTimezoneOffset();
  const map: Record<string, () => string> = {
    Y: () => String(d.getFullYear()),
    y: () => pad(d.getFullYear() % 100),
    m: () => pad(d.getMonth() + 1),
    d: () => pad(d.getDate()),
    e: () => String(d.getDate()).padStart(2, ' '),
    H: () => pad(d.getHours()),
    I: () => pad(d.getHours() % 12 || 12),
    M: () => pad(d.getMinutes()),
    S: () => pad(d.getSeconds()),
    p: () => (d.getHours() < 12 ? 'AM' : 'PM'),
    a: () => DAYS[d.getDay()].slice(0, 3),
    A: () => DAYS[d.getDay()],
    b: () => MONTHS[d.getMonth()].slice(0, 3),
    h: () => MONTHS[d.getMonth()].slice(0, 3),
    B: () => MONTHS[d.getMonth()],
    j: () => pad(dayOfYear, 3),
    w: () => String(d.getDay()),
    z: () => `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`,
    Z: () => Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '',
    '%': () => '%',
  };
  return format.replace(/%(.)/g, (all, c: string) => (map[c] ? map[c]() : all));
}

/** Owner name of a file from /etc/passwd, or the number (what Ansible's pwd lookup falls back to). */
function ownerName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid) return f[0];
    }
  } catch {
    // no passwd file: the number, as Ansible does on KeyError
  }
  return String(uid);
}

/** Python str.format with named fields only ({host}, {uid}, {file}; {{ and }} are braces). */
function formatNamed(format: string, fields: Record<string, string>): string {
  return format.replace(/\{\{|\}\}|\{(\w*)\}/g, (all, name: string | undefined) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    if (name !== undefined && Object.prototype.hasOwnProperty.call(fields, name)) return fields[name];
    return all;
  });
}

/**
 * Ansible's template header variables (generate_ansible_template_vars): template_host,
 * template_path (src as given), template_fullpath, template_uid, template_mtime,
 * template_run_date, template_destpath and ansible_managed (the configured string, formatted
 * with host/uid/file, then strftime with the template's mtime).
 */
export function templateVars(src: string, fullPath: string, dest: string | undefined, managed = 'Ansible managed', now = Date.now()): Record<string, unknown> {
  const st = statSync(fullPath);
  const host = hostname();
  const uid = ownerName(st.uid);
  return {
    template_host: host,
    template_path: src,
    template_fullpath: fullPath,
    template_uid: uid,
    template_mtime: pyDatetime(st.mtimeMs),
    template_run_date: pyDatetime(now),
    template_destpath: dest ?? null,
    ansible_managed: strftime(formatNamed(managed, { host, uid, file: src }), new Date(st.mtimeMs)),
  };
}
