/**
 * Lab hosts that are virtual machines with their own kernel (qemu), for what namespace hosts and
 * systemd containers cannot do because they share this machine's kernel: loading modules
 * (`modprobe nbd`), kernel settings (`vm.nr_hugepages`) and reboots of a real kernel. Tests must
 * never change this machine's kernel state; a VM's kernel is its own.
 *
 * The image is made from Debian packages only, without loop mounts, and cached under LAB_BASE:
 * the systemd hosts' root (systemd-host.ts) plus linux-image-amd64 and initramfs-tools installed
 * into a copy of it, an initramfs with the virtio drivers made inside that root, and an ext4
 * image made from the directory with `mkfs.ext4 -d`. The kernel boots directly (`-kernel`,
 * no boot loader). Each VM writes to its own qcow2 overlay of the image, so a reboot keeps its
 * disk and VMs never share state.
 *
 * A VM takes a lab host's place like a systemd host does: qemu runs in the host's network
 * namespace with user-mode networking (`restrict=on`: the guest reaches nothing) and forwards the
 * host's IP, port 22, to the guest's sshd. Its identity (host key, the login user's password and
 * key, hostname) comes from a small per-VM seed disk that a unit applies at every boot before sshd
 * starts, so inventories and known_hosts from lab.ts work unchanged.
 *
 * KVM is used when /dev/kvm works here, TCG (emulation, slower) otherwise; `vmAccel()` says which.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LAB_BASE, waitForBanner, type Lab } from './lab.js';
import { ensureSystemdRoot, SYSTEMD_ROOT, systemdHostSupport } from './systemd-host.js';
import { haveProgram, must, pidAlive, run, shq, sleep, withLock, type RunResult } from './sys.js';
import { LAB_USER } from './user.js';

/** What the VM adds to the systemd hosts' root: a kernel, its initramfs builder, udev, kmod. */
const VM_PACKAGES = ['linux-image-amd64', 'udev', 'kmod'];
const QEMU = 'qemu-system-x86_64';
/** Units the image masks: nothing in a lab VM needs them, and each costs seconds of boot under TCG. */
const SKIPPED_UNITS = ['e2scrub_reap.service', 'e2scrub_all.timer', 'man-db.timer', 'systemd-networkd.service',
  'modprobe@drm.service', 'modprobe@fuse.service', 'modprobe@dm_mod.service', 'modprobe@efi_pstore.service', 'modprobe@loop.service', 'serial-getty@ttyS0.service'];
/** The guest's memory: room for the hugepages a test reserves besides systemd and sshd. */
const VM_MEMORY_MB = 768;

export interface VmLab extends Lab {
  /** The hosts that are VMs (their runAsRoot logs in over SSH and uses sudo). */
  vmHosts: string[];
  /** 'kvm' or 'tcg': how the VMs run, and why. */
  accel: Accel;
  accelWhy: string;
  /** Reboots the guest's kernel (qemu keeps running, the disk stays); resolves when it is back up. */
  rebootHost(host: string): Promise<void>;
  /** Milliseconds each VM took from qemu's start to a finished boot (systemd running, sshd answering). */
  bootMs: Record<string, number>;
}

export type Accel = 'kvm' | 'tcg';

export function vmHostSupport(): { ok: true } | { ok: false; reason: string } {
  if (!haveProgram(QEMU)) return { ok: false, reason: `VM hosts need \`${QEMU}\` (apt package qemu-system-x86)` };
  if (!haveProgram('qemu-img')) return { ok: false, reason: 'VM hosts need `qemu-img` (apt package qemu-utils)' };
  if (!haveProgram('mkfs.ext4')) return { ok: false, reason: 'VM hosts need `mkfs.ext4` (apt package e2fsprogs)' };
  if (existsSync(join(VM_IMAGE, 'root.img'))) return { ok: true };
  const root = systemdHostSupport();
  return root.ok ? { ok: true } : { ok: false, reason: `the VM image is built from the systemd hosts' root: ${root.reason}` };
}

