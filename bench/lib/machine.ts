import { cpus, totalmem, release } from 'node:os';
import { run } from './proc.js';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  memGiB: number;
  kernel: string;
  node: string;
  ansible: string;
  openssh: string;
}

async function firstLine(argv: string[]): Promise<string> {
  try {
    return (await run(argv)).split('\n')[0]!.trim();
  } catch (e) {
    return `unavailable (${(e as Error).message.split('\n')[0]})`;
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  // `ssh -V` prints on stderr.
  const openssh = await firstLine(['sh', '-c', 'ssh -V 2>&1']);
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: Number(await firstLine(['nproc'])),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: totalmem() / 1024 ** 3,
    kernel: release(),
    node: process.version,
    ansible: await firstLine(['ansible-playbook', '--version']),
    openssh,
  };
}
