#!/usr/bin/env node
// kruise-ts-manager: the composition root. tsyringe wires the process-wide services here and only
// here; everything below it is plain `createX(deps)` factories.
import 'reflect-metadata';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { KubeConfigError, createCachedReader, createKubeClient, createSharedInformerFactory, exitWhenDrained, loadKubeConfig, probeServerClock, systemClock, type Clock, type DroppedConnection, type KubeClient, type KubeConfig } from '@kruise-ts/k8s-adapter';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { container, instanceCachingFactory, type InjectionToken } from 'tsyringe';
import { createLoggedServerClock, createManager, type Manager } from './manager/createManager.js';
import { managerHelp, parseManagerFlags, type ManagerFlags } from './manager/managerFlags.js';
import { resolveManagerSettings, type ManagerSettings } from './manager/resolveManagerSettings.js';
import { createLogger, type Logger } from './runtime/logger.js';
import { createMetricsServer } from './runtime/metricsServer.js';
import { createProbeServer } from './runtime/probeServer.js';
import { onShutdownSignals } from './runtime/shutdownSignals.js';
import { pollUntil } from './runtime/pollUntil.js';
import { serverSupportsResize } from './manager/serverSupportsResize.js';
import { informerMetricSink } from './runtime/metrics.js';
import { createSidecarSetCache } from './webhook/sidecarset/sidecarSetCache.js';
import { createManagerWebhooks } from './webhook/createManagerWebhooks.js';

declare const __KRUISE_TS_VERSION__: string | undefined;
const version = typeof __KRUISE_TS_VERSION__ === 'undefined' ? 'dev' : __KRUISE_TS_VERSION__;

const Tokens = {
  Settings: Symbol('ManagerSettings') as InjectionToken<ManagerSettings>,
  Logger: Symbol('Logger') as InjectionToken<Logger>,
  Clock: Symbol('Clock') as InjectionToken<Clock>,
  KubeClient: Symbol('KubeClient') as InjectionToken<KubeClient>,
  Registry: Symbol('Registry') as InjectionToken<Registry>,
};

