/**
 * ssh2's JavaScript ciphers hand each SSH packet to the socket in three or four writes (length,
 * ciphertext, tag). Written as they come, each is its own send() and, with TCP_NODELAY, its
 * own TCP segment: a `command: true` request became three segments and three wake-ups of the
 * target's sshd. Corking the socket for the rest of the current tick makes every packet (and
 * every packet of one burst) one writev() and one segment.
 */
import type { Socket } from 'node:net';

export function coalesceWrites(sock: Socket): void {
  const write = sock.write.bind(sock) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    sock.uncork();
  };
  sock.write = ((...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      sock.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as Socket['write'];
}
