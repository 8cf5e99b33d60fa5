import { X509Certificate } from 'node:crypto';
import { Resources, createMemoryCluster, createServerClock, probeServerClock, type Clock } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import { createSecretCertificateSource } from './secretCertificateSource.js';

// Issue 20, clock skew: the apiserver checks the webhook's serving certificate against its own
// clock. Issued at a host time 2 min ahead, its notBefore (now − 1 min) would lie 1 min in the
// apiserver's future: every webhook call refused for a minute (fail-open webhooks silently skipped).

const START = Date.UTC(2026, 11, 2, 8, 0, 0, 500);

describe('createSecretCertificateSource on a host clock 2 min ahead (memory cluster)', () => {
  it.each([
    { story: 'the server clock (kruise-ts-manager): valid from 1 min before the apiserver\'s now', server: true, validFromMs: START - 500 - 60_000 },
    { story: 'control, the host clock: valid only from 1 min after the apiserver\'s now', server: false, validFromMs: START - 500 + 60_000 },
  ])('$story', async ({ server, validFromMs }) => {
    const cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'manual', start: START } });
    await cluster.client.create(Resources.Namespace, { metadata: { name: 'kruise-system' } });
    const local: Clock = { now: () => cluster.clock.now() + 120_000, sleep: (ms, signal) => cluster.clock.sleep(ms, signal) };
    const serverClock = createServerClock(local);
    const client = serverClock.track(cluster.client);
    await probeServerClock(client, { namespace: 'kruise-system', component: 'kruise-ts-manager' });
    const source = createSecretCertificateSource({ client, clock: server ? serverClock : local, logger: createLogger({ level: 'silent' }), namespace: 'kruise-system', name: 'certs', hosts: ['127.0.0.1'] });
    const served = await source.sync({ bundleTrusted: false });
    // X.509 times have whole seconds.
    expect(Date.parse(new X509Certificate(served.serving.certPem).validFrom)).toBe(validFromMs);
    await cluster.close();
  });
});
