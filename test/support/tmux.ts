/**
 * A real terminal for tests: tmux runs the command in a detached session of a fixed size, and
 * the test reads what the screen shows (capture-pane), as a person would see it. Each Tmux uses
 * its own server socket, so parallel test files never share sessions.
 */
import { execFileSync } from 'node:child_process';

export class Tmux {
  private readonly socket = `tsrun-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly session = 't';

  constructor(
    command: string,
    opts: { cwd: string; env?: Record<string, string>; width?: number; height?: number },
  ) {
    const envArgs = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux(['new-session', '-d', '-s', this.session, '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40), '-c', opts.cwd, ...envArgs, command]);
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Types text as keys (literally; `\t` is TAB, `\n` is Enter). */
  type(text: string): void {
    for (const part of text.split(/(\t|\n)/)) {
      if (part === '\t') this.tmux(['send-keys', '-t', this.session, 'Tab']);
      else if (part === '\n') this.tmux(['send-keys', '-t', this.session, 'Enter']);
      else if (part) this.tmux(['send-keys', '-t', this.session, '-l', '--', part]);
    }
  }

  /** Presses one key by tmux's name for it (`C-c`, `Up`, `Escape`). */
  key(name: string): void {
    this.tmux(['send-keys', '-t', this.session, name]);
  }

  /** The visible screen as text; with `escapes`, including colour sequences. */
  screen(escapes = false): string {
    return this.tmux(['capture-pane', '-p', '-t', this.session, ...(escapes ? ['-e'] : [])]);
  }

  /** Polls the screen until `test` passes (returns that screen) or `limitMs` passes (returns undefined). */
  async waitFor(test: (screen: string) => boolean, limitMs = 60_000, everyMs = 50): Promise<string | undefined> {
    const until = Date.now() + limitMs;
    while (Date.now() < until) {
      const s = this.screen();
      if (test(s)) return s;
      await new Promise((r) => setTimeout(r, everyMs));
    }
    return undefined;
  }

  close(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
  }
}
