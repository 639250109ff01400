import { beforeAll, describe, expect, it } from 'vitest';
import setup, { serviceMgr, splitSections } from '../../../src/modules/setup.js';
import { Reply } from '../../../src/connection/shell-protocol.js';
import { distributionFacts } from '../../../src/modules/lib/facts-os.js';
import { cpuFacts, mountFacts } from '../../../src/modules/lib/facts-hw.js';
import { networkFacts, parseFibTrie, procHexNote } from './setup-fixtures.js';
import { ansibleAvailable, runAnsibleTasks } from './ansible-oracle.js';
import { invoke } from '../../support/local-exec.js';
import { ctxFor } from './local.js';
import { plainVars } from '../../../src/vars/types.js';

describe('fact parsing (pure)', () => {
  it.each([
    ['ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n', 'bookworm/sid', '', ['Ubuntu', '22.04', '22', 'jammy', 'Debian']],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n', '', 'Rocky Linux release 9.3 (Blue Onyx)', ['Rocky', '9.3', '9', 'NA', 'RedHat']],
    ['ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n', '12.5\n', '', ['Debian', '12.5', '12', 'bookworm', 'Debian']],
    ['ID=alpine\nVERSION_ID=3.19.1\n', '', '', ['Alpine', '3.19.1', '3', 'NA', 'Alpine']],
    ['ID=mydistro\nID_LIKE=suse\nVERSION_ID=1\n', '', '', ['Mydistro', '1', '1', 'NA', 'Suse']],
  ])('distribution from %j', (os, deb, rh, want) => {
    const f = distributionFacts(os, deb, rh);
    expect([f.ansible_distribution, f.ansible_distribution_version, f.ansible_distribution_major_version, f.ansible_distribution_release, f.ansible_os_family]).toEqual(want);
  });

  it('cpu counts: x86 with physical ids and ARM without', () => {
    const x86 = ['processor: 0', 'physical id: 0', 'siblings: 4', 'cpu cores: 2', 'processor: 1', 'physical id: 0', 'siblings: 4', 'cpu cores: 2'].join('\n');
    expect(cpuFacts(x86)).toMatchObject({ ansible_processor_count: 1, ansible_processor_cores: 2, ansible_processor_threads_per_core: 2, ansible_processor_vcpus: 4 });
    expect(cpuFacts('processor\t: 0\nprocessor\t: 1\n')).toMatchObject({ ansible_processor_count: 2, ansible_processor_vcpus: 2 });
  });

  it('mounts with escaped names and statfs numbers', () => {
    const [m] = mountFacts('/dev/sda1\t/mnt/a\\040b\text4\trw\t4096 100 40 50 4096 1000 900\n');
    expect(m).toMatchObject({ mount: '/mnt/a b', size_total: 409600, size_available: 163840, block_used: 60, inode_used: 100 });
  });

  it('a mount point listed twice appears once, where it was first listed, with its last data', () => {
    const text = ['/dev/a\t/\text4\trw\t4096 1 1 1 4096 1 1', '/dev/b\t/run/x\text4\trw\t4096 1 1 1 4096 1 1', '/dev/c\t/srv\text4\trw\t4096 1 1 1 4096 1 1', '/dev/d\t/run/x\text4\tro\t4096 1 1 1 4096 1 1', ''].join('\n');
    expect(mountFacts(text).map((m) => `${m.device} ${m.mount} ${m.options}`)).toEqual(['/dev/a / rw', '/dev/d /run/x ro', '/dev/c /srv rw']);
  });

  it('service manager as Ansible decides it', () => {
    expect(serviceMgr('systemd\n', ['systemd'])).toBe('systemd');
    expect(serviceMgr('bash', ['initd'])).toBe('sysvinit');
    expect(serviceMgr('init', ['systemd'])).toBe('systemd');
    expect(serviceMgr('openrc-init', [])).toBe('openrc');
  });

  it('default route from /proc/net/route and addresses from fib_trie when ip is missing', () => {
    const n = networkFacts({
      route: '',
      addr: '',
      procRoute: 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nens3\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\n',
      fibTrie: procHexNote,
      ifInfo: 'ens3 52:54:00:00:00:01 1500 1\n',
    });
    expect(n.ansible_default_ipv4).toMatchObject({ interface: 'ens3', gateway: '192.168.2.1', address: '192.168.2.10', macaddress: '52:54:00:00:00:01' });
    expect(parseFibTrie(procHexNote)).toEqual(['192.168.2.10', '127.0.0.1']);
    expect(n.ansible_all_ipv4_addresses).toEqual(['192.168.2.10']);
  });

  it('parses the environment from plain env output too', async () => {
    const { parseFacts } = await import('../../../src/modules/setup.js');
    const f = parseFacts(new Reply('\nN envplain=\nA=1\nB=x=y\nN end=\n', 'N'));
    expect(f.ansible_env).toEqual({ A: '1', B: 'x=y' });
  });

  it('splits the script sections', () => {
    expect(splitSections(new Reply('\nN a=\nx\ny\nN b=\n\nN end=\n', 'N'))).toEqual({ a: 'x\ny', b: '', end: '' });
  });
});

