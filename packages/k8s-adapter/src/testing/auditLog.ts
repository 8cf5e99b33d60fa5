import { readFile } from 'node:fs/promises';

/**
 * kube-apiserver audit policy of the test cluster: every write (create, update, patch, delete,
 * deletecollection) at `Metadata` level, once complete; reads and everything else not at all.
 * Enough to count who wrote what and when (issue 20: writes per manager replica) without the
 * bodies, so the log stays small (~600 bytes an event).
 */
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
  verbs: ["create", "update", "patch", "delete", "deletecollection"]
- level: None
`;

/** The fields of an `audit.k8s.io/v1` Event the test cluster keeps (see {@link parseAuditLog}). */
export interface AuditEvent {
  /** `create`, `update`, `patch`, `delete`, `deletecollection`. */
  readonly verb: string;
  /** The authenticated user, e.g. `manager-a` for a kubeconfig from `kubeconfigFor('manager-a')`. */
  readonly user: string;
  readonly userAgent: string;
  /** `pods`, `clonesets`... plus the subresource when any (`pods/status`). */
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  /** HTTP status the apiserver answered (409 for a conflict). */
  readonly code: number;
  /** When the apiserver received the request, in ms since the epoch (microseconds kept as a fraction). */
  readonly receivedAt: number;
  /** A dry run (`?dryRun=All`: admitted and validated, nothing stored), e.g. a clock probe. */
  readonly dryRun: boolean;
}

interface RawAuditEvent {
  readonly stage?: string;
  readonly verb?: string;
  readonly user?: { readonly username?: string };
  readonly userAgent?: string;
  readonly requestURI?: string;
  readonly objectRef?: { readonly resource?: string; readonly subresource?: string; readonly namespace?: string; readonly name?: string };
  readonly responseStatus?: { readonly code?: number };
  readonly requestReceivedTimestamp?: string;
}

/** Parses `2026-12-02T05:40:01.123456Z` keeping the microseconds (Date.parse drops them). */
function microTime(text: string): number {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text);
  if (match === null) return Number.NaN;
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return Date.parse(`${match[1] ?? ''}Z`) + Number(fraction) / 1000;
}

/**
 * Parses the JSON-lines audit log kube-apiserver writes with `--audit-log-format=json`: one
 * {@link AuditEvent} per completed request (`ResponseComplete` or `Panic` stage), in file order.
 * A line that is not JSON (a torn last line while the apiserver writes) is skipped.
 *
 * @example a line `{"stage":"ResponseComplete","verb":"patch","user":{"username":"manager-a"},"objectRef":{"resource":"pods","subresource":"status","namespace":"ns","name":"web-x"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-12-02T05:40:01.000250Z",...}`
 *   → `{ verb: 'patch', user: 'manager-a', resource: 'pods/status', namespace: 'ns', name: 'web-x', code: 200, receivedAt: 1796190001000.25, dryRun: false }`
 */
export function parseAuditLog(text: string): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let raw: RawAuditEvent;
    try {
      raw = JSON.parse(line) as RawAuditEvent;
    } catch {
      continue;
    }
    if (raw.stage !== 'ResponseComplete' && raw.stage !== 'Panic') continue;
    const ref = raw.objectRef ?? {};
    events.push({
      verb: raw.verb ?? '',
      user: raw.user?.username ?? '',
      userAgent: raw.userAgent ?? '',
      resource: ref.subresource === undefined ? (ref.resource ?? '') : `${ref.resource ?? ''}/${ref.subresource}`,
      namespace: ref.namespace ?? '',
      name: ref.name ?? '',
      code: raw.responseStatus?.code ?? 0,
      receivedAt: microTime(raw.requestReceivedTimestamp ?? ''),
      dryRun: /[?&]dryRun=All(&|$)/.test(raw.requestURI ?? ''),
    });
  }
  return events;
}

/** Reads and parses the audit log at `path` ({@link parseAuditLog}); a missing file is no events yet. */
export async function readAuditLog(path: string): Promise<AuditEvent[]> {
  try {
    return parseAuditLog(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
