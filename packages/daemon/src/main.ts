#!/usr/bin/env node
// kruise-ts-daemon: the composition root of the node agent. Everything below it is plain
// `createX(deps)` factories; this file reads the flags and wires the process-wide services.
import { KubeConfigError, createEventRecorder, createKubeClient, createServerClock, exitWhenDrained, listenHttp, loadKubeConfig, onShutdownSignals, probeServerClock, systemClock, type EventRecorder, type KubeConfig } from '@kruise-ts/k8s-adapter';
import { pino } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createCriClient } from './cri/createCriClient.js';
import { daemonHelp, parseDaemonFlags, type DaemonSettings } from './daemonFlags.js';
import { registerDaemonMetrics } from './daemonMetrics.js';
import { createImagePullController, type ImagePullController } from './imagepull/createImagePullController.js';
import { createContainerRecreateController } from './containerrecreate/createContainerRecreateController.js';
import { createPodProbeController } from './podprobe/createPodProbeController.js';
import { createContainerMetaController } from './containermeta/createContainerMetaController.js';

declare const __KRUISE_TS_VERSION__: string | undefined;
/** How often the daemon takes a fresh sample of the apiserver's clock (one dry-run create): a host clock stepped later is seen within this. */
const SERVER_CLOCK_PROBE_INTERVAL_MS = 10 * 60_000;
const version = typeof __KRUISE_TS_VERSION__ === 'undefined' ? 'dev' : __KRUISE_TS_VERSION__;

