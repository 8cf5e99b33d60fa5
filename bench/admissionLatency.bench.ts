/**
 * Admission latency of the manager's webhook server on loopback: a server process with the
 * built-in webhooks (the manager's handlers, real HTTPS) and an open-loop load generator sending
 * AdmissionReviews at a sustained rate over keep-alive connections. Latency is measured from the
 * moment each request was due (so a stalled server cannot hide behind a slowed-down client). Prints
 * p50/p90/p99/max per scenario; never asserts a time.
 *
 *   pnpm --filter @kruise-ts/bench admission [--rate=200] [--seconds=10] [--connections=8] [--reads=cache|api]
 *
 * Scenarios: CloneSet validation (v1beta1 CREATE), CloneSet defaulting (the v1alpha1 seed
 * manifest: parse, default, convert back, diff), and the pod path (`/mutate-pod`) with SidecarSet
 * injection over the SidecarSets of the four examples (examples/sidecarset-*, namespace
 * restrictions lifted): a pod all four select (3 sidecars, 2 init containers, volumes, annotations,
 * one JSON patch), and a pod none selects. The SidecarSets come from a static source, as the
 * manager's informer cache serves them once synced (no network call per request).
 *
 * The pod policies together (issue 13): the manager's `/mutate-pod` chain as `kruise-ts-manager`
 * runs it — SidecarSet injection, container launch priority, the PodUnavailableBudget related-pub
 * annotation, the WorkloadSpread subset — on a pod all four SidecarSets select, annotated
 * `apps.kruise.io/container-launch-priority: Ordered`, covered by a budget and owned by a CloneSet
 * a WorkloadSpread targets (placed in its uncapped subset: no status write); `/validate-pod` on
 * a DELETE of a ready pod that budget covers (the budget checked and its status written); and
 * `/validate-deletion-protection` on a DELETE of a CloneSet labelled
 * `policy.kruise.io/delete-protection: Always` (refused) and of the namespace labelled `Cascading`
 * (its pods and PVCs counted; refused). The budget and the pod live in an in-memory API server
 * inside the webhook process. `--reads=cache` (default) gives the webhooks the manager's reader:
 * informers over that API server (`createCachedReader`, synced before the run), so a request
 * reads no API; `--reads=api` reads through the API server per request, as before the cache
 * (the in-memory one: the network round trip to a real apiserver is left out either way).
 *
 * Besides the HTTP figures, the server process times each scenario's handler in process (no HTTP,
 * no TLS, one request at a time): what the machine's load cannot inflate as much, and what one call
 * leaves in the young generation (the garbage that makes the scavenges). After each measured
 * scenario a second line gives what stalled each process meanwhile: its event-loop delay (1 ms
 * resolution) and its GC pauses, and the load average. A p99 near the server's stalls is the
 * webhook's; near the client's, the load generator's (it stands in for the apiserver, another
 * process); near both with no GC, the machine's.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { PerformanceObserver, constants, monitorEventLoopDelay, performance, type PerformanceEntry } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as Controllers from '@kruise-ts/controllers';
import type { WebhookRegistry } from '@kruise-ts/controllers';
import type * as Core from '@kruise-ts/core';
import type { SidecarSet } from '@kruise-ts/core';
import type * as Adapter from '@kruise-ts/k8s-adapter';
import type { KubeClient, KubeObject, KubeReader, ResourceType } from '@kruise-ts/k8s-adapter';
import { parse, parseAllDocuments } from 'yaml';

const SERVER_ROLE = 'KRUISE_TS_ADMISSION_BENCH_SERVER';
// The product is loaded by the server process only. The load generator (the apiserver's stand-in)
// stays a small heap: with the product loaded too, its first major collections (3-4, up to 470 ms
// at load 7) fell into the first measured scenario and set its p99.
const isServer = process.env[SERVER_ROLE] === '1';
const { createBuiltinWebhooks, createLogger, createWebhookServer, parseAdmissionReview, staticSidecarSetSource } = isServer ? await import('@kruise-ts/controllers') : ({} as typeof Controllers);
const { parseSidecarSet, withSidecarSetDefaults, withSidecarSetHashAnnotations } = isServer ? await import('@kruise-ts/core') : ({} as typeof Core);
const { KruiseResources, Resources, createCachedReader, createCertificateAuthority, createMemoryCluster, createSharedInformerFactory, issueCertificate, systemClock } = isServer ? await import('@kruise-ts/k8s-adapter') : ({} as typeof Adapter);
const READS = 'KRUISE_TS_ADMISSION_BENCH_READS';
const EXAMPLES = ['sidecarset-tls-ambassador', 'sidecarset-metrics-adapter', 'sidecarset-log-tailer', 'sidecarset-init-containers'];

/** The SidecarSets of the examples as the manager stores them (defaulted, hashed), selecting pods of any namespace. */
function exampleSidecarSets(): SidecarSet[] {
  return EXAMPLES.flatMap((example) =>
    parseAllDocuments(readFileSync(fileURLToPath(new URL(`../examples/${example}/manifests.yaml`, import.meta.url)), 'utf8'))
      .map((document) => document.toJS() as { kind?: string })
      .filter((object) => object.kind === 'SidecarSet')
      .map((object) => {
        const parsed = parseSidecarSet(object);
        if (parsed.kind === 'invalid') throw new Error(`${example}: ${parsed.problems.map((p) => p.message).join('; ')}`);
        const { namespaceSelector: _onlyTheExampleNamespace, ...spec } = parsed.value.spec;
        return withSidecarSetHashAnnotations(withSidecarSetDefaults({ ...parsed.value, spec }));
      }),
  );
}

