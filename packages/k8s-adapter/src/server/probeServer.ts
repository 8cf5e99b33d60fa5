import type { WarnLogger } from '../ports.js';
import { listenHttp, type HttpEndpoint } from './httpEndpoint.js';

/** Where failing checks are logged: a pino logger fits (`logger.warn({ check, err }, 'health check failed')`). */
export type ProbeLogger = WarnLogger;

/**
 * One named health check: passes by returning true, fails by returning false or throwing (the
 * error is logged, not served), e.g. `informers: () => controller.state === 'running'`.
 */
export type HealthCheck = () => boolean | Promise<boolean>;

/** Options of {@link createProbeServer}. */
export interface ProbeServerOptions {
  /** Address to listen on (`0.0.0.0` in a pod, `127.0.0.1` in tests). */
  readonly host: string;
  /** Port to listen on; 0 lets the OS pick one (read it from the result). */
  readonly port: number;
  /** Named checks of `/healthz` (liveness) and `/readyz` (readiness); none means always ok. */
  readonly checks: { readonly healthz?: Readonly<Record<string, HealthCheck>>; readonly readyz?: Readonly<Record<string, HealthCheck>> };
  /** A check that takes longer fails (default 5000 ms). */
  readonly checkTimeoutMs?: number | undefined;
  /** Where failing checks are logged with their error. */
  readonly logger?: ProbeLogger | undefined;
}

/**
 * Returns a listening server for `/healthz` and `/readyz` in the format of Kubernetes and
 * controller-runtime: 200 `ok` when every check passes; 500 listing each check as `[+]name ok` or
 * `[-]name failed: reason withheld` and ending `readyz check failed`. `?verbose` lists the
 * checks on success too, `?exclude=name` skips one, `/readyz/name` runs only that check.
 */
export function createProbeServer(options: ProbeServerOptions): Promise<HttpEndpoint> {
  const timeoutMs = options.checkTimeoutMs ?? 5000;
  return listenHttp(options, async (_request, url) => {
    const [, endpoint = '', only, ...rest] = url.pathname.split('/');
    if ((endpoint !== 'healthz' && endpoint !== 'readyz') || rest.length > 0) return text(404, 'not found\n');
    const all = Object.entries(options.checks[endpoint] ?? {});
    const excluded = new Set(url.searchParams.getAll('exclude'));
    const checks = only === undefined || only === '' ? all.filter(([name]) => !excluded.has(name)) : all.filter(([name]) => name === only);
    if (only !== undefined && only !== '' && checks.length === 0) return text(404, `no check named "${only}"\n`);
    const results = await Promise.all(checks.map(async ([name, check]) => ({ name, passed: await runCheck(name, check, timeoutMs, options.logger) })));
    const lines = results.map(({ name, passed }) => (passed ? `[+]${name} ok\n` : `[-]${name} failed: reason withheld\n`)).join('');
    if (results.some((r) => !r.passed)) return text(500, `${lines}${endpoint} check failed\n`);
    return text(200, url.searchParams.has('verbose') ? `${lines}${endpoint} check passed\n` : 'ok');
  });
}

async function runCheck(name: string, check: HealthCheck, timeoutMs: number, logger: ProbeLogger | undefined): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`timed out after ${String(timeoutMs)} ms`)); }, timeoutMs);
  });
  try {
    const passed = await Promise.race([Promise.resolve().then(check), timeout]);
    if (!passed) logger?.warn({ check: name }, 'health check failed');
    return passed;
  } catch (error) {
    logger?.warn({ check: name, err: error }, 'health check failed');
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function text(status: number, body: string): { status: number; contentType: string; body: string } {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}
