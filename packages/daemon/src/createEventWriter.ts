import { Resources, type Clock, type EventSink, type KubeClient, type KubeEvent } from '@kruise-ts/k8s-adapter';

/** Options of {@link createEventWriter}. */
export interface EventWriterOptions {
  readonly client: KubeClient;
  readonly clock: Clock;
  /** `source.component`, e.g. `kruise-daemon-imagepuller` (OpenKruise's). */
  readonly component: string;
  /** `source.host`: the node. */
  readonly host: string;
  readonly onError?: ((error: unknown, event: KubeEvent) => void) | undefined;
}

/**
 * Returns an {@link EventSink} writing each event as a core/v1 Event (fire and forget; a failed
 * write goes to `onError`). The daemon records few events (one per finished pull), so unlike the
 * manager's recorder it neither aggregates nor rate-limits. Events of cluster-scoped subjects
 * (the NodeImage) go to `default`, as client-go's recorder puts them.
 *
 * @example sink.emit({ subject: { kind: 'NodeImage', name: 'node-a' }, type: 'Normal', reason: 'PullImageSucceed', message: 'Image app:1, ecalpsedTime 3s' })
 */
export function createEventWriter(options: EventWriterOptions): EventSink {
  return {
    emit(event) {
      const at = new Date(options.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const namespace = event.subject.namespace ?? 'default';
      const body = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { namespace, generateName: `${event.subject.name}.` },
        involvedObject: { ...event.subject, namespace: event.subject.namespace },
        type: event.type,
        reason: event.reason,
        message: event.message,
        source: { component: options.component, host: options.host },
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
      };
      options.client.create(Resources.Event, body as never).catch((error: unknown) => options.onError?.(error, event));
    },
  };
}