/** The in-memory API server the webhooks read: namespace `bench`, a budget over the Elasticsearch pods (room for every delete of the run), and one of its ready pods. */
async function budgetWorld() {
  const cluster = await createMemoryCluster({ nodes: 0, scheduler: false });
  cluster.registerResource(KruiseResources.PodUnavailableBudget);
  await cluster.client.create(Resources.Namespace, { metadata: { name: 'bench' } });
  const pub = { apiVersion: 'policy.kruise.io/v1alpha1', kind: 'PodUnavailableBudget', metadata: { name: 'es-pub', namespace: 'bench' }, spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'elasticsearch' } }, maxUnavailable: '50%' } };
  await cluster.client.create(KruiseResources.PodUnavailableBudget, pub);
  await cluster.client.patch(KruiseResources.PodUnavailableBudget, { name: 'es-pub', namespace: 'bench' }, { type: 'merge', body: { status: { observedGeneration: 1, unavailableAllowed: 1_000_000, currentAvailable: 2_000_000, desiredAvailable: 1_000_000, totalReplicas: 2_000_000 } } }, { subresource: 'status' });
  await cluster.client.create(Resources.Pod, readyEsPod() as KubeObject as never);
  // A WorkloadSpread over the Elasticsearch CloneSet: zone-a full (maxReplicas 0), zone-b without a
  // cap, so every creation is placed in zone-b (affinity injected) without a status write (a write
  // per creation would grow creatingPods by one pod per request for the whole run).
  cluster.registerResource(KruiseResources.WorkloadSpread);
  const zone = (name: string, maxReplicas?: number) => ({ name, requiredNodeSelectorTerm: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [name] }] }, ...(maxReplicas === undefined ? {} : { maxReplicas }) });
  const spread = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'WorkloadSpread', metadata: { name: 'es-ws', namespace: 'bench' }, spec: { targetRef: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'es' }, subsets: [zone('zone-a', 0), zone('zone-b')] } };
  await cluster.client.create(KruiseResources.WorkloadSpread, spread);
  await cluster.client.patch(KruiseResources.WorkloadSpread, { name: 'es-ws', namespace: 'bench' }, { type: 'merge', body: { status: { observedGeneration: 1, subsetStatuses: [{ name: 'zone-a', replicas: 0, missingReplicas: 0 }, { name: 'zone-b', replicas: 0, missingReplicas: -1 }] } } }, { subresource: 'status' });
  return cluster.client;
}

