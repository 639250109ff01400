import { createInterface } from '../util/readline.js';
import { TsrunError } from '../util/errors.js';
import { PromptInterrupted } from './prompt.js';

/**
 * --step's question on the terminal; without a terminal there is no one to answer. Ctrl-C at
 * the question interrupts the run (exit 99, as ansible-playbook); Ctrl-D (end of input) stops it
 * with exit 2, as ansible-playbook does, but saying why.
 */
export function stepPrompt(): (question: string) => Promise<string> {
  if (!process.stdin.isTTY) throw new TsrunError('--step asks before every task, but stdin is not a terminal');
  return (question) =>
    new Promise((resolve, reject) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      let settled = false;
      const stop = (err: TsrunError) => {
        if (settled) return;
        settled = true;
        process.stderr.write('\n');
        rl.close();
        reject(err);
      };
      rl.on('SIGINT', () => stop(new PromptInterrupted()));
      rl.on('close', () => stop(new TsrunError('--step: no answer (end of input at the prompt); the run stops', { exitCode: 2 })));
      rl.question(question, (answer) => {
        settled = true;
        rl.close();
        resolve(answer);
      });
    });
}
