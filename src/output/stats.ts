/** The PLAY RECAP counters, named as ansible-playbook's json callback names them. */
export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export class RunStats {
  readonly hosts = new Map<string, HostStats>();
  /**
   * Ansible's failed hosts, which decide the exit status: those with a counted failure, and
   * those failed uncounted (a role include_role could not load), less those that
   * meta: clear_host_errors forgave (their failures stay in the recap).
   */
  readonly failedHosts = new Set<string>();

  of(host: string): HostStats {
    let s = this.hosts.get(host);
    if (!s) {
      s = { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 };
      this.hosts.set(host, s);
    }
    return s;
  }

  increment(host: string, key: keyof HostStats): void {
    this.of(host)[key]++;
    if (key === 'failures') this.failedHosts.add(host);
  }

  /** ansible-playbook's exit status: unreachable (4) wins over failed (2). */
  exitCode(): number {
    const all = [...this.hosts.values()];
    if (all.some((s) => s.unreachable > 0)) return 4;
    if (this.failedHosts.size > 0) return 2;
    return 0;
  }

  toJSON(): Record<string, HostStats> {
    return Object.fromEntries([...this.hosts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
