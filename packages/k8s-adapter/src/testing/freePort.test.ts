import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './freePort.js';

const rangeStart = (): number | undefined => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
};

describe('freePort', () => {
  it('returns ports that can be listened on, below the ephemeral range where the OS says what it is (so a bind of port 0 never gets one)', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    const start = rangeStart();
    for (const port of ports) {
      if (start !== undefined) expect(port).toBeLessThan(start);
      expect(port).toBeGreaterThan(0);
    }
    // Each can be bound now.
    for (const port of ports.slice(0, 5)) {
      await new Promise<void>((resolve, reject) => {
        const server = createServer();
        server.on('error', reject);
        server.listen(port, '127.0.0.1', () => server.close(() => { resolve(); }));
      });
    }
  });
});
