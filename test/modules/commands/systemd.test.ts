import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import systemd from '../../../src/modules/systemd.js';
import service from '../../../src/modules/service.js';
import { runSystemd, systemdScript, type SystemdArgs } from '../../../src/modules/lib/svc-systemd.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { ctxFor } from './local.js';

/** A stand-in systemctl: state in files, every call logged; enough for is-active/is-enabled logic. */
const FAKE_SYSTEMCTL = `#!/bin/sh
for a do shift; [ "$a" = -- ] || set -- "$@" "$a"; done
echo "$*" >> "$FAKE_SD/calls"
while [ $# -gt 0 ]; do case "$1" in --*) shift ;; *) break ;; esac; done
verb=$1; shift
[ "$verb" = show ] && { shift 2; }
u=$1
case "$verb" in
  show) if [ -e "$FAKE_SD/$u.exists" ]; then echo LoadState=loaded; else echo LoadState=not-found; fi ;;
  is-active) s=$(cat "$FAKE_SD/$u.active" 2>/dev/null || echo inactive); echo "$s"; [ "$s" = active ] ;;
  is-enabled) s=$(cat "$FAKE_SD/$u.enabled" 2>/dev/null || echo disabled); echo "$s"; [ "$s" = enabled ] ;;
  start|restart) [ "$u" = broken.service ] && { echo "Job for broken.service failed." >&2; exit 1; }; echo active > "$FAKE_SD/$u.active" ;;
  stop) echo inactive > "$FAKE_SD/$u.active" ;;
  reload|daemon-reload|daemon-reexec) ;;
  enable) echo enabled > "$FAKE_SD/$u.enabled" ;;
  disable|unmask) echo disabled > "$FAKE_SD/$u.enabled" ;;
  mask) echo masked > "$FAKE_SD/$u.enabled" ;;
  *) echo "unknown verb $verb" >&2; exit 1 ;;
esac
`;

function fakeSystemd() {
  const dir = scratchDir('tsrun-fake-systemd-');
  writeFileSync(join(dir, 'systemctl'), FAKE_SYSTEMCTL);
  chmodSync(join(dir, 'systemctl'), 0o755);
  const runtime = scratchDir('tsrun-run-systemd-');
  const env = { PATH: `${dir}:${process.env.PATH}`, FAKE_SD: dir };
  const unit = (name: string, active = 'inactive', enabled = 'disabled') => {
    writeFileSync(join(dir, `${name}.exists`), '');
    writeFileSync(join(dir, `${name}.active`), `${active}\n`);
    writeFileSync(join(dir, `${name}.enabled`), `${enabled}\n`);
  };
  const calls = () => (existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : []);
  const run = (a: SystemdArgs, check = false) => runSystemd(ctxFor({}, { env, check }), a, runtime);
  return { dir, unit, calls, run, env };
}

describe('systemd script generation', () => {
  it.each<[SystemdArgs, string[], string[]]>([
    [{ name: 'a.service', state: 'started' }, ['systemctl start -- a.service'], ['enable', 'stop']],
    [{ name: 'a', state: 'stopped', enabled: false }, ['systemctl stop -- a', 'systemctl disable -- a'], ['start']],
    [{ name: 'a', state: 'restarted', scope: 'user', no_block: true }, ['systemctl --user --no-block restart -- a', 'systemctl --user is-active -- a'], []],
    [{ name: "we'ird", enabled: true, daemon_reload: true }, [`systemctl enable -- 'we'"'"'ird'`, 'systemctl daemon-reload'], ['start']],
    [{ name: 'a', masked: true }, ['systemctl mask -- a'], ['enable']],
  ])('%j', (args, present, absent) => {
    const s = String(systemdScript(args, { check: false }));
    for (const p of present) expect(s).toContain(p);
    for (const p of absent) expect(s).not.toContain(`systemctl ${p} `);
    expect(s).toContain("[ -d /run/systemd/system ]");
  });
});

describe('systemd / service against a fake systemctl', () => {
  it('starts only when inactive and enables only when disabled', async () => {
    const f = fakeSystemd();
    f.unit('web.service');
    const first = await f.run({ name: 'web.service', state: 'started', enabled: true });
    expect(first).toMatchObject({ changed: true, name: 'web.service', state: 'started', enabled: true });
    expect(f.calls()).toContain('start web.service');
    expect(f.calls()).toContain('enable web.service');
    const again = await f.run({ name: 'web.service', state: 'started', enabled: true });
    expect(again.changed).toBe(false);
    expect(f.calls().filter((c) => c === 'start web.service')).toHaveLength(1);
    const stop = await f.run({ name: 'web.service', state: 'stopped' });
    expect(stop.changed).toBe(true);
    expect((await f.run({ name: 'web.service', state: 'stopped' })).changed).toBe(false);
    expect((await f.run({ name: 'web.service', state: 'restarted' })).changed).toBe(true);
  });

  it('check mode reports without acting', async () => {
    const f = fakeSystemd();
    f.unit('db.service');
    const r = await f.run({ name: 'db.service', state: 'started' }, true);
    expect(r.changed).toBe(true);
    expect(f.calls()).not.toContain('start db.service');
  });

  it('fails clearly for a missing unit, a failing start, and without systemd', async () => {
    const f = fakeSystemd();
    expect(await f.run({ name: 'nope.service', state: 'started' })).toMatchObject({ failed: true, msg: 'Could not find the requested service nope.service: host' });
    f.unit('broken.service');
    const broken = await f.run({ name: 'broken.service', state: 'started' });
    expect(broken.failed).toBe(true);
    expect(broken.msg).toContain('Job for broken.service failed.');
    // Without /run/systemd/system the modules themselves say that systemd is not running; on a
    // machine booted with systemd (a systemd-nspawn container, say) they must not claim that.
    const viaModule = await invoke(systemd, ctxFor({ name: 'x', state: 'started' }, { env: f.env }));
    expect(viaModule).toMatchObject({ failed: true });
    const viaService = await invoke(service, ctxFor({ name: 'x', state: 'started' }, { env: f.env }));
    const notRunning = /systemd is not running/;
    if (existsSync('/run/systemd/system')) {
      expect(viaModule.msg).not.toMatch(notRunning);
      expect(viaService.msg).not.toMatch(notRunning);
    } else {
      expect(viaModule.msg).toMatch(notRunning);
      expect(viaService.msg).toMatch(notRunning);
    }
  });

  it.each<[Record<string, unknown>, string[]]>([
    [{ runlevel: '3' }, ['Ignoring "runlevel" as it is not used in "systemd"']],
    [{ sleep: 2, pattern: 'web', arguments: '-x' }, ['Ignoring "pattern" as it is not used in "systemd"', 'Ignoring "sleep" as it is not used in "systemd"', 'Ignoring "arguments" as it is not used in "systemd"']],
    [{}, []],
  ])('service %j: dropped with Ansible\'s warning, as its service action does for systemd', async (extra, warnings) => {
    const f = fakeSystemd();
    const r = await invoke(service, ctxFor({ name: 'x', state: 'started', ...extra }, { env: f.env }));
    expect(r.warnings ?? []).toEqual(warnings);
  });

  it('daemon_reload alone needs no name', async () => {
    const f = fakeSystemd();
    const r = await f.run({ daemon_reload: true });
    expect(r.changed).toBe(true);
    expect(f.calls()).toEqual(['daemon-reload']);
  });
});
