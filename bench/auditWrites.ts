/**
 * Counts API writes from a kube-apiserver audit log (JSON lines): which user wrote what, by verb and
 * resource. The benchmarks run the manager under its own user so its writes can be told apart from
 * the kubelet's (kwok), the scheduler's and the benchmark's own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_POLICY } from '@kruise-ts/k8s-adapter/testing';

/** Writes an audit policy recording every write at Metadata level, and returns the kube-apiserver flags that use it. */
export function auditFlags(dir: string): { readonly args: string[]; readonly logPath: string } {
  const policy = join(dir, 'audit-policy.yaml');
  const logPath = join(dir, 'audit.log');
  writeFileSync(policy, AUDIT_POLICY);
  return { args: [`--audit-policy-file=${policy}`, `--audit-log-path=${logPath}`, '--audit-log-format=json', '--audit-log-maxsize=0'], logPath };
}

interface AuditEvent {
  readonly stage?: string;
  readonly verb?: string;
  readonly user?: { readonly username?: string };
  readonly objectRef?: { readonly resource?: string; readonly subresource?: string; readonly namespace?: string };
  readonly responseStatus?: { readonly code?: number };
}

/** Write counts of one user, by `verb resource[/subresource]`, with how many were refused (code ≥ 400) and how many of those were conflicts (409). */
export interface WriteTally {
  readonly total: number;
  readonly refused: number;
  readonly conflicts: number;
  readonly byKind: ReadonlyMap<string, number>;
}

/** A position in the audit log: count from here with {@link tallyWrites}. */
export type AuditMark = number;

/** Returns the current end of the audit log (lines so far). */
export function auditMark(logPath: string): AuditMark {
  return readFileSync(logPath, 'utf8').split('\n').filter((l) => l !== '').length;
}

/** Returns the writes `username` made in namespace `namespace` (and cluster-scoped) between `from` and `to` (default: the end). */
export function tallyWrites(logPath: string, from: AuditMark, username: string, namespace?: string, to?: AuditMark): WriteTally {
  const lines = readFileSync(logPath, 'utf8').split('\n').filter((l) => l !== '').slice(from, to);
  const byKind = new Map<string, number>();
  let total = 0;
  let refused = 0;
  let conflicts = 0;
  for (const line of lines) {
    const event = JSON.parse(line) as AuditEvent;
    if (event.stage !== 'ResponseComplete' || event.user?.username !== username) continue;
    if (namespace !== undefined && event.objectRef?.namespace !== undefined && event.objectRef.namespace !== namespace) continue;
    const resource = `${event.objectRef?.resource ?? '?'}${event.objectRef?.subresource === undefined ? '' : `/${event.objectRef.subresource}`}`;
    const key = `${event.verb ?? '?'} ${resource}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
    total++;
    if ((event.responseStatus?.code ?? 0) >= 400) refused++;
    if (event.responseStatus?.code === 409) conflicts++;
  }
  return { total, refused, conflicts, byKind };
}

/**
 * Returns a tally as one line per pod, with the totals of writes, events and conflicts:
 * `2.04 writes/pod, 1020 writes, 12 events, 0 conflicts (create pods 1.00, patch pods/status 1.00, ...; 3 refused)`.
 */
export function perPod(tally: WriteTally, pods: number): string {
  const kinds = [...tally.byKind.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${(n / pods).toFixed(2)}`);
  const events = [...tally.byKind.entries()].filter(([kind]) => kind.endsWith(' events')).reduce((sum, [, n]) => sum + n, 0);
  return `${(tally.total / pods).toFixed(2)} writes/pod, ${String(tally.total)} writes, ${String(events)} events, ${String(tally.conflicts)} conflicts (${kinds.join(', ')}${tally.refused > 0 ? `; ${String(tally.refused)} refused` : ''})`;
}
