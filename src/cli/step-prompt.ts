import { createInterface } from 'node:readline';
import { TsrunError } from '../util/errors.js';

/** --step's question on the terminal; without a terminal there is no one to answer. */
export function stepPrompt(): (question: string) => Promise<string> {
  if (!process.stdin.isTTY) throw new TsrunError('--step asks before every task, but stdin is not a terminal');
  return (question) =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      rl.question(question, (answer) => {
        rl.close();
        resolve(answer);
      });
    });
}
