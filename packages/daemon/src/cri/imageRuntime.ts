/**
 * Credentials for one pull, as CRI's `AuthConfig` carries them: a user name and password, or the
 * base64 `auth` token of a docker config (`base64("user:pass")`). `undefined` pulls anonymously.
 *
 * @example { username: 'robot', password: 's3cret' }  // or { auth: 'cm9ib3Q6czNjcmV0' }
 */
export type PullAuth = { readonly username: string; readonly password: string } | { readonly auth: string };

/** Labels and annotations of the pod sandbox an image is pulled for (NodeImage `sandboxConfig`). */
export interface PullSandboxConfig {
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
}

/** Options of {@link ImageRuntime.pullImage}. */
export interface PullImageOptions {
  /** Credentials; omitted = anonymous pull. */
  readonly auth?: PullAuth | undefined;
  readonly sandboxConfig?: PullSandboxConfig | undefined;
  /** The pull is cancelled (and rejects) when aborted: timeouts and stopped workers use it. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Called with the percentage done (0..100) when the runtime reports it. CRI's PullImage is one
   * unary call without progress, so the CRI client reports only 100 at the end; the fake reports steps.
   */
  readonly onProgress?: ((percent: number) => void) | undefined;
}

/** One image in the runtime's store, as CRI's `Image` message describes it. */
export interface ImageInfo {
  /** Image id, e.g. `sha256:3f57…`. */
  readonly id: string;
  /** e.g. `['127.0.0.1:5000/busybox:1.36']`. */
  readonly repoTags: readonly string[];
  /** e.g. `['127.0.0.1:5000/busybox@sha256:…']`. */
  readonly repoDigests: readonly string[];
  /** Size in bytes. */
  readonly size: number;
}

/** Options shared by the read and remove calls of the ports. */
export interface RuntimeCallOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * The image port of the daemon: what the pull workers need from a container runtime. Implemented
 * over CRI by `createCriClient` and in memory by `createFakeImageRuntime`
 * (`@kruise-ts/daemon/testing`). Failures reject with a `CriError` naming the image and status.
 */
export interface ImageRuntime {
  /** Pulls `image` (`name:tag` or `name@digest`) and resolves to the image reference the runtime stored (`sha256:…`). */
  pullImage(image: string, options?: PullImageOptions): Promise<string>;
  /** Every image in the store. */
  listImages(options?: RuntimeCallOptions): Promise<ImageInfo[]>;
  /** The image `image` names, or `undefined` when the store does not have it. */
  imageStatus(image: string, options?: RuntimeCallOptions): Promise<ImageInfo | undefined>;
  /** Removes `image`; removing an image that is not there succeeds (as CRI requires). */
  removeImage(image: string, options?: RuntimeCallOptions): Promise<void>;
}

/**
 * Returns whether `info` is the image `name:tag` names: a repo tag equal to it, or (for a digest
 * "tag" `sha256:…`) a repo digest `name@sha256:…`. `name` is compared as written and also in its
 * normalized Docker Hub form.
 *
 * @example imageHasTag({ repoTags: ['docker.io/library/busybox:1.36'], … }, 'busybox', '1.36') // true
 */
export function imageHasTag(info: ImageInfo, name: string, tag: string): boolean {
  const names = new Set([name, dockerHubName(name)]);
  for (const n of names) {
    if (tag.startsWith('sha256:') ? info.repoDigests.includes(`${n}@${tag}`) : info.repoTags.includes(`${n}:${tag}`)) return true;
  }
  return false;
}

function dockerHubName(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) return name;
  return slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
}
