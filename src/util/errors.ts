/** Where a problem sits in a user's file; 1-based line and column. */
export interface SourcePos {
  file: string;
  line?: number;
  column?: number;
}

export function formatPos(pos: SourcePos | undefined): string {
  if (!pos) return '';
  let out = pos.file;
  if (pos.line !== undefined) out += `:${pos.line}`;
  if (pos.line !== undefined && pos.column !== undefined) out += `:${pos.column}`;
  return out;
}

/**
 * An error meant for the operator: the CLI prints its message (never a stack)
 * and exits with `exitCode`. Anything that is not a TsrunError is a bug in tsrun.
 */
export class TsrunError extends Error {
  readonly pos?: SourcePos;
  readonly exitCode: number;
  constructor(message: string, opts: { pos?: SourcePos; exitCode?: number; cause?: unknown } = {}) {
    super(opts.pos ? `${formatPos(opts.pos)}: ${message}` : message, { cause: opts.cause });
    this.name = 'TsrunError';
    this.pos = opts.pos;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Bad inventory, playbook, role or vars file. ansible-playbook exits 4 on parse errors. */
export class ConfigError extends TsrunError {
  constructor(message: string, pos?: SourcePos, cause?: unknown) {
    super(message, { pos, exitCode: 4, cause });
    this.name = 'ConfigError';
  }
}
