/** /etc/os-release as key → value (quotes removed). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2];
    if (/^".*"$|^'.*'$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    out[m[1]] = v;
  }
  return out;
}

/** os-release ID → Ansible's ansible_distribution (Ansible maps distro.id() the same way). */
const DISTRIBUTION_NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  raspbian: 'Raspbian',
  linuxmint: 'Linux Mint',
  kali: 'Kali',
  devuan: 'Devuan',
  pop: 'Pop!_OS',
  rhel: 'RedHat',
  centos: 'CentOS',
  fedora: 'Fedora',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  sles: 'SLES',
  sles_sap: 'SLES_SAP',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  opensuse: 'openSUSE',
  alpine: 'Alpine',
  arch: 'Archlinux',
  manjaro: 'Manjaro',
  gentoo: 'Gentoo',
  void: 'Void',
  nixos: 'NixOS',
};

/** Ansible's OS_FAMILY_MAP (2.14, the families with Linux distributions): family → distribution names. */
export const OS_FAMILIES: Record<string, string[]> = {
  RedHat: ['RedHat', 'RHEL', 'Fedora', 'CentOS', 'Scientific', 'SLC', 'Ascendos', 'CloudLinux', 'PSBM', 'OracleLinux', 'OVS', 'OEL', 'Amazon', 'Virtuozzo', 'XenServer', 'Alibaba', 'EulerOS', 'openEuler', 'AlmaLinux', 'Rocky', 'TencentOS', 'EuroLinux', 'Kylin Linux Advanced Server'],
  Debian: ['Debian', 'Ubuntu', 'Raspbian', 'Neon', 'KDE neon', 'Linux Mint', 'SteamOS', 'Devuan', 'Kali', 'Cumulus Linux', 'Pop!_OS', 'Parrot', 'Pardus GNU/Linux', 'Uos', 'Deepin', 'OSMC'],
  Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
  Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  Alpine: ['Alpine'],
  Gentoo: ['Gentoo', 'Funtoo'],
  Void: ['Void'],
};
/** Distribution → family. */
const FAMILY_OF: Record<string, string> = {};
for (const [family, names] of Object.entries(OS_FAMILIES)) for (const n of names) FAMILY_OF[n] = family;

const ID_LIKE_FAMILY: Record<string, string> = { debian: 'Debian', ubuntu: 'Debian', rhel: 'RedHat', fedora: 'RedHat', centos: 'RedHat', suse: 'Suse', arch: 'Archlinux' };

export interface DistributionFacts {
  ansible_distribution: string;
  ansible_distribution_version: string;
  ansible_distribution_major_version: string;
  ansible_distribution_release: string;
  ansible_os_family: string;
}

export function distributionFacts(osRelease: string, debianVersion: string, redhatRelease: string): DistributionFacts {
  const os = parseOsRelease(osRelease);
  const id = (os.ID ?? '').toLowerCase();
  const name = DISTRIBUTION_NAMES[id] ?? (id ? id.charAt(0).toUpperCase() + id.slice(1) : 'NA');
  let version = os.VERSION_ID ?? 'NA';
  const deb = debianVersion.trim();
  // Ansible reports Debian's point release (12.11) from /etc/debian_version.
  if (id === 'debian' && /^\d+\.\d+/.test(deb)) version = deb;
  const rh = /release (\d+(?:\.\d+)*)/.exec(redhatRelease);
  if (name === 'CentOS' && rh) version = rh[1];
  let family = FAMILY_OF[name];
  if (!family)
    for (const like of (os.ID_LIKE ?? '').split(/\s+/)) {
      if (ID_LIKE_FAMILY[like]) {
        family = ID_LIKE_FAMILY[like];
        break;
      }
    }
  return {
    ansible_distribution: name,
    ansible_distribution_version: version,
    ansible_distribution_major_version: version.split('.')[0],
    ansible_distribution_release: os.VERSION_CODENAME ?? os.UBUNTU_CODENAME ?? (id === 'debian' && deb.includes('/') ? deb.split('/')[0] : 'NA'),
    ansible_os_family: family ?? name,
  };
}
