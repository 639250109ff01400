import { describe, expect, it } from 'vitest';
import { StartAt } from '../../src/executor/start-at.js';
import { Stepper } from '../../src/executor/step.js';

describe('--step', () => {
  it('asks per task: y runs, n skips, c runs and stops asking', async () => {
    const answers = ['y', 'n', 'garbage', 'c'];
    const asked: string[] = [];
    const s = new Stepper(async (q) => {
      asked.push(q);
      return answers.shift()!;
    });
    const results = [];
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) results.push(await s.admits(name));
    expect(results).toEqual([true, false, false, true, true, true]);
    expect(asked).toEqual(['a', 'b', 'c', 'd'].map((n) => `Perform task: TASK: ${n} (N)o/(y)es/(c)ontinue: `));
    expect(await new Stepper().admits('x')).toBe(true);
  });

  it('compares the answer as typed, lowercased; names handlers; repeats each answered question', async () => {
    const shown: string[] = [];
    const answers = [' y', 'YES', 'Continue'];
    const s = new Stepper(async () => answers.shift()!, (q) => shown.push(q));
    expect(await s.admits('a')).toBe(false);
    expect(await s.admits('h', true)).toBe(true);
    expect(await s.admits('b')).toBe(true);
    expect(await s.admits('c')).toBe(true);
    expect(shown).toEqual(['Perform task: TASK: a (N)o/(y)es/(c)ontinue: ', 'Perform task: HANDLER: h (N)o/(y)es/(c)ontinue: ', 'Perform task: TASK: b (N)o/(y)es/(c)ontinue: ']);
  });
});

describe('--start-at-task', () => {
  it('opens at the first name or "role : name" that equals or fnmatches, then stays open', () => {
    const s = new StartAt('web : inst[a-z]ll *');
    expect(s.admits('Gathering Facts', 'Gathering Facts')).toBe(false);
    expect(s.admits('install nginx', 'web : install nginx')).toBe(true);
    expect(s.admits('anything', 'anything')).toBe(true);
    const q = new StartAt('a?c');
    expect(q.admits('abd', 'abd')).toBe(false);
    expect(q.admits('a.c', 'a.c')).toBe(true);
    expect(new StartAt('x[!0-9]').admits('x1', 'x1')).toBe(false);
    expect(new StartAt(undefined).admits(undefined, 'debug')).toBe(true);
  });
});
