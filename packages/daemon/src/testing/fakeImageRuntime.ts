import { CriError } from '../cri/criError.js';
import type { ImageInfo, ImageRuntime, PullAuth, PullImageOptions, RuntimeCallOptions } from '../cri/imageRuntime.js';

/** What the fake's registry answers for one image reference (`name:tag`). */
export type FakeImageBehaviour =
  /**
   * The pull succeeds (when `auth` is set, only with those credentials), reporting `steps` progress
   * ticks first; a pull by tag records the repo digest `<name>@<digest>` as containerd does (`digest`:
   * the manifest digest the registry serves for the tag, default one derived from the reference).
   */
  | { readonly kind: 'available'; readonly auth?: PullAuth | undefined; readonly steps?: number | undefined; readonly size?: number | undefined; readonly digest?: string | undefined }
  /** The pull fails `times` times (default: always) with `code`, then succeeds. */
  | { readonly kind: 'failing'; readonly code: string; readonly details: string; readonly times?: number | undefined }
  /** The pull never finishes until its signal aborts (timeouts, stopped workers, deadlines). */
  | { readonly kind: 'hanging' };

/** An in-memory {@link ImageRuntime} with a scripted registry, a store and a call log. */
export interface FakeImageRuntime extends ImageRuntime {
  /** Scripts what pulling `image` does; unscripted images are NOT_FOUND. */
  setImage(image: string, behaviour: FakeImageBehaviour): void;
  /** References in the store, e.g. `['127.0.0.1:5000/busybox:1.36']`. */
  stored(): string[];
  /** Pull calls made so far (image and whether credentials were sent), in order. */
  readonly pulls: { readonly image: string; readonly auth: PullAuth | undefined }[];
  /** Pulls under way now. */
  inFlight(): number;
  /** The largest number of pulls that were under way at once. */
  maxInFlight(): number;
}

/**
 * Returns an in-memory image runtime for unit tests and benches: pulls resolve on the next
 * microtasks (no timers), so tests wait on conditions, never on time.
 *
 * @example
 * ```ts
 * const runtime = createFakeImageRuntime();
 * runtime.setImage('reg/app:1', { kind: 'available', steps: 2 });
 * await runtime.pullImage('reg/app:1'); // 'sha256:…'; stored() → ['reg/app:1']
 * ```
 */
export function createFakeImageRuntime(): FakeImageRuntime {
  const behaviours = new Map<string, FakeImageBehaviour>();
  const failures = new Map<string, number>();
  const store = new Map<string, ImageInfo>();
  const pulls: { image: string; auth: PullAuth | undefined }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const fail = (image: string, code: string, details: string): never => {
    throw new CriError({ method: 'PullImage', subject: image, code, details });
  };
  const pull = async (image: string, options: PullImageOptions): Promise<string> => {
    const behaviour = behaviours.get(image);
    if (behaviour === undefined) return fail(image, 'NOT_FOUND', `failed to resolve reference "${image}": not found`);
    if (behaviour.kind === 'hanging') {
      await new Promise<never>((_resolve, reject) => {
        const signal = options.signal;
        if (signal === undefined) return;
        const abort = (): void => { reject(new CriError({ method: 'PullImage', subject: image, code: 'CANCELLED', details: 'context canceled' })); };
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      });
    }
    if (behaviour.kind === 'failing') {
      const count = failures.get(image) ?? 0;
      failures.set(image, count + 1);
      if (behaviour.times === undefined || count < behaviour.times) return fail(image, behaviour.code, behaviour.details);
    }
    if (behaviour.kind === 'available' && behaviour.auth !== undefined && !sameAuth(behaviour.auth, options.auth)) {
      return fail(image, 'UNKNOWN', `failed to pull and unpack image "${image}": 401 Unauthorized`);
    }
    const steps = behaviour.kind === 'available' ? (behaviour.steps ?? 0) : 0;
    for (let i = 1; i <= steps; i += 1) {
      await Promise.resolve();
      if (options.signal?.aborted === true) return fail(image, 'CANCELLED', 'context canceled');
      options.onProgress?.(Math.floor((i * 100) / (steps + 1)));
    }
    await Promise.resolve();
    if (options.signal?.aborted === true) return fail(image, 'CANCELLED', 'context canceled');
    const manifest = behaviour.kind === 'available' ? behaviour.digest : undefined;
    const id = `sha256:${fakeDigest(manifest === undefined ? image : `${image}${manifest}`)}`;
    const at = image.lastIndexOf('@');
    const colon = image.lastIndexOf(':');
    const name = colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
    const repoDigests = at >= 0 ? [image] : manifest === undefined ? [] : [`${name}@${manifest}`];
    store.set(image, { id, repoTags: at >= 0 ? [] : [image], repoDigests, size: behaviour.kind === 'available' ? (behaviour.size ?? 1024) : 1024 });
    options.onProgress?.(100);
    return id;
  };

  return {
    pulls,
    setImage(image, behaviour) {
      behaviours.set(image, behaviour);
      failures.delete(image);
    },
    stored: () => [...store.keys()].sort(),
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    async pullImage(image: string, options: PullImageOptions = {}): Promise<string> {
      pulls.push({ image, auth: options.auth });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await pull(image, options);
      } finally {
        inFlight -= 1;
      }
    },
    listImages: (_options?: RuntimeCallOptions) => Promise.resolve([...store.values()]),
    imageStatus: (image: string) => Promise.resolve(store.get(image)),
    removeImage(image: string) {
      store.delete(image);
      return Promise.resolve();
    },
  };
}

function sameAuth(want: PullAuth, got: PullAuth | undefined): boolean {
  if (got === undefined) return false;
  const pair = (a: PullAuth): string => ('auth' in a ? Buffer.from(a.auth, 'base64').toString('utf8') : `${a.username}:${a.password}`);
  return pair(want) === pair(got);
}

function fakeDigest(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').repeat(8);
}
