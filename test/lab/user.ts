import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must, shq } from './sys.js';

export const LAB_USER = 'tsrun-lab';

/** The login user's secrets, shared by every lab on this machine (kept under LAB_BASE/user). */
export interface LabUser {
  user: string;
  password: string;
  keyFile: string;
  publicKey: string;
}

/**
 * The login user's password and SSH key, made on first use. The account itself exists only
 * inside lab hosts (see userLayer): nothing here touches the machine's /etc.
 * Call under the labs' lock.
 */
export async function ensureLabUser(base: string): Promise<LabUser> {
  const dir = join(base, 'user');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const passFile = join(dir, 'password');
  const keyFile = join(dir, 'id_ed25519');
  if (!existsSync(passFile)) writeFileSync(passFile, 'Lab-' + randomBytes(9).toString('base64url') + '\n', { mode: 0o600 });
  const password = readFileSync(passFile, 'utf8').trim();
  if (!existsSync(keyFile)) {
    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tsrun-lab', '-f', keyFile]);
  }
  const publicKey = readFileSync(keyFile + '.pub', 'utf8').trim();
  return { user: LAB_USER, password, keyFile, publicKey };
}

/**
 * Builds `layer`: an overlay layer over the machine's /etc holding only what the lab adds:
 * the login user (a real non-root account, no home here: each host has its own /home), its
 * password, and a sudo rule that asks for the password every time (timestamp_timeout=0, so a
 * test of a wrong password cannot pass from a cached credential). useradd and chpasswd run in
 * a private mount namespace over an overlay of /etc, so the machine's /etc never changes.
 * Lab hosts stack `layer` above /etc (lab.ts). Returns the account's uid and gid.
 */
export async function userLayer(layer: string, user: LabUser): Promise<{ uid: number; gid: number }> {
  const upper = join(layer, 'upper');
  const work = join(layer, 'work');
  mkdirSync(upper, { recursive: true });
  mkdirSync(work, { recursive: true });
  const sudoers = `# tsrun test lab: sudo with a password, asked every time\n` +
    `Defaults:${LAB_USER} timestamp_timeout=0\n${LAB_USER} ALL=(ALL:ALL) ALL\n`;
  const shell = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
  const script = [
    'set -e',
    `mount -t overlay overlay -o ${shq(`lowerdir=/etc,upperdir=${upper},workdir=${work}`)} /etc`,
    // A machine may still have the account from an older lab: then it is only re-passworded here.
    `id -u ${LAB_USER} >/dev/null 2>&1 || useradd --no-create-home --shell ${shell} --comment 'tsrun test lab' ${LAB_USER}`,
    // The password comes on stdin, never on a command line.
    `IFS= read -r pw; printf '%s:%s\\n' ${LAB_USER} "$pw" | chpasswd`,
    `printf '%s' ${shq(sudoers)} > /etc/sudoers.d/${LAB_USER}`,
    `chmod 440 /etc/sudoers.d/${LAB_USER}`,
    `visudo -c -q -f /etc/sudoers.d/${LAB_USER}`,
    `echo "$(id -u ${LAB_USER}) $(id -g ${LAB_USER})"`,
  ].join('\n');
  const out = await must('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { input: `${user.password}\n` });
  const [uid, gid] = out.trim().split(' ').map(Number);
  return { uid, gid };
}
