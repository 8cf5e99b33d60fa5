import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The envtest versions pinned in the repository's versions.env (the one place pins live). */
export interface EnvtestPins {
  readonly k8s: string;
  readonly etcd: string;
  readonly kwok: string;
}

/**
 * Returns the envtest pins read from the repository's `versions.env`. Used at build time by
 * tsup and vitest (`define: { __KRUISE_TS_ENVTEST_PINS__ }`) so the published harness carries the
 * versions it was built with.
 */
export function readEnvtestPins(): EnvtestPins {
  const file = fileURLToPath(new URL('../../../versions.env', import.meta.url));
  const values = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2]);
  }
  const need = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`${file}: ${key} is not set`);
    return value;
  };
  return { k8s: need('K8S_VERSION'), etcd: need('ETCD_VERSION'), kwok: need('KWOK_VERSION') };
}

/** The `define` entry that embeds the pins into the harness. */
export function envtestPinsDefine(): Record<string, string> {
  return { __KRUISE_TS_ENVTEST_PINS__: JSON.stringify(readEnvtestPins()) };
}
