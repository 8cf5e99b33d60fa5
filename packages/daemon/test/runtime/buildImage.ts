import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onAbnormalExit } from '@kruise-ts/k8s-adapter/testing';
import { runCommand } from './runCommand.js';
import { RUNTIME_TOOLS } from './runtimeTools.js';

/** What to put in a test image. */
export interface ImageSpec {
  /** Repository name, e.g. `busybox` or `kruise/app` (the registry host is added when pushed). */
  readonly name: string;
  readonly tag: string;
  /** Extra files by absolute path in the image → content, e.g. `{ '/etc/motd': 'hi\n' }`. */
  readonly files?: Readonly<Record<string, string>>;
  /** Image entrypoint; default `['/bin/sleep']`. */
  readonly entrypoint?: readonly string[];
  /** Image command; default `['infinity']`. */
  readonly cmd?: readonly string[];
}

/** A built OCI image layout on disk, ready for `skopeo copy` or `ctr images import`. */
export interface BuiltImage {
  readonly name: string;
  readonly tag: string;
  /** The OCI layout directory holding the image under `tag`. */
  readonly layout: string;
  /** The skopeo source of the image: `oci:<layout>:<tag>`. */
  readonly source: string;
}

/** Busybox applets linked in every image's /bin (the image holds no other binary). */
const APPLETS = ['sh', 'sleep', 'echo', 'cat', 'ls', 'true', 'false', 'env', 'id', 'ps', 'kill', 'touch', 'mkdir', 'date', 'hostname', 'wget', 'nc'];

let cacheDir: string | undefined;
const builds = new Map<string, Promise<BuiltImage>>();

/** The per-process temp directory holding built layouts, removed when the process exits. */
export function imageCacheDir(): string {
  if (cacheDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'kruise-ts-images-'));
    cacheDir = dir;
    onAbnormalExit(() => {
      rmSync(dir, { recursive: true, force: true });
    });
  }
  return cacheDir;
}

async function build(spec: ImageSpec, dir: string): Promise<BuiltImage> {
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const ref = `${layout}:${spec.tag}`;
  await runCommand(RUNTIME_TOOLS.umoci, ['init', '--layout', layout]);
  await runCommand(RUNTIME_TOOLS.umoci, ['new', '--image', ref]);
  await runCommand(RUNTIME_TOOLS.umoci, ['unpack', '--rootless', '--image', ref, bundle]);
  const rootfs = join(bundle, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync(RUNTIME_TOOLS.busybox, join(rootfs, 'bin', 'busybox'));
  chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
  for (const applet of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet));
  for (const sub of ['etc', 'tmp', 'proc', 'sys', 'dev']) mkdirSync(join(rootfs, sub), { recursive: true });
  // Two tags of one name always differ in content, so they get different digests.
  writeFileSync(join(rootfs, 'etc', 'kruise-ts-image'), `${spec.name}:${spec.tag}\n`);
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    if (!path.startsWith('/')) throw new Error(`buildImage ${spec.name}:${spec.tag}: files key "${path}" must be an absolute path`);
    const target = join(rootfs, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  await runCommand(RUNTIME_TOOLS.umoci, ['repack', '--image', ref, bundle]);
  const config = ['config', '--image', ref, '--clear=config.entrypoint', '--clear=config.cmd'];
  for (const part of spec.entrypoint ?? ['/bin/sleep']) config.push(`--config.entrypoint=${part}`);
  for (const part of spec.cmd ?? ['infinity']) config.push(`--config.cmd=${part}`);
  await runCommand(RUNTIME_TOOLS.umoci, config);
  await runCommand(RUNTIME_TOOLS.umoci, ['gc', '--layout', layout]);
  rmSync(bundle, { recursive: true, force: true });
  return { name: spec.name, tag: spec.tag, layout, source: `oci:${layout}:${spec.tag}` };
}

/**
 * Builds an OCI image from scratch holding Debian's static busybox (`/bin/busybox` plus applet
 * links such as `/bin/sh` and `/bin/sleep`), the file `/etc/kruise-ts-image` = `name:tag`, and
 * `files`; entrypoint `sleep infinity` unless told. Uses umoci only (no registry, no daemon).
 * Cached per process by spec: the second call for `{ name: 'busybox', tag: 'v1' }` returns the
 * first one's layout at once; `v1` and `v2` are distinct images with distinct digests.
 */
export function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(spec.name)) {
    return Promise.reject(new Error(`buildImage: name "${spec.name}" is not a valid repository name (lower case, / separated)`));
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(spec.tag)) {
    return Promise.reject(new Error(`buildImage: tag "${spec.tag}" of ${spec.name} is not a valid tag`));
  }
  const key = createHash('sha256').update(JSON.stringify([spec.name, spec.tag, spec.files ?? {}, spec.entrypoint ?? null, spec.cmd ?? null])).digest('hex').slice(0, 16);
  let built = builds.get(key);
  if (built === undefined) {
    const dir = join(imageCacheDir(), key);
    mkdirSync(dir, { recursive: true });
    built = build(spec, dir);
    builds.set(key, built);
    built.catch(() => builds.delete(key));
  }
  return built;
}
