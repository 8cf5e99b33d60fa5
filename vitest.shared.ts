import type { ViteUserConfig } from 'vitest/config';

/**
 * Settings every vitest project shares: workspace packages resolve to their TypeScript sources
 * (the `@kruise-ts/source` export condition) and are transformed by vitest rather than loaded by
 * Node, so tests never run against a stale or missing `dist/`.
 */
export const sourceResolution = {
  resolve: { conditions: ['@kruise-ts/source'] },
  ssr: { resolve: { conditions: ['@kruise-ts/source'] } },
  test: { server: { deps: { inline: [/@kruise-ts\//] } } },
} satisfies ViteUserConfig;