async function main(flags: ManagerFlags): Promise<number> {
  const settings = resolveManagerSettings(flags, { hostname: hostname(), uuid: randomUUID() });
  if (settings.kind === 'invalid') {
    process.stderr.write(`kruise-ts-manager: ${settings.problems.join('\n')}\n`);
    return 2;
  }
  // Fault injection, for the chaos e2e only (issue 20, ADR 0022): KRUISE_TS_CLOCK_OFFSET_MS shifts
  // the clock the controllers and the leader elector read (ms, may be negative), as a host whose
  // clock is that far off the apiserver's. Not a flag, not in --help: never set it in production.
  const clockOffsetMs = Number(process.env.KRUISE_TS_CLOCK_OFFSET_MS ?? '0');
  if (!Number.isFinite(clockOffsetMs)) {
    process.stderr.write(`kruise-ts-manager: KRUISE_TS_CLOCK_OFFSET_MS must be a number of milliseconds, got ${String(process.env.KRUISE_TS_CLOCK_OFFSET_MS)}\n`);
    return 2;
  }
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = await loadKubeConfig(settings.settings.kubeconfig);
  } catch (error) {
    if (!(error instanceof KubeConfigError)) throw error;
    process.stderr.write(`kruise-ts-manager: ${error.message}\n`);
    return 2;
  }
  const scope = container.createChildContainer();
  scope.register(Tokens.Settings, { useValue: settings.settings });
  scope.register(Tokens.Logger, { useFactory: instanceCachingFactory(() => createLogger({ level: settings.settings.logLevel, name: 'kruise-ts-manager' })) });
  scope.register(Tokens.Clock, {
    useFactory: instanceCachingFactory((): Clock => {
      const real = systemClock();
      return clockOffsetMs === 0 ? real : { now: () => real.now() + clockOffsetMs, sleep: (ms, signal) => real.sleep(ms, signal) };
    }),
  });
  scope.register(Tokens.Registry, { useFactory: instanceCachingFactory(() => new Registry()) });
  scope.register(Tokens.KubeClient, {
    useFactory: instanceCachingFactory((c) => {
      const s = c.resolve(Tokens.Settings);
      return createKubeClient(kubeConfig, { rateLimit: s.rateLimit, requestTimeoutMs: s.requestTimeoutMs, userAgent: `kruise-ts-manager/${version}`, fieldManager: 'kruise-ts-manager', onConnectionDropped: connectionDropped(c.resolve(Tokens.Logger), 'main') });
    }),
  });
  const logger = scope.resolve(Tokens.Logger);
  const client = scope.resolve(Tokens.KubeClient);
  const registry = scope.resolve(Tokens.Registry);
  collectDefaultMetrics({ register: registry });
  const s = scope.resolve(Tokens.Settings);
  const clock = scope.resolve(Tokens.Clock);
  // One estimate of the apiserver's time for the process, fed by the writes of the controllers
  // and of the webhooks: the controllers judge times by it, the webhooks write and issue
  // certificates at it (ADR 0022). Sampled once before anything starts (certificates first).
  const serverClock = createLoggedServerClock(clock, logger);
  await probeServerClock(serverClock.track(client), { namespace: s.namespace, component: 'kruise-ts-manager' });
  // With webhooks on, one informer factory for the process: the controllers (while leading) and
  // the webhooks (on every replica) read the same caches, one cache of pods per process, as
  // controller-runtime's manager cache serves OpenKruise's controllers and webhooks (ADR 0016).
  const informers = s.webhooks === undefined ? undefined : createSharedInformerFactory(client, { clock, watchdogMs: s.watchIdleTimeoutMs, onMetric: informerMetricSink(registry, logger) });
  const manager: Manager = createManager({
    client,
    clock,
    serverClock,
    informers,
    logger,
    registry,
    // Controllers start once the webhooks are ready: the CRDs' conversion webhooks are set (before
    // the webhook configurations), so no informer caches an unconverted object (ADR 0026).
    beforeControllers: s.webhooks === undefined ? undefined : (signal) => pollUntil(() => webhooks?.isReady() ?? true, clock, signal),
    featureGates: s.featureGates,
    namespace: s.namespace,
    managerNamespace: s.managerNamespace,
    controllers: s.controllers,
    workers: s.workers,
    nodeImageCreationDelayMs: s.nodeImageCreationDelayMs,
    workloadSpreadVersionedKinds: s.workloadSpreadVersionedKinds,
    watchIdleTimeoutMs: s.watchIdleTimeoutMs,
    leaderElection: s.leaderElection,
    resizeSubresource: await serverSupportsResize(client),
    // Events get a client of their own (its own QPS budget), as client-go's recorder does.
    eventClient: createKubeClient(kubeConfig, { rateLimit: s.rateLimit, requestTimeoutMs: s.requestTimeoutMs, userAgent: `kruise-ts-manager/${version} (events)`, fieldManager: 'kruise-ts-manager', onConnectionDropped: connectionDropped(logger, 'events') }),
    // The Lease too (controller-runtime's leader election has its own client): renewals never wait behind pod writes.
    leaseClient: createKubeClient(kubeConfig, { rateLimit: s.rateLimit, requestTimeoutMs: s.requestTimeoutMs, userAgent: `kruise-ts-manager/${version} (leader-election)`, fieldManager: 'kruise-ts-manager', onConnectionDropped: connectionDropped(logger, 'leader-election') }),
  });
  // Every replica serves webhooks, leader or not (as OpenKruise), so every replica runs the
  // SidecarSet cache behind pod injection and SidecarSet validation; readiness waits for both.
  const sidecarSets = informers === undefined ? undefined : createSidecarSetCache({ client, informers, managerNamespace: s.managerNamespace, logger });
  // The budgets, workloads, pods, PVCs and PersistentPodStates the webhooks read per request, in
  // the controllers' scope (--namespace): started on first read, the apiserver answers until synced.
  const reader = informers === undefined ? undefined : createCachedReader({ client, informers, namespace: s.namespace });
  const webhooks =
    s.webhooks === undefined || sidecarSets === undefined
      ? undefined
      : createManagerWebhooks(s.webhooks, {
          client: serverClock.track(client),
          clock: serverClock,
          logger,
          metrics: registry,
          sidecarSets,
          reader,
          featureGates: s.featureGates,
          workloadSpreadVersionedKinds: s.workloadSpreadVersionedKinds,
        });
  const metrics = await createMetricsServer({ ...s.metricsAddress, registry });
  const readyz = {
    informers: () => !manager.isLeader() || manager.isReady(),
    ...(webhooks === undefined ? {} : { webhook: () => webhooks.isReady() }),
    ...(sidecarSets === undefined ? {} : { sidecarsets: () => sidecarSets.isSynced() }),
  };
  const probes = await createProbeServer({ ...s.healthAddress, logger, checks: { healthz: { ping: () => true }, readyz } });
  logger.info({ version, metrics: metrics.url, probes: probes.url, controllers: s.controllers, leaderElection: s.leaderElection !== undefined, webhooks: webhooks !== undefined }, 'kruise-ts-manager starting');
  const abort = new AbortController();
  const unsubscribe = onShutdownSignals((signal) => {
    logger.info({ signal }, 'shutting down');
    abort.abort();
  });
  try {
    // One failing (lost leadership, webhook port taken) stops the other; the first error wins.
    const runs = [manager.run(abort.signal), ...(webhooks === undefined ? [] : [webhooks.run(abort.signal)])].map((run) =>
      run.catch((error: unknown) => {
        abort.abort();
        throw error;
      }),
    );
    const failed = (await Promise.allSettled(runs)).find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'manager stopped');
    return 1;
  } finally {
    unsubscribe();
    sidecarSets?.stop();
    reader?.stop();
    informers?.stopAll();
    await Promise.all([metrics.close(), probes.close()]);
    await scope.dispose();
  }
}

/** Logs a client's apiserver connection presumed dead (a watchdog fired or a request timed out) and how its check went. */
function connectionDropped(logger: Logger, client: string): (outcome: DroppedConnection) => void {
  return (outcome) => {
    logger.warn({ client, verdict: outcome.verdict }, outcome.verdict === 'dead' ? 'apiserver connection unresponsive: replaced and destroyed' : 'apiserver connection replaced after a timeout; it still answers, left to drain');
  };
}

const parsed = parseManagerFlags(process.argv.slice(2), process.env);
if (parsed.kind === 'invalid') {
  process.stderr.write(`kruise-ts-manager: ${parsed.problems.join('\n')}\n\n${managerHelp()}`);
  process.exit(2);
}
if (parsed.flags.help) {
  process.stdout.write(managerHelp());
  process.exit(0);
}
if (parsed.flags.version) {
  process.stdout.write(`kruise-ts-manager ${version}\n`);
  process.exit(0);
}
exitWhenDrained(await main(parsed.flags));
