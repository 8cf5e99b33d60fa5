import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

/** Path of the vendored CRI v1 proto inside the package (see `proto/README.md` to refresh it). */
export const CRI_PROTO_RELATIVE_PATH = 'proto/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto';

/**
 * Returns the absolute path of the vendored CRI proto, looked up from this module upwards so it
 * is found both from `src/cri/` (tests, the `@kruise-ts/source` condition) and from `dist/`.
 * Throws naming the paths tried when the package was published without `proto/`.
 */
export function criProtoPath(from: string = import.meta.url): string {
  const tried: string[] = [];
  for (const up of ['../', '../../', '../../../']) {
    const candidate = fileURLToPath(new URL(up + CRI_PROTO_RELATIVE_PATH, from));
    if (existsSync(candidate)) return candidate;
    tried.push(candidate);
  }
  throw new Error(`the CRI proto is missing from @kruise-ts/daemon (looked at ${tried.join(', ')})`);
}

let cached: PackageDefinition | undefined;

/**
 * Returns the CRI v1 package definition (`runtime.v1.ImageService`, `runtime.v1.RuntimeService`),
 * loaded once with `@grpc/proto-loader`: camelCase field names (`repo_tags` → `repoTags`), 64-bit
 * integers as numbers, enums as their names, default values filled in.
 */
export function loadCriProto(): PackageDefinition {
  cached ??= loadSync(criProtoPath(), { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
  return cached;
}
