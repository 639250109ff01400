import { createLab, type Lab } from '../../test/lab/lab.js';
import type { BenchHost } from './inventory.js';

export interface BenchLab {
  hosts: BenchHost[];
  user: string;
  keyFile: string;
  knownHostsFile: string;
  /** The deploy user's home, private to each lab host: the app root lives under it. */
  home: string;
  destroy(): Promise<void>;
}

/** Subnet 10.231.N.0/24 for the benchmark's lab, away from the hash-picked ones tests use. */
export const BENCH_SUBNET = 250;

/** Brings up the shared test lab (test/lab) with `count` hosts; see test/lab/README.md. */
export async function startLab(name: string, count: number, subnetIndex = BENCH_SUBNET): Promise<BenchLab> {
  let lab: Lab;
  try {
    lab = await createLab({ name, hosts: count, subnetIndex });
  } catch (e) {
    // Another lab holds our subnet: let the lab pick a free one.
    if (!/already used/.test((e as Error).message)) throw e;
    lab = await createLab({ name, hosts: count });
  }
  return {
    hosts: lab.hosts.map((h) => ({ name: h.name, address: h.ip, port: 22 })),
    user: lab.user,
    keyFile: lab.keyFile,
    knownHostsFile: lab.knownHostsFile,
    home: `/home/${lab.user}`,
    destroy: () => lab.destroy(),
  };
}
