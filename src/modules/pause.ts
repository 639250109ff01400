import { createInterface } from '../util/readline.js';
import { defineModule, type ModuleResult } from './types.js';

interface PauseArgs {
  seconds?: number | string;
  minutes?: number | string;
  prompt?: string;
  echo?: boolean;
}

/** Seconds to wait, or an error message; `null` when no time is given (wait for Enter). */
export function pauseSeconds(a: PauseArgs): number | null | { error: string } {
  if (a.seconds !== undefined && a.minutes !== undefined) return { error: 'parameters are mutually exclusive: minutes|seconds' };
  const raw = a.seconds ?? a.minutes;
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) return { error: `non-integer value given for prompt duration: ${String(raw)}` };
  return a.minutes !== undefined ? n * 60 : n;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function askLine(prompt: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    signal.addEventListener('abort', () => rl.close());
    rl.question(`${prompt}:\n`, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

/** Python's str(float): 1 → "1.0", 1.5 → "1.5" (Ansible prints the duration that way). */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    seconds: { type: ['number', 'string'] },
    minutes: { type: ['number', 'string'] },
    prompt: { type: 'string' },
    echo: { type: 'boolean', default: true },
  },
} as const;

const pause = defineModule({
  name: 'pause',
  aliases: ['ansible.builtin.pause'],
  checkMode: true,
  bypassHostLoop: true,
  controlOnly: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const secs = pauseSeconds(a);
    if (secs !== null && typeof secs === 'object') return { failed: true, changed: false, msg: secs.error };
    const start = new Date();
    const interactive = Boolean(process.stdin.isTTY);
    let userInput = '';
    const warnings: string[] = [];
    if (secs === null) {
      // As Ansible: with nobody to answer, the prompt is skipped and the answer is empty.
      if (!interactive) warnings.push('Not waiting for response to prompt as stdin is not interactive');
      else userInput = await askLine(a.prompt ?? 'Press enter to continue, Ctrl+C to interrupt', ctx.signal);
    } else {
      ctx.log(0, `Pausing for ${secs} seconds${a.prompt ? `: ${a.prompt}` : ''}`);
      await sleep(secs * 1000, ctx.signal);
    }
    const stop = new Date();
    const stdout =
      secs === null ? 'Paused for user input' : a.minutes !== undefined ? `Paused for ${pyFloat(Number(a.minutes))} minutes` : `Paused for ${pyFloat(secs)} seconds`;
    return {
      changed: false,
      start: start.toISOString().replace('T', ' ').replace('Z', ''),
      stop: stop.toISOString().replace('T', ' ').replace('Z', ''),
      delta: Math.round((stop.getTime() - start.getTime()) / 1000),
      echo: a.echo ?? true,
      user_input: userInput,
      rc: 0,
      stdout,
      stderr: '',
      ...(warnings.length ? { warnings } : {}),
    };
  },
});

export default pause;
