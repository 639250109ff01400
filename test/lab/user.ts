import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must, run } from './sys.js';

export const LAB_USER = 'tsrun-lab';

export interface LabUser {
  user: string;
  uid: number;
  gid: number;
  password: string;
  keyFile: string;
  publicKey: string;
}

/**
 * The login user shared by every lab on this machine: a real non-root account whose sudo
 * rule requires its password every time (timestamp_timeout=0, so a wrong password is always
 * asked for and a test of it cannot pass from a cached credential).
 * Call under the labs' lock: it creates the account on first use.
 */
export async function ensureLabUser(base: string): Promise<LabUser> {
  const dir = join(base, 'user');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const passFile = join(dir, 'password');
  const keyFile = join(dir, 'id_ed25519');

  if ((await run('id', ['-u', LAB_USER])).rc !== 0) {
    const shell = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
    await must('useradd', ['--create-home', '--shell', shell, '--comment', 'tsrun test lab', LAB_USER]);
  }
  let password: string;
  if (existsSync(passFile)) {
    password = readFileSync(passFile, 'utf8').trim();
  } else {
    password = 'Lab-' + randomBytes(9).toString('base64url');
    writeFileSync(passFile, password + '\n', { mode: 0o600 });
  }
  // Always (re)set: cheap, and repairs an account whose password was changed by hand.
  await must('chpasswd', [], { input: `${LAB_USER}:${password}\n` });

  const sudoers = `# tsrun test lab: sudo with a password, asked every time\n` +
    `Defaults:${LAB_USER} timestamp_timeout=0\n${LAB_USER} ALL=(ALL:ALL) ALL\n`;
  const sudoersFile = '/etc/sudoers.d/tsrun-lab';
  if (!existsSync(sudoersFile) || readFileSync(sudoersFile, 'utf8') !== sudoers) {
    writeFileSync(sudoersFile, sudoers, { mode: 0o440 });
    await must('visudo', ['-c', '-f', sudoersFile]);
  }

  if (!existsSync(keyFile)) {
    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tsrun-lab', '-f', keyFile]);
  }
  const publicKey = readFileSync(keyFile + '.pub', 'utf8').trim();
  const uid = Number((await must('id', ['-u', LAB_USER])).trim());
  const gid = Number((await must('id', ['-g', LAB_USER])).trim());
  return { user: LAB_USER, uid, gid, password, keyFile, publicKey };
}
