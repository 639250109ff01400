/**
 * bin/tsrun.js run as a program (npx, npm's bin link) starts node through its sh line without
 * NODE_EXTRA_CA_CERTS, which node would parse at start-up for nothing, and puts it back for the
 * processes tasks start. Node warns at start-up when that file cannot be read, so the warning
 * shows whether node itself saw the variable.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, TSRUN } from '../support/runners.js';

const MISSING = '/nonexistent/tsrun-ca.pem';
const WARNING = /Ignoring extra certs from/;

/** A local play that prints the variable as a task's process sees it, and as `lookup('env')` does. */
function envPlaybook(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-launcher-'));
  const book = join(dir, 'env.yml');
  writeFileSync(
    book,
    [
      '- hosts: localhost',
      '  connection: local',
      '  gather_facts: false',
      '  tasks:',
      '    - shell: \'printf "[%s][%s]" "${NODE_EXTRA_CA_CERTS-unset}" "${TSRUN_NODE_EXTRA_CA_CERTS-unset}"\'',
      '      register: seen',
      '    - debug:',
      '        msg: "task {{ seen.stdout }} lookup [{{ lookup(\'env\', \'NODE_EXTRA_CA_CERTS\') }}]"',
      '',
    ].join('\n'),
  );
  return book;
}

describe('bin/tsrun.js as a program', () => {
  it('starts node without NODE_EXTRA_CA_CERTS (node run directly reads it: the check can fail)', async () => {
    const env = { NODE_EXTRA_CA_CERTS: MISSING };
    const direct = await run(TSRUN, ['--version'], { env });
    expect(direct.code).toBe(0);
    expect(direct.stdout).toMatch(/^tsrun \d/);
    expect(direct.stderr).not.toMatch(WARNING);
    const throughNode = await run('node', [TSRUN, '--version'], { env });
    expect(throughNode.stderr).toMatch(WARNING);
  });

  it.each([
    ['set', { NODE_EXTRA_CA_CERTS: '/etc/ssl/ca "$x" `id`;.pem' }, '[/etc/ssl/ca "$x" `id`;.pem][unset]', '/etc/ssl/ca "$x" `id`;.pem'],
    ['set and empty', { NODE_EXTRA_CA_CERTS: '' }, '[][unset]', ''],
    ['unset', { NODE_EXTRA_CA_CERTS: undefined }, '[unset][unset]', ''],
  ])('gives tasks NODE_EXTRA_CA_CERTS as it was (%s)', async (_what, env, task, lookup) => {
    const out = await run(TSRUN, [envPlaybook()], { env: { ...env, NO_COLOR: '1' } });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain(`"msg": ${JSON.stringify(`task ${task} lookup [${lookup}]`)}`);
  });

  it('passes arguments through unchanged', async () => {
    const out = await run(TSRUN, ['-i', 'a b;$(id)', '--list-hosts', '/nonexistent/x y.yml']);
    expect(out.stderr).toContain('x y.yml');
    expect(out.code).not.toBe(0);
  });
});
