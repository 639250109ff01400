/**
 * ssh2 writes each packet in pieces (length, ciphertext, tag); coalesceWrites must hand all the
 * pieces written in one tick to the kernel as one writev, and keep their order.
 */
import { createServer, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../src/connection/coalesce-writes.js';

describe('coalesceWrites', () => {
  let received = Buffer.alloc(0);
  const server = createServer((s) => s.on('data', (b: Buffer) => (received = Buffer.concat([received, b]))));
  let sock: Socket;

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    sock = connect(port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    coalesceWrites(sock);
  });

  afterAll(() => {
    sock.destroy();
    server.close();
  });

  it('turns the writes of one tick into one system write, in order', async () => {
    const inner = sock as unknown as { _writev: (...a: unknown[]) => unknown; _write: (...a: unknown[]) => unknown };
    let calls = 0;
    const writev = inner._writev.bind(sock);
    const write = inner._write.bind(sock);
    inner._writev = (...a) => (calls++, writev(...a));
    inner._write = (...a) => (calls++, write(...a));
    for (let burst = 0; burst < 3; burst++) {
      sock.write(Buffer.from(`${burst}a`));
      sock.write(Buffer.from(`${burst}b`));
      sock.write(`${burst}c`);
      await new Promise((r) => setImmediate(r));
    }
    expect(calls).toBe(3);
    await new Promise<void>((r) => sock.write('', () => r()));
    for (let i = 0; i < 50 && received.length < 18; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received.toString()).toBe('0a0b0c1a1b1c2a2b2c');
  });
});