/** A running, ready Elasticsearch pod `es-0` of namespace `bench` (what the budget protects). */
function readyEsPod() {
  const now = new Date().toISOString();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'es-0', namespace: 'bench', uid: 'uid-es-0', labels: { 'app.kubernetes.io/name': 'elasticsearch' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'elasticsearch', image: 'elasticsearch:7.9.3' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
  };
}

/** The reader kruise-ts-manager gives its webhooks: informers over `client`, each kind the webhooks read synced before it returns. */
async function cachedReader(client: KubeClient): Promise<KubeReader> {
  const informers = createSharedInformerFactory(client);
  const reader = createCachedReader({ client, informers });
  const kinds: ResourceType[] = [KruiseResources.PodUnavailableBudget, KruiseResources.WorkloadSpread, Resources.Pod, Resources.PersistentVolumeClaim];
  for (const kind of kinds) await reader.list(kind, { namespace: 'bench' });
  await Promise.all(kinds.map((kind) => informers.informerFor(kind).synced));
  return reader;
}

const newSpaceUsed = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ?? 0;
/** What {@link newSpaceUsed} itself allocates (measured once at start). */
let NEW_SPACE_PROBE_BYTES = 0;
function measureProbe(): void {
  const samples: number[] = [];
  for (let i = 0; i < 50; i++) {
    const before = newSpaceUsed();
    const grown = newSpaceUsed() - before;
    if (grown > 0) samples.push(grown);
  }
  samples.sort((a, b) => a - b);
  NEW_SPACE_PROBE_BYTES = quantile(samples, 0.5);
}

/** Handler time of each scenario in this process (no HTTP): 200 calls of warm-up, then `count` one at a time. */
async function inProcess(registry: WebhookRegistry, count: number): Promise<string[]> {
  measureProbe();
  const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
  const lines: string[] = [];
  for (const scenario of scenarios()) {
    const webhook = registry.webhookAt(scenario.path);
    const parsed = parseAdmissionReview(JSON.parse(scenario.body));
    if (webhook === undefined || parsed.kind !== 'ok') throw new Error(`${scenario.name}: no webhook at ${scenario.path} or a bad review`);
    const times: number[] = [];
    const allocated: number[] = [];
    for (let i = 0; i < 200 + count; i++) {
      const before = newSpaceUsed();
      const start = performance.now();
      await webhook.handle(parsed.request, context);
      if (i >= 200) times.push(performance.now() - start);
      // What one call left in the young generation (a call during which a scavenge ran is skipped).
      const grown = newSpaceUsed() - before;
      if (i >= 200 && grown > 0) allocated.push(grown - NEW_SPACE_PROBE_BYTES);
    }
    times.sort((a, b) => a - b);
    allocated.sort((a, b) => a - b);
    lines.push(`${scenario.name.padEnd(40)} in process: p50 ${quantile(times, 0.5).toFixed(3)} ms  p99 ${quantile(times, 0.99).toFixed(3)} ms  max ${quantile(times, 1).toFixed(3)} ms  allocates ${(quantile(allocated, 0.5) / 1024).toFixed(1)} KiB a call (median)`);
  }
  return lines;
}

/** Child process: serves the built-in webhooks on 127.0.0.1 and reports where, and which CA to trust. */
async function serve(): Promise<void> {
  const ca = createCertificateAuthority('bench-ca');
  const pair = issueCertificate(ca, { commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'], usages: ['server'] });
  // The pod lookups of podsToDelete checks are not exercised (no podsToDelete in the bodies).
  const sidecarSets = staticSidecarSetSource({ sidecarSets: exampleSidecarSets() });
  const client = await budgetWorld();
  // kruise-ts-manager's /mutate-pod chain, built in: SidecarSet injection (given the cache), launch
  // priority, PersistentPodState, the budget's annotation. Deletion protection turned on
  // (ResourcesDeletionProtection is off by default, as in OpenKruise).
  // The reads: kruise-ts-manager's informer cache, or the API server per request (--reads=api).
  const reader = process.env[READS] === 'api' ? client : await cachedReader(client);
  const registry = createBuiltinWebhooks({ client, reader, managerNamespace: 'kruise-system', sidecarSets, clock: systemClock(), featureGates: { ResourcesDeletionProtection: true } });
  const handlerTimes = await inProcess(registry, 2000);
  const server = await createWebhookServer({ host: '127.0.0.1', port: 0, certificate: { certPem: pair.certPem, keyPem: pair.keyPem }, registry, logger: createLogger({ level: 'silent' }) });
  // The client asks for this process's stalls around each measured scenario.
  const stats = watchProcess();
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'reset') stats.reset();
    if (message.type === 'stats') process.send?.({ type: 'stats', stats: stats.snapshot() });
  });
  process.send?.({ url: server.url, caPem: ca.certPem, handlerTimes });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
}

