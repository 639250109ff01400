/** CPU counts as Ansible computes them from /proc/cpuinfo. */
export function cpuFacts(cpuinfo: string) {
  const physical = new Set<string>();
  const coresPer = new Map<string, number>();
  const siblingsPer = new Map<string, number>();
  let processors = 0;
  let current = '0';
  for (const line of cpuinfo.split('\n')) {
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, val] = m;
    if (key === 'processor') processors++;
    else if (key === 'physical id') {
      current = val;
      physical.add(val);
    } else if (key === 'cpu cores') coresPer.set(current, Number(val));
    else if (key === 'siblings') siblingsPer.set(current, Number(val));
  }
  if (physical.size === 0) {
    return { ansible_processor_count: processors, ansible_processor_cores: 1, ansible_processor_threads_per_core: 1, ansible_processor_vcpus: processors, ansible_processor_nproc: processors };
  }
  const count = physical.size;
  const first = [...physical][0];
  const cores = coresPer.get(first) ?? 1;
  const siblings = siblingsPer.get(first) ?? cores;
  const threads = Math.max(1, Math.floor(siblings / cores));
  return {
    ansible_processor_count: count,
    ansible_processor_cores: cores,
    ansible_processor_threads_per_core: threads,
    ansible_processor_vcpus: threads * cores * count,
    ansible_processor_nproc: processors,
  };
}

export function memoryFacts(meminfo: string) {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(meminfo);
    return m ? Number(m[1]) : 0;
  };
  // ansible_memory_mb: each /proc/meminfo line in whole MiB first, sums from those (hardware/linux.py); absent lines are None
  const mb = (key: string) => {
    const m = new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(meminfo);
    return m ? Math.floor(Number(m[1]) / 1024) : null;
  };
  const [total, free, buffers, cached, swapTotal, swapFree, swapCached] = ['MemTotal', 'MemFree', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree', 'SwapCached'].map(mb);
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const nocacheFree = cached === null || free === null || buffers === null ? null : cached + free + buffers;
  return {
    ansible_memtotal_mb: Math.floor(kb('MemTotal') / 1024),
    ansible_memfree_mb: Math.floor(kb('MemFree') / 1024),
    ansible_swaptotal_mb: Math.floor(kb('SwapTotal') / 1024),
    ansible_swapfree_mb: Math.floor(kb('SwapFree') / 1024),
    ansible_memory_mb: {
      real: { total, used: diff(total, free), free },
      nocache: { free: nocacheFree, used: diff(total, nocacheFree) },
      swap: { total: swapTotal, free: swapFree, used: diff(swapTotal, swapFree), cached: swapCached },
    },
  };
}

/**
 * `/proc/mounts` entries with their `stat -f` numbers (tab separated), as ansible_mounts. A mount
 * point listed twice (stacked or propagated mounts) appears once, as Ansible keys its result on the
 * mount point: in the place of its first line, with the data of its last.
 */
/** /proc/mounts writes a space, tab, newline or backslash in a mount point as `\\ooo`. */
const unescapeMount = (m: string) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function mountFacts(text: string) {
  const mounts = new Map<string, Record<string, unknown>>();
  for (const line of text.split('\n')) {
    const [device, mnt, fstype, options, statf] = line.split('\t');
    if (!statf) continue;
    if (statf === 'TIMEOUT') {
      // gather_timeout passed before statfs answered: Ansible keeps the mount, without sizes.
      const mount = unescapeMount(mnt);
      mounts.set(mount, { mount, device, fstype, options, note: 'Could not get extra information due to timeout' });
      continue;
    }
    const [frsize, blocks, bavail, , bsize, files, ffree] = statf.split(' ').map(Number);
    const mount = unescapeMount(mnt);
    mounts.set(mount, {
      mount,
      device,
      fstype,
      options,
      size_total: frsize * blocks,
      size_available: frsize * bavail,
      block_size: bsize,
      block_total: blocks,
      block_available: bavail,
      block_used: blocks - bavail,
      inode_total: files,
      inode_available: ffree,
      inode_used: files - ffree,
      uuid: 'N/A',
    });
  }
  return [...mounts.values()];
}
