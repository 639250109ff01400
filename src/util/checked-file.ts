/**
 * A file of one header line and a payload, with the payload's SHA-256 on the header line: the
 * format of both caches (the V8 code cache, cli/code-cache.ts; parsed YAML, playbook/parse-cache.ts).
 * Written to a temporary file renamed into place, so a reader sees all of it or none; read back
 * only when whole, so a truncated or damaged file is the same as none.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Writes `header` (one line, no newline in it) and `payload`; false if that failed, leaving no temporary file. */
export function writeChecked(file: string, header: string, payload: Buffer, mode = 0o644): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${header} ${sha256(payload)}\n`, 'latin1'), payload]), { mode });
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Not even its directory exists: nothing was written.
    }
    return false;
  }
}

/** The header and payload writeChecked wrote, if the payload matches its digest. */
export function readChecked(file: string): { header: string; payload: Buffer } | 'missing' | 'invalid' {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return 'missing';
  }
  const nl = data.indexOf(0x0a);
  if (nl < 0) return 'invalid';
  const line = data.subarray(0, nl).toString('latin1');
  const payload = data.subarray(nl + 1);
  const sp = line.lastIndexOf(' ');
  if (sp < 0 || line.slice(sp + 1) !== sha256(payload)) return 'invalid';
  return { header: line.slice(0, sp), payload };
}