function review(kind: { group: string; version: string; kind: string }, resource: string, object: unknown): string {
  const request = { uid: 'bench', kind, resource: { group: kind.group, version: kind.version, resource }, operation: 'CREATE', namespace: 'bench', object };
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
}

/** A DELETE AdmissionReview of `oldObject` (named `name`). */
function deleteReview(kind: { group: string; version: string; kind: string }, resource: string, name: string, oldObject: unknown): string {
  const request = { uid: 'bench', kind, resource: { group: kind.group, version: kind.version, resource }, operation: 'DELETE', namespace: 'bench', name, oldObject, options: { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions' } };
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
}

function scenarios(): { name: string; path: string; body: string }[] {
  const seed = parse(readFileSync(fileURLToPath(new URL('../examples/plan-only/cloneset.yaml', import.meta.url)), 'utf8')) as Record<string, unknown>;
  const containers = Array.from({ length: 3 }, (_, i) => ({ name: `c${String(i)}`, image: `registry.example.com/app:${String(i)}`, env: [{ name: 'A', value: 'x' }], ports: [{ containerPort: 8080 + i }] }));
  const cloneSet = {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    metadata: { name: 'web', namespace: 'bench', labels: { app: 'web' } },
    spec: { replicas: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '20%', partition: 2 } } },
  };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'bench', labels: { app: 'web' } }, spec: { containers } };
  // What the examples' SidecarSets select: the Elasticsearch pods, opted in to the TLS ambassador and the log tailer.
  const labels = { 'app.kubernetes.io/name': 'elasticsearch', 'sidecars.example.com/tls-ambassador': 'enabled', 'logging.example.com/tail': 'json-files' };
  const esContainer = { name: 'elasticsearch', image: 'elasticsearch:7.9.3', env: [{ name: 'discovery.type', value: 'single-node' }], volumeMounts: [{ name: 'logs', mountPath: '/var/log/elasticsearch' }] };
  const esPod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'elasticsearch-', labels }, spec: { containers: [esContainer], volumes: [{ name: 'logs', emptyDir: {} }] } };
  // Every pod policy at once: selected by the four SidecarSets, launch order asked, covered by the
  // budget, a pod of CloneSet es placed by its WorkloadSpread.
  const owner = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'es', uid: 'uid-es', controller: true };
  const policiesPod = { ...esPod, metadata: { ...esPod.metadata, ownerReferences: [owner], annotations: { 'apps.kruise.io/container-launch-priority': 'Ordered' } } };
  // The pod as the mutator annotated it at creation: its DELETE reads the budget (es-0 is recorded by the first, the rest only read).
  const relatedEsPod = { ...readyEsPod(), metadata: { ...readyEsPod().metadata, annotations: { 'pub.kruise.io/related-pub': 'es-pub' } } };
  // A namespace whose delete counts its active pods and Bound PVCs (es-0 runs: refused).
  const cascadingNamespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench', labels: { 'policy.kruise.io/delete-protection': 'Cascading' } } };
  const protectedCloneSet = { ...cloneSet, metadata: { ...cloneSet.metadata, labels: { ...cloneSet.metadata.labels, 'policy.kruise.io/delete-protection': 'Always' } } };
  return [
    { name: 'mutate Pod (every policy)', path: '/mutate-pod', body: review({ group: '', version: 'v1', kind: 'Pod' }, 'pods', policiesPod) },
    { name: 'validate Pod DELETE (PUB budget)', path: '/validate-pod', body: deleteReview({ group: '', version: 'v1', kind: 'Pod' }, 'pods', 'es-0', relatedEsPod) },
    { name: 'validate deletion protection (CloneSet)', path: '/validate-deletion-protection', body: deleteReview({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'CloneSet' }, 'clonesets', 'web', protectedCloneSet) },
    { name: 'validate deletion protection (Cascading ns)', path: '/validate-deletion-protection', body: deleteReview({ group: '', version: 'v1', kind: 'Namespace' }, 'namespaces', 'bench', cascadingNamespace) },
    { name: 'validate CloneSet (v1beta1 CREATE)', path: '/validate-apps-kruise-io-cloneset', body: review({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'CloneSet' }, 'clonesets', cloneSet) },
    { name: 'mutate CloneSet (v1alpha1 seed CREATE)', path: '/mutate-apps-kruise-io-cloneset', body: review({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'CloneSet' }, 'clonesets', seed) },
    { name: 'mutate Pod (4 SidecarSets inject)', path: '/mutate-pod', body: review({ group: '', version: 'v1', kind: 'Pod' }, 'pods', esPod) },
    { name: 'mutate Pod (no SidecarSet selects it)', path: '/mutate-pod', body: review({ group: '', version: 'v1', kind: 'Pod' }, 'pods', pod) },
  ];
}

