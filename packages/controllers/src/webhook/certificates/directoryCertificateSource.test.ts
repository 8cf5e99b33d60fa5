import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import { loopbackCertificates } from '../testing/webhook.testkit.js';
import { createDirectoryCertificateSource } from './directoryCertificateSource.js';

describe('createDirectoryCertificateSource (EnableExternalCerts)', () => {
  let directory: string;
  const source = () => createDirectoryCertificateSource({ directory, logger: createLogger({ level: 'silent' }) });
  const write = async (certs: ReturnType<typeof loopbackCertificates>, withCa = true) => {
    await writeFile(join(directory, 'tls.crt'), certs.serving.certPem);
    await writeFile(join(directory, 'tls.key'), certs.serving.keyPem);
    if (withCa) await writeFile(join(directory, 'ca.crt'), certs.caPem);
  };
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kruise-ts-certs-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('fails clearly while the files are missing or do not match', async () => {
    await expect(source().sync({ bundleTrusted: false })).rejects.toThrow(`${join(directory, 'tls.crt')} and ${join(directory, 'tls.key')} are required`);
    const a = loopbackCertificates();
    await writeFile(join(directory, 'tls.crt'), a.serving.certPem);
    await writeFile(join(directory, 'tls.key'), loopbackCertificates().serving.keyPem);
    await expect(source().sync({ bundleTrusted: false })).rejects.toThrow('the key does not belong to the certificate');
  });

  it('serves tls.crt/tls.key, writes ca.crt as caBundle, and reports a rewrite', async () => {
    const s = source();
    const first = loopbackCertificates();
    await write(first);
    expect(await s.sync({ bundleTrusted: false })).toEqual({ serving: first.serving, caBundlePem: first.caPem, signingCaPem: first.caPem, action: 'read' });
    expect((await s.sync({ bundleTrusted: false })).action).toBe('kept');
    const changed = vi.fn();
    const stop = s.watch?.(changed);
    const second = loopbackCertificates();
    await write(second);
    await vi.waitFor(() => {
      expect(changed).toHaveBeenCalled();
    });
    stop?.();
    expect(await s.sync({ bundleTrusted: false })).toMatchObject({ serving: second.serving, action: 'reloaded' });
  });

  it('leaves the caBundle to others when there is no ca.crt', async () => {
    await write(loopbackCertificates(), false);
    expect((await source().sync({ bundleTrusted: false })).caBundlePem).toBeUndefined();
  });
});