async function main(settings: DaemonSettings): Promise<number> {
  const logger = pino({ level: settings.logLevel, base: { name: 'kruise-ts-daemon', node: settings.nodeName }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } });
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = await loadKubeConfig(settings.kubeconfig);
  } catch (error) {
    if (!(error instanceof KubeConfigError)) throw error;
    process.stderr.write(`kruise-ts-daemon: ${error.message}\n`);
    return 2;
  }
  const clock = systemClock();
  // The apiserver's time, as the manager reads it (ADR 0022): what the daemon writes into objects
  // and compares with the apiserver's or the manager's times. Fed by the daemon's writes (status
  // patches only bound it from below) and a dry-run Event create at start and every 10 min.
  const serverClock = createServerClock(clock, {
    onChange: (estimate) => {
      logger.info({ estimate: estimate.kind, offsetMs: estimate.offsetMs }, 'apiserver clock offset');
    },
  });
  const client = serverClock.track(createKubeClient(kubeConfig, { userAgent: `kruise-ts-daemon/${version}`, fieldManager: 'kruise-daemon', rateLimit: { qps: 5, burst: 10 } }));
  const cri = createCriClient({ endpoint: settings.runtimeEndpoint });
  try {
    const runtime = await cri.version({ signal: AbortSignal.timeout(30_000) });
    logger.info({ endpoint: settings.runtimeEndpoint, ...runtime }, 'connected to the container runtime');
  } catch (error) {
    process.stderr.write(`kruise-ts-daemon: cannot reach the container runtime at ${settings.runtimeEndpoint}: ${error instanceof Error ? error.message : String(error)}\n`);
    cri.close();
    return 1;
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Each loop records through its own correlating recorder (aggregation, spam filter), as each of
  // OpenKruise's daemon controllers has its own broadcaster: source.component names the loop,
  // source.host the node. Their client has a rate limit of its own, so events never wait behind
  // status writes.
  const eventClient = serverClock.track(createKubeClient(kubeConfig, { userAgent: `kruise-ts-daemon/${version} (events)`, fieldManager: 'kruise-daemon', rateLimit: { qps: 5, burst: 10 } }));
  const recorders: EventRecorder[] = [];
  const recorderFor = (component: string): EventRecorder => {
    const recorder = createEventRecorder({ client: eventClient, clock, component, host: settings.nodeName, logger });
    recorders.push(recorder);
    return recorder;
  };
  const events = recorderFor('kruise-daemon-imagepuller');
  const controller: ImagePullController = createImagePullController({
    client,
    nodeName: settings.nodeName,
    runtime: cri,
    clock,
    serverClock,
    maxWorkers: settings.maxWorkersForPullImage,
    events: {
      emit: (event) => {
        if (event.subject.kind === 'NodeImage') pulls.inc({ result: event.reason === 'PullImageSucceed' ? 'succeeded' : 'failed' });
        events.emit(event);
      },
    },
    log: (level, fields, message) => { logger[level](fields, message); },
  });
  const pulls = registerDaemonMetrics(registry, controller);
  // ContainerRecreateRequests of this node: preStop, stop through CRI, the kubelet restarts.
  const crrEvents = recorderFor('kruise-daemon-crr');
  const recreator = createContainerRecreateController({ client, nodeName: settings.nodeName, runtime: cri, clock, serverClock, events: crrEvents, log: (level, fields, message) => { logger[level](fields, message); } });
  // Pod probes of this node's NodePodProbe (PodProbeMarker): exec/HTTP/TCP, results in its status.
  const probeEvents = recorderFor('kruise-daemon-podprobe');
  const prober = createPodProbeController({ client, nodeName: settings.nodeName, runtime: cri, clock, serverClock, events: probeEvents, userAgent: `kruise-daemon/${version} kube-probe`, log: (level, fields, message) => { logger[level](fields, message); } });
  // Container meta: runtime-containers-meta on this node's Kruise pods, restarts for env from metadata.
  const metaEvents = recorderFor('kruise-daemon-containermeta');
  const containerMeta = createContainerMetaController({ client, nodeName: settings.nodeName, runtime: cri, clock, events: metaEvents, envFromMetadata: settings.featureGates.InPlaceUpdateEnvFromMetadata ?? true, log: (level, fields, message) => { logger[level](fields, message); } });
  const running = controller;
  const server = await listenHttp(settings.addr, async (_request, url) => {
    if (url.pathname === '/metrics') return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
    if (url.pathname === '/healthz') {
      return running.isSynced() ? { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' } : { status: 500, contentType: 'text/plain; charset=utf-8', body: '[-]nodeImageInformerSynced failed: not synced\nhealthz check failed\n' };
    }
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found\n' };
  });
  logger.info({ version, addr: server.url, runtimeEndpoint: settings.runtimeEndpoint, maxWorkersForPullImage: settings.maxWorkersForPullImage }, 'kruise-ts-daemon starting');
  const abort = new AbortController();
  const unsubscribe = onShutdownSignals((signal) => {
    logger.info({ signal }, 'shutting down');
    abort.abort();
  });
  const sampleServerClock = async (signal: AbortSignal): Promise<void> => {
    for (;;) {
      await clock.sleep(SERVER_CLOCK_PROBE_INTERVAL_MS, signal).catch(() => undefined);
      if (signal.aborted) return;
      await probeServerClock(eventClient, { component: 'kruise-ts-daemon', signal });
    }
  };
  await probeServerClock(eventClient, { component: 'kruise-ts-daemon', signal: abort.signal });
  try {
    await Promise.all([running.run(abort.signal), recreator.run(abort.signal), containerMeta.run(abort.signal), prober.run(abort.signal), sampleServerClock(abort.signal)]);
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'daemon stopped');
    return 1;
  } finally {
    unsubscribe();
    // Events still queued get 2 s (as the manager's), so SIGTERM never waits on a slow apiserver.
    await Promise.all(recorders.map((recorder) => recorder.close(2000)));
    cri.close();
    await server.close();
  }
}

const parsed = parseDaemonFlags(process.argv.slice(2), process.env);
if (parsed.kind === 'invalid') {
  process.stderr.write(`kruise-ts-daemon: ${parsed.problems.join('\nkruise-ts-daemon: ')}\n\n${daemonHelp()}`);
  process.exit(2);
}
if (parsed.settings.help) {
  process.stdout.write(daemonHelp());
  process.exit(0);
}
if (parsed.settings.version) {
  process.stdout.write(`kruise-ts-daemon ${version}\n`);
  process.exit(0);
}
exitWhenDrained(await main(parsed.settings));