function post(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends one request and returns what the webhook answered, in a few words (checks the scenario does what it says). */
function answerOf(agent: Agent, url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const { response } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { response: { allowed: boolean; patch?: string; status?: { message?: string } } };
        const patch = response.patch === undefined ? [] : (JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as { path: string }[]);
        const added = patch.filter((op) => /^\/spec\/(initContainers|containers)/.test(op.path)).length;
        const barriers = patch.filter((op) => JSON.stringify(op).includes('KRUISE_CONTAINER_BARRIER')).length;
        const related = patch.some((op) => JSON.stringify(op).includes('related-pub'));
        const spread = patch.some((op) => JSON.stringify(op).includes('matched-workloadspread'));
        const extras = `${barriers > 0 ? `, launch barriers in ${String(barriers)}` : ''}${related ? ', related-pub annotated' : ''}${spread ? ', WorkloadSpread subset injected' : ''}`;
        resolve(response.allowed ? `allowed, ${String(patch.length)} patch operations (${String(added)} on containers${extras})` : `denied: ${response.status?.message ?? ''}`);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** What stalled one process during a scenario: its event loop's delay and its garbage collections. */
interface ProcessStats {
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  readonly gcCount: number;
  readonly gcTotalMs: number;
  readonly gcMaxMs: number;
  /** Mark-sweep-compact collections (the long ones). */
  readonly majorGcCount: number;
}

/** Watches this process's event-loop delay (1 ms resolution) and GC pauses from `reset()` to `snapshot()`. */
function watchProcess(): { reset(): void; snapshot(): ProcessStats } {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gc = { count: 0, total: 0, max: 0, major: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.total += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    reset() {
      loop.reset();
      gc = { count: 0, total: 0, max: 0, major: 0 };
    },
    snapshot: () => ({ loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6, gcCount: gc.count, gcTotalMs: gc.total, gcMaxMs: gc.max, majorGcCount: gc.major }),
  };
}

const describeStats = (who: string, stats: ProcessStats): string =>
  `${who} loop delay p99 ${stats.loopP99Ms.toFixed(1)} max ${stats.loopMaxMs.toFixed(1)} ms, GC ${String(stats.gcCount)} (${String(stats.majorGcCount)} major) ${stats.gcTotalMs.toFixed(1)} ms, longest ${stats.gcMaxMs.toFixed(1)} ms`;

const loadAverage = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * Sends `rate` requests per second for `seconds`, each due at its slot; returns the latencies (ms)
 * from sending (what one apiserver call waits) and from the slot (adds any lateness of the
 * generator: the open-loop figure), and the failures.
 */
async function load(agent: Agent, url: string, body: string, rate: number, seconds: number): Promise<{ latencies: number[]; fromSlot: number[]; failures: number }> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const fromSlot: number[] = [];
  let failures = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inflight.push(
      post(agent, url, body).then(
        (status) => {
          const end = performance.now();
          if (status !== 200) failures++;
          latencies.push(end - sent);
          fromSlot.push(end - due);
        },
        () => {
          failures++;
        },
      ),
    );
  }
  await Promise.all(inflight);
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  return { latencies: sorted(latencies), fromSlot: sorted(fromSlot), failures };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '8' }, reads: { type: 'string', default: 'cache' } } });
  if (values.reads !== 'cache' && values.reads !== 'api') throw new Error(`--reads must be cache or api, got ${values.reads}`);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, [SERVER_ROLE]: '1', [READS]: values.reads } });
  const { url, caPem, handlerTimes } = await new Promise<{ url: string; caPem: string; handlerTimes: string[] }>((resolve) => child.once('message', (m) => {
    resolve(m as { url: string; caPem: string; handlerTimes: string[] });
  }));
  console.log(`reads: ${values.reads === 'cache' ? 'informer cache (the manager’s)' : 'API server per request'}`);
  for (const line of handlerTimes) console.log(line);
  const agent = new Agent({ keepAlive: true, maxSockets: Number(values.connections), ca: caPem });
  console.log(`webhook server ${url} (separate process); ${String(rate)} requests/s for ${String(seconds)} s per scenario, ${values.connections} keep-alive connections`);
  // Every scenario warmed (JIT of both processes' HTTP paths, TLS sessions) before any is measured.
  // One stall of the shared machine (GC, another process) of 100 ms delays ~20 requests at 200/s:
  // p99 of 2000 is that stall, whichever scenario it falls in; the in-process figures are not.
  for (const scenario of scenarios()) {
    console.log(`${scenario.name}: ${await answerOf(agent, `${url}${scenario.path}`, scenario.body)}`);
    await load(agent, `${url}${scenario.path}`, scenario.body, rate, 1);
  }
  // Each scenario's stalls in both processes: a p99 near a loop delay or a GC pause of the client
  // is the load generator's, of the server the webhook's.
  const clientStats = watchProcess();
  const serverStats = (): Promise<ProcessStats> =>
    new Promise((resolve) => {
      const onMessage = (message: { type?: string; stats?: ProcessStats }): void => {
        if (message.type !== 'stats' || message.stats === undefined) return;
        child.off('message', onMessage);
        resolve(message.stats);
      };
      child.on('message', onMessage);
      child.send({ type: 'stats' });
    });
  // The load generator starts each scenario on a collected heap: what it carried from the last one
  // (or from its start) is its own, not the webhook's. The server is not collected: its garbage is the webhook's.
  setFlagsFromString('--expose-gc');
  const collectClient = runInNewContext('gc') as () => void;
  for (const scenario of scenarios()) {
    collectClient();
    // Let the observer deliver that collection's entry before the count starts.
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.send({ type: 'reset' });
    clientStats.reset();
    const { latencies, fromSlot, failures } = await load(agent, `${url}${scenario.path}`, scenario.body, rate, seconds);
    const client = clientStats.snapshot();
    const server = await serverStats();
    const ms = (values: readonly number[], q: number): string => quantile(values, q).toFixed(2);
    console.log(
      `${scenario.name.padEnd(40)} n=${String(latencies.length)} failed=${String(failures)}  p50 ${ms(latencies, 0.5)} ms  p90 ${ms(latencies, 0.9)} ms  p99 ${ms(latencies, 0.99)} ms  max ${ms(latencies, 1)} ms  (open-loop p99 ${ms(fromSlot, 0.99)} ms)`,
    );
    console.log(`${''.padEnd(40)} ${describeStats('server', server)}; ${describeStats('client', client)}; load ${loadAverage()}`);
  }
  agent.destroy();
  child.disconnect();
}

if (isServer) await serve();
else await main();