describe('setup against ansible-core on this machine', () => {
  const enabled = ansibleAvailable();
  let expected: Record<string, unknown> = {};
  let ours: Record<string, unknown> = {};
  /** The clock (whole seconds) just before and just after our setup ran. */
  const window = { from: 0, to: 0 };
  beforeAll(async () => {
    window.from = Math.floor(Date.now() / 1000);
    // The interpreter setting runAnsibleTasks gives ansible-playbook (ANSIBLE_PYTHON_INTERPRETER).
    const r = await invoke(setup, ctxFor({}, { vars: plainVars({ ansible_python_interpreter: 'auto_silent' }) }));
    window.to = Math.ceil(Date.now() / 1000);
    ours = r.ansible_facts as Record<string, unknown>;
    if (enabled) expected = (runAnsibleTasks([{ setup: {} }])[0].ansible_facts ?? {}) as Record<string, unknown>;
  }, 120_000);

  const exact = [
    'ansible_distribution',
    'ansible_distribution_version',
    'ansible_distribution_major_version',
    'ansible_distribution_release',
    'ansible_os_family',
    'ansible_system',
    'ansible_kernel',
    'ansible_kernel_version',
    'ansible_architecture',
    'ansible_machine',
    'ansible_hostname',
    'ansible_nodename',
    'ansible_fqdn',
    'ansible_domain',
    'ansible_processor_vcpus',
    'ansible_processor_count',
    'ansible_processor_cores',
    'ansible_processor_threads_per_core',
    'ansible_memtotal_mb',
    'ansible_swaptotal_mb',
    'ansible_service_mgr',
    'ansible_pkg_mgr',
    'ansible_user_id',
    'ansible_user_uid',
    'ansible_user_gid',
    'ansible_user_dir',
    'ansible_user_shell',
    'ansible_userspace_bits',
    'ansible_python',
    'ansible_python_version',
    'discovered_interpreter_python',
  ];
  it.skipIf(!enabled).each(exact)('%s equals Ansible', (key) => {
    expect(ours[key]).toEqual(expected[key]);
  });

  it.skipIf(!enabled)('default IPv4, addresses, mounts and date match', () => {
    const eDef = expected.ansible_default_ipv4 as Record<string, unknown>;
    const oDef = ours.ansible_default_ipv4 as Record<string, unknown>;
    for (const k of ['address', 'interface', 'gateway', 'netmask', 'network', 'broadcast', 'macaddress', 'mtu', 'prefix', 'type'])
      if (eDef[k] !== undefined) expect.soft(oDef[k], k).toEqual(eDef[k]);
    // Other processes may add interfaces between the two runs: the default address must be in both lists.
    if (eDef.address) expect(ours.ansible_all_ipv4_addresses).toContain(eDef.address);
    expect(expected.ansible_all_ipv4_addresses).toEqual(expect.arrayContaining((ours.ansible_all_ipv4_addresses as string[]).filter((a) => a === eDef.address)));
    const eMounts = (expected.ansible_mounts as Array<Record<string, unknown>>).map((m) => `${m.device} ${m.mount} ${m.fstype}`).sort();
    const oMounts = (ours.ansible_mounts as Array<Record<string, unknown>>).map((m) => `${m.device} ${m.mount} ${m.fstype}`).sort();
    expect(oMounts).toEqual(eMounts);
    const eDate = expected.ansible_date_time as Record<string, string>;
    const oDate = ours.ansible_date_time as Record<string, string>;
    expect(Object.keys(oDate).sort()).toEqual(Object.keys(eDate).sort());
    for (const k of ['tz', 'tz_offset', 'year']) expect(oDate[k]).toBe(eDate[k]);
    // Our clock reading lies within the run that took it (however slow the machine is).
    expect(Number(oDate.epoch)).toBeGreaterThanOrEqual(window.from);
    expect(Number(oDate.epoch)).toBeLessThanOrEqual(window.to);
    expect((ours.ansible_env as Record<string, string>).PATH).toBeTruthy();
  });
});
