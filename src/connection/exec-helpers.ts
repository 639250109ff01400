import { shellQuote } from './shell-protocol.js';

export function toBuffer(stdin: string | Buffer | undefined): Buffer | undefined {
  if (stdin === undefined) return undefined;
  return typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin;
}

export const quoteForShell = shellQuote;
