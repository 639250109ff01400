import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  wallMs: number;
  /** Self time per function (`name url:line`), largest first. */
  functions: { name: string; ms: number }[];
  /** Self time per area: idle, GC, node internals, each dependency, tsrun's own source folders. */
  areas: { area: string; ms: number }[];
}

/** Which part of the program a frame belongs to, from its script URL. */
export function areaOf(url: string, name: string): string {
  if (name === '(idle)') return 'idle (waiting for I/O)';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8/native (program)';
  if (!url) return `native (${name || 'anonymous'})`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return `dependency ${dep[1]}`;
  const own = /\/dist\/([^/]+)\//.exec(url);
  if (own) return `tsrun src/${own[1]}`;
  return url.replace(/^file:\/\//, '');
}

/** Summarises a V8 .cpuprofile (from `node --cpu-prof`) by self time. */
export function summarizeProfile(path: string): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  if (p.samples && p.timeDeltas) {
    // Each sample's time is the delta to the next one.
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.timeDeltas[i + 1] ?? 0;
      selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + dt);
    }
  }
  const byFn = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const n of p.nodes) {
    const us = selfUs.get(n.id) ?? 0;
    if (!us) continue;
    const f = n.callFrame;
    const file = f.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const area = areaOf(f.url, f.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    wallMs: (p.endTime - p.startTime) / 1000,
    functions: sorted(byFn).map(([name, us]) => ({ name, ms: us / 1000 })),
    areas: sorted(byArea).map(([area, us]) => ({ area, ms: us / 1000 })),
  };
}
