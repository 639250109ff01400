/**
 * A cgroup of its own for each systemd host (systemd-host.ts). `systemd-nspawn --keep-unit
 * --register=no` puts the container's payload in `<its own cgroup>/payload`: started from the
 * same cgroup (the test process's, `/` on a machine without systemd as init), every container
 * of every lab shared one cgroup tree, and their systemds created and removed the same unit
 * cgroups (`/payload/system.slice/ssh.service`, `.../systemd-user-sessions.service`) under one
 * another. A unit whose cgroup another container removed at the wrong moment failed with
 * "Failed to attach to cgroup ...: No such file or directory" (219/CGROUP): when that unit was
 * systemd-user-sessions, /run/nologin stayed and sshd closed every login during authentication.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

const HOST_CGROUP_PREFIX = 'tsrun-lab.';
/** The cgroup name of systemd host `host` of lab `lab`. */
export const hostCgroupName = (lab: string, host: string): string => `${HOST_CGROUP_PREFIX}${lab}.${host}`;

interface Hierarchy {
  /** Where it is mounted here. */
  mount: string;
  /** This process's cgroup in it, relative to the mount. */
  own: string;
}

/**
 * The hierarchies systemd (and so nspawn) keeps its cgroups in: the unified (cgroup2) one, and
 * on a legacy/hybrid machine the named `name=systemd` one too.
 */
function systemdHierarchies(): Hierarchy[] {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => {
    const [pre, post = ''] = l.split(' - ');
    const f = pre.split(' ');
    const [type, , opts = ''] = post.split(' ');
    return { root: f[3], mount: f[4], type, opts };
  });
  const out: Hierarchy[] = [];
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const [, controllers, path] = m;
    const at = controllers === ''
      ? mounts.find((x) => x.type === 'cgroup2')
      : controllers === 'name=systemd'
        ? mounts.find((x) => x.type === 'cgroup' && x.opts.split(',').includes('name=systemd'))
        : undefined;
    if (!at) continue;
    // A mount of a sub-tree (a cgroup namespace's view) shows paths relative to its root already.
    const own = at.root !== '/' && path.startsWith(at.root) ? path.slice(at.root.length) : path;
    out.push({ mount: at.mount, own });
  }
  return out;
}

/**
 * Creates `name` under this process's cgroup in each of systemd's hierarchies and returns the
 * directories (a process is moved there by writing its pid to `<dir>/cgroup.procs`). What a
 * previous run of the same host left behind, empty, is removed first.
 */
export function makeHostCgroups(name: string): string[] {
  const dirs = systemdHierarchies().map((h) => join(h.mount, h.own, name));
  for (const d of dirs) {
    removeCgroupTree(d);
    mkdirSync(d, { recursive: true });
  }
  return dirs;
}

/** Removes a cgroup and its descendants, deepest first (cgroupfs only allows rmdir of empty groups). */
export function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroupTree(join(dir, e.name));
  try {
    rmdirSync(dir);
  } catch (e) {
    // EBUSY: processes are still in it (a container not yet gone); its next boot removes it.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'EBUSY') throw e;
  }
}

/** Removes what the systemd hosts of lab `lab` left in the cgroup trees (a crashed run's, say). */
export function removeLabCgroups(lab: string): void {
  for (const h of systemdHierarchies()) {
    const parent = join(h.mount, h.own);
    if (!existsSync(parent)) continue;
    for (const e of readdirSync(parent)) if (e.startsWith(`${HOST_CGROUP_PREFIX}${lab}.`)) removeCgroupTree(join(parent, e));
  }
}
