import { createInterface } from '../util/readline.js';
import { Writable } from 'node:stream';
import { TsrunError } from '../util/errors.js';

/** Ctrl-C at a password prompt: nothing has run yet, but the exit status is still "interrupted". */
export class PromptInterrupted extends TsrunError {
  constructor() {
    super('User interrupted execution', { exitCode: 99 });
  }
}

/**
 * Asks for a secret on the terminal without echoing it. Without a terminal there is no one to
 * ask, so it fails at once (reading a password from a pipe would hang or leak it into logs).
 */
export function promptSecret(question: string, option: string): Promise<string> {
  if (!process.stdin.isTTY) {
    return Promise.reject(new TsrunError(`${option} asks for a password, but stdin is not a terminal; run tsrun from a terminal, or set the password in the inventory (ansible_become_pass / ansible_password)`));
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolvePromise, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new PromptInterrupted());
    });
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolvePromise(answer);
    });
    muted = true;
  });
}
