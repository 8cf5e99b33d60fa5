import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltImage } from './buildImage.js';
import { runCommand } from './runCommand.js';
import { RUNTIME_TOOLS } from './runtimeTools.js';
import type { TestRegistry } from './startRegistry.js';

/** An image in a registry. */
export interface PushedImage {
  /** The reference to pull, e.g. `127.0.0.1:40123/busybox:v1`. */
  readonly reference: string;
  /** The manifest digest the registry stores, e.g. `sha256:3ba0…`. */
  readonly digest: string;
}

/**
 * Pushes a built image to the registry with skopeo over plain http (`--dest-tls-verify=false`),
 * with the registry's credentials when it has auth. `as` renames it (default: the image's own
 * name and tag). `pushImage(registry, await buildImage({ name: 'busybox', tag: 'v1' }))` →
 * `{ reference: '127.0.0.1:40123/busybox:v1', digest: 'sha256:…' }`.
 */
export async function pushImage(registry: TestRegistry, image: BuiltImage, as: { name?: string; tag?: string } = {}): Promise<PushedImage> {
  const reference = `${registry.host}/${as.name ?? image.name}:${as.tag ?? image.tag}`;
  const scratch = mkdtempSync(join(tmpdir(), 'kruise-ts-push-'));
  try {
    const digestFile = join(scratch, 'digest');
    const args = ['copy', '--insecure-policy', '--quiet', '--dest-tls-verify=false', '--digestfile', digestFile];
    if (registry.auth) args.push('--dest-creds', `${registry.auth.user}:${registry.auth.password}`);
    args.push(image.source, `docker://${reference}`);
    await runCommand(RUNTIME_TOOLS.skopeo, args, { env: { ...process.env, TMPDIR: scratch } });
    return { reference, digest: readFileSync(digestFile, 'utf8').trim() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
