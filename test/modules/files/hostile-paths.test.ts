import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import copy from '../../../src/modules/copy.js';
import file from '../../../src/modules/file.js';
import lineinfile from '../../../src/modules/lineinfile.js';
import slurp from '../../../src/modules/slurp.js';
import stat from '../../../src/modules/stat.js';
import { scratchDir } from '../../support/local-exec.js';
import { runModule } from './helpers.js';

describe('paths with shell metacharacters reach the target literally', () => {
  test('copy, file, lineinfile, stat, slurp', async () => {
    const d = scratchDir('tsrun-hostile-');
    const pwned = join(d, 'PWNED');
    const dir = join(d, `it's a "dir" $(touch ${pwned}) \`touch ${pwned}\``);
    const f = join(dir, 'a;b&c|d*.conf');
    expect(await runModule(file, { path: dir, state: 'directory', mode: 'u=rwx,go=' })).toMatchObject({ changed: true, mode: '0700' });
    expect(await runModule(copy, { content: 'x=1\n', dest: f, owner: 'nobody', validate: 'test -s %s', backup: true })).toMatchObject({ changed: true });
    expect(await runModule(lineinfile, { path: f, regexp: '^x=', line: "x='$(id)'" })).toMatchObject({ changed: true });
    expect(readFileSync(f, 'utf8')).toBe("x='$(id)'\n");
    expect((await runModule(stat, { path: f })).stat).toMatchObject({ exists: true, pw_name: 'nobody' });
    expect(await runModule(slurp, { src: f })).toMatchObject({ content: Buffer.from("x='$(id)'\n").toString('base64') });
    mkdirSync(join(d, 'plain'));
    writeFileSync(join(d, 'plain', 'x'), '');
    expect(await runModule(file, { src: f, dest: join(d, 'plain', 'l ink'), state: 'link' })).toMatchObject({ changed: true });
    expect(existsSync(pwned)).toBe(false);
  });
});