let accelCache: { accel: Accel; why: string } | undefined;
/**
 * KVM when this machine can boot the image's kernel with it, else TCG, with the reason. /dev/kvm
 * may be missing (a container), unopenable, or there and yet unable to run a Linux guest (nested
 * virtualization under some hypervisors stops the guest right after the kernel's real-mode
 * setup): so the check is a real boot of the kernel until it prints its banner.
 */
export async function vmAccel(image: string): Promise<{ accel: Accel; why: string }> {
  if (accelCache) return accelCache;
  accelCache = await probeKvm(image);
  return accelCache;
}

async function probeKvm(image: string): Promise<{ accel: Accel; why: string }> {
  if (!existsSync('/dev/kvm')) return { accel: 'tcg', why: 'no /dev/kvm' };
  const dir = mkdtempSync(join(LAB_BASE, '.kvm-probe-'));
  const log = join(dir, 'console.log');
  const child = spawn(QEMU, [...machineArgs('kvm'), '-m', '256', '-no-reboot', '-kernel', join(image, 'vmlinuz'),
    '-append', 'console=ttyS0 panic=-1', '-serial', `file:${log}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  try {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      if (existsSync(log) && readFileSync(log, 'utf8').includes('Linux version')) return { accel: 'kvm', why: '/dev/kvm boots the kernel' };
      await sleep(200);
    }
    const why = err.trim().split('\n')[0] || 'the kernel printed nothing in 20 s';
    return { accel: 'tcg', why: `/dev/kvm is there but cannot boot the kernel (${why})` };
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The virtual machine: the same for the KVM check and the VMs. */
function machineArgs(accel: Accel): string[] {
  return ['-nodefaults', '-no-user-config', '-display', 'none', '-machine', `q35,accel=${accel}`, '-cpu', accel === 'kvm' ? 'host' : 'max'];
}

/** The guest's own pieces the image adds to the root (all applied in the chroot, before mkfs). */
const GUEST_FILES: Record<string, { text: string; mode?: number }> = {
  'etc/fstab': { text: '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' },
  // A small initramfs (boots faster under TCG): only what mounting the root disk needs.
  'etc/initramfs-tools/conf.d/lab-vm.conf': { text: 'MODULES=list\nCOMPRESS=gzip\n' },
  'etc/initramfs-tools/modules': { text: 'virtio_pci\nvirtio_blk\next4\n' },
  'usr/local/sbin/tsrun-lab-seed': {
    mode: 0o755,
    text: `#!/bin/sh
# Applies this VM's identity from its seed disk (/dev/vdb): host key, hostname, the login user's
# password and SSH key. Runs at every boot before sshd; the seed disk is read-only.
set -eu
i=0; while [ ! -b /dev/vdb ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
mkdir -p /run/tsrun-lab-seed
mount -o ro /dev/vdb /run/tsrun-lab-seed
s=/run/tsrun-lab-seed
install -m 600 $s/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key
install -m 644 $s/ssh_host_ed25519_key.pub /etc/ssh/ssh_host_ed25519_key.pub
cp $s/hostname /etc/hostname && hostname "$(cat $s/hostname)"
cp $s/hosts /etc/hosts
chpasswd < $s/password
install -d -m 700 -o ${LAB_USER} -g ${LAB_USER} /home/${LAB_USER}/.ssh
install -m 600 -o ${LAB_USER} -g ${LAB_USER} $s/authorized_keys /home/${LAB_USER}/.ssh/authorized_keys
umount /run/tsrun-lab-seed
# qemu's user-mode network: the guest is 10.0.2.15, qemu 10.0.2.2 (restricted: reaches nothing).
# Set here rather than by systemd-networkd, which costs half a minute of boot under TCG.
ip link set eth0 up
ip addr replace 10.0.2.15/24 dev eth0
ip route replace default via 10.0.2.2
`,
  },
  'etc/systemd/system/tsrun-lab-seed.service': {
    text: '[Unit]\nDescription=tsrun lab: this VM\'s identity from its seed disk\nAfter=local-fs.target\nBefore=ssh.service network.target\n\n' +
      '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/local/sbin/tsrun-lab-seed\n\n[Install]\nWantedBy=multi-user.target\n',
  },
};

/** The cached image; its name follows the root it is made from and the recipe, so a changed recipe builds a new one. */
export const VM_IMAGE = join(LAB_BASE, `.vm-${basename(SYSTEMD_ROOT).replace(/^\./, '')}-` +
  createHash('sha256').update(JSON.stringify([VM_PACKAGES, SKIPPED_UNITS, GUEST_FILES, 'mkfs 3G'])).digest('hex').slice(0, 10));

/**
 * Builds the cached image once (a few minutes: the systemd root if missing, then the kernel
 * from the mirror), under a lock so that parallel test files build it once. Leaves
 * VM_IMAGE/{vmlinuz,initrd.img,root.img}.
 */
export async function ensureVmImage(): Promise<string> {
  const done = (): boolean => existsSync(join(VM_IMAGE, 'root.img'));
  if (done()) return VM_IMAGE;
  const root = await ensureSystemdRoot();
  return withLock(join(LAB_BASE, '.vm-image-lock'), async () => {
    if (done()) return VM_IMAGE;
    const tmp = `${VM_IMAGE}.building`;
    const tree = join(tmp, 'root');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await must('cp', ['-a', root, tree]);
    for (const [path, f] of Object.entries(GUEST_FILES)) {
      mkdirSync(join(tree, path, '..'), { recursive: true });
      writeFileSync(join(tree, path), f.text, { mode: f.mode ?? 0o644 });
    }
    // apt in the chroot, in a private mount namespace (its /proc and /dev go with it); no service
    // starts in the chroot (policy-rc.d); the kernel's postinst makes the initramfs inside the root.
    const script = [
      'set -e',
      `mount -t proc proc ${shq(join(tree, 'proc'))}`,
      `mount --rbind /dev ${shq(join(tree, 'dev'))}`,
      `printf '#!/bin/sh\\nexit 101\\n' > ${shq(join(tree, 'usr/sbin/policy-rc.d'))}; chmod 755 ${shq(join(tree, 'usr/sbin/policy-rc.d'))}`,
      `chroot ${shq(tree)} apt-get update -qq`,
      `chroot ${shq(tree)} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends initramfs-tools ${VM_PACKAGES.join(' ')}`,
      `chroot ${shq(tree)} apt-get clean`,
      `rm -f ${shq(join(tree, 'usr/sbin/policy-rc.d'))}`,
      `chroot ${shq(tree)} systemctl enable tsrun-lab-seed.service`,
      // What a lab VM does not need and what costs boot time under emulation.
      `chroot ${shq(tree)} systemctl mask ${SKIPPED_UNITS.join(' ')}`,
    ].join('\n');
    const r = await run('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { timeoutMs: 900_000 });
    if (r.rc !== 0) throw new Error(`VM image: installing the kernel failed (rc ${r.rc}): ${(r.stdout + r.stderr).slice(-3000)}`);
    const boot = readdirSync(join(tree, 'boot'));
    const kernel = boot.find((f) => f.startsWith('vmlinuz-'));
    const initrd = boot.find((f) => f.startsWith('initrd.img-'));
    if (!kernel || !initrd) throw new Error(`VM image: no kernel or initramfs in the root's /boot (${boot.join(' ')})`);
    await must('cp', [join(tree, 'boot', kernel), join(tmp, 'vmlinuz')]);
    await must('cp', [join(tree, 'boot', initrd), join(tmp, 'initrd.img')]);
    // The disk image from the directory itself: no loop device, no mount.
    await must('mkfs.ext4', ['-q', '-F', '-L', 'lab-vm', '-d', tree, join(tmp, 'root.img'), '3G']);
    rmSync(tree, { recursive: true, force: true });
    renameSync(tmp, VM_IMAGE);
    return VM_IMAGE;
  });
}

interface Vm {
  name: string;
  ip: string;
  netns: string;
  dir: string;
  pid?: number;
}

/**
 * Turns the named hosts of `lab` into VMs: their namespace sshd stops and a booted VM answers on
 * their IP instead (same host key, user, password, key). Returns the lab with runAsRoot logging in
 * to the VMs (sudo with the lab password), and rebootHost.
 */
export async function addVmHosts(lab: Lab, names: string[]): Promise<VmLab> {
  const image = await ensureVmImage();
  const { accel, why } = await vmAccel(image);
  const vms = new Map<string, Vm>();
  for (const n of names) {
    const h = lab.hosts.find((x) => x.name === n);
    if (!h) throw new Error(`lab ${lab.name}: no host ${n}`);
    vms.set(n, { name: n, ip: h.ip, netns: h.netns, dir: join(lab.dir, 'hosts', n, 'vm') });
  }
  const bootMs: Record<string, number> = {};

  const prepare = async (vm: Vm): Promise<void> => {
    const seed = join(vm.dir, 'seed');
    mkdirSync(seed, { recursive: true, mode: 0o700 });
    const hostDir = join(lab.dir, 'hosts', vm.name);
    writeFileSync(join(seed, 'ssh_host_ed25519_key'), readFileSync(join(hostDir, 'ssh_host_ed25519_key')), { mode: 0o600 });
    writeFileSync(join(seed, 'ssh_host_ed25519_key.pub'), readFileSync(join(hostDir, 'ssh_host_ed25519_key.pub')));
    writeFileSync(join(seed, 'hosts'), readFileSync(join(hostDir, 'etc/hosts')));
    writeFileSync(join(seed, 'hostname'), vm.name + '\n');
    writeFileSync(join(seed, 'password'), `${LAB_USER}:${lab.password}\n`, { mode: 0o600 });
    writeFileSync(join(seed, 'authorized_keys'), readFileSync(lab.keyFile + '.pub'));
    await must('mkfs.ext4', ['-q', '-F', '-L', 'lab-seed', '-d', seed, join(vm.dir, 'seed.img'), '8M']);
    // The seed disk holds the password: the directory it came from is not kept.
    rmSync(seed, { recursive: true, force: true });
    await must('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', join(image, 'root.img'), join(vm.dir, 'disk.qcow2')]);
  };

  const start = async (vm: Vm): Promise<void> => {
    const t0 = Date.now();
    const out = openSync(join(vm.dir, 'qemu.log'), 'a');
    const args = [
      `--net=/run/netns/${vm.netns}`, '--', QEMU, ...machineArgs(accel), '-smp', '1', '-m', String(VM_MEMORY_MB),
      '-kernel', join(image, 'vmlinuz'), '-initrd', join(image, 'initrd.img'),
      '-append', 'root=/dev/vda rw console=ttyS0 quiet net.ifnames=0 tsc=reliable',
      '-drive', `file=${join(vm.dir, 'disk.qcow2')},if=virtio,format=qcow2`,
      '-drive', `file=${join(vm.dir, 'seed.img')},if=virtio,format=raw,readonly=on`,
      '-netdev', `user,id=n0,restrict=on,hostfwd=tcp:${vm.ip}:22-:22`, '-device', 'virtio-net-pci,netdev=n0',
      '-serial', `file:${join(vm.dir, 'console.log')}`,
    ];
    const child = spawn('nsenter', args, { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    vm.pid = child.pid;
    try {
      await waitUp(vm, 600_000);
    } catch (e) {
      throw new Error(`VM host ${vm.name} (${accel}): ${(e as Error).message}\n${tail(join(vm.dir, 'console.log'))}\n${tail(join(vm.dir, 'qemu.log'))}`);
    }
    bootMs[vm.name] = Date.now() - t0;
  };

  /** sshd answers, then systemd says boot is over (running or degraded). */
  const waitUp = async (vm: Vm, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!pidAlive(vm.pid)) throw new Error('qemu exited');
      // qemu's forwarder accepts a connection before the guest's sshd is up; waitForBanner waits for sshd's banner.
      try {
        await waitForBanner(vm.ip, 5000);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        continue;
      }
      const r = await asRoot(vm, 'systemctl is-system-running --wait');
      if (/running|degraded/.test(r.stdout)) return;
      if (Date.now() > deadline) throw new Error(`systemd is "${r.stdout.trim()}" ${r.stderr.trim()}`);
      await sleep(500);
    }
  };

  /** A command as root in the VM: the login user over SSH, with sudo and the lab password on stdin. */
  const asRoot = (vm: Vm, cmd: string): Promise<RunResult> =>
    run('ssh', [
      '-i', lab.keyFile, '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=10', '-l', LAB_USER, vm.ip, `sudo -S -p '' sh -c ${shq(cmd)}`,
    ], { input: `${lab.password}\n`, timeoutMs: 300_000 });

  const stop = async (vm: Vm): Promise<void> => {
    if (!pidAlive(vm.pid)) return;
    // A clean shutdown first (the disk is written through); qemu exits when the guest powers off.
    await asRoot(vm, 'systemctl poweroff');
    const deadline = Date.now() + 60_000;
    while (pidAlive(vm.pid) && Date.now() < deadline) await sleep(200);
    if (pidAlive(vm.pid)) process.kill(vm.pid!, 'SIGKILL');
    vm.pid = undefined;
  };

  const all = [...vms.values()];
  await Promise.all(all.map((vm) => lab.stopSshd(vm.name)));
  try {
    for (const vm of all) await prepare(vm);
    // One vCPU each (with two, TCG's TSCs drift apart and the kernel falls back to the slow HPET clock): one after the other.
    for (const vm of all) await start(vm);
  } catch (e) {
    await Promise.all(all.map(stop));
    throw e;
  }

  const find = (host: string): Vm | undefined => all.find((v) => v.name === host || v.ip === host);
  return {
    ...lab,
    vmHosts: names,
    accel,
    accelWhy: why,
    bootMs,
    async runAsRoot(host: string, cmd: string): Promise<RunResult> {
      const vm = find(host);
      return vm ? asRoot(vm, cmd) : lab.runAsRoot(host, cmd);
    },
    async rebootHost(host: string): Promise<void> {
      const vm = find(host);
      if (!vm) throw new Error(`lab ${lab.name}: ${host} is not a VM host`);
      const bootId = async (): Promise<string> => (await asRoot(vm, 'cat /proc/sys/kernel/random/boot_id')).stdout.trim();
      const before = await bootId();
      if (!before) throw new Error(`VM host ${vm.name}: cannot read its boot id`);
      const t0 = Date.now();
      await asRoot(vm, 'systemctl reboot');
      // Up again means a new boot id: until the old sshd is gone the old kernel may still answer.
      const deadline = Date.now() + 600_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`VM host ${vm.name}: did not come back from a reboot\n${tail(join(vm.dir, 'console.log'))}`);
        await sleep(1000);
        if (!pidAlive(vm.pid)) throw new Error(`VM host ${vm.name}: qemu exited on reboot\n${tail(join(vm.dir, 'console.log'))}`);
        // qemu's forwarder accepts at once even while the guest is down, and an ssh started then waits
        // through TCP's retries for the guest (a minute and more): ask only once sshd's banner comes.
        try {
          await waitForBanner(vm.ip, 5000);
        } catch {
          continue;
        }
        const now = await asRoot(vm, 'cat /proc/sys/kernel/random/boot_id');
        if (now.rc === 0 && now.stdout.trim() && now.stdout.trim() !== before) break;
      }
      await waitUp(vm, Math.max(1000, deadline - Date.now()));
      bootMs[`${vm.name} reboot`] = Date.now() - t0;
    },
    async destroy(): Promise<void> {
      await Promise.all(all.map(stop));
      await lab.destroy();
    },
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-3000);
  } catch {
    return `(no ${basename(file)})`;
  }
}
