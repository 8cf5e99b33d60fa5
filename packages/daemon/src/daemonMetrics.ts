import { Counter, Gauge, type Registry } from 'prom-client';
import type { ImagePullController } from './imagepull/createImagePullController.js';

/**
 * Registers the daemon's metrics on `registry`, read from `controller` at scrape time:
 * `kruise_ts_daemon_image_pull_tasks{state="queued|running|finished"}` and
 * `kruise_ts_daemon_nodeimage_status_writes_total`. Returns the counter of finished pulls,
 * `kruise_ts_daemon_image_pulls_total{result="succeeded|failed"}`, for the event hook to bump.
 */
export function registerDaemonMetrics(registry: Registry, controller: ImagePullController): Counter<'result'> {
  new Gauge({
    name: 'kruise_ts_daemon_image_pull_tasks',
    help: 'Image pulling tasks of this node by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const [state, n] of Object.entries(controller.puller.counts())) this.set({ state }, n);
    },
  });
  let seen = 0;
  new Counter({
    name: 'kruise_ts_daemon_nodeimage_status_writes_total',
    help: 'NodeImage status writes.',
    registers: [registry],
    collect() {
      const now = controller.writer.writes();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
  return new Counter({ name: 'kruise_ts_daemon_image_pulls_total', help: 'Finished image pulls by result.', labelNames: ['result'], registers: [registry] });
}
