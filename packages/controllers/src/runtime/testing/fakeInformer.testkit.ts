import type { Informer, InformerEvent, KubeObject, ObjectStore } from '@kruise-ts/k8s-adapter';
import { Subject } from 'rxjs';

/** An {@link Informer} for tests: push events with `emit`, resolve `synced` with `markSynced`. */
export interface FakeInformer<T extends KubeObject> extends Informer<T> {
  emit(event: InformerEvent<T>): void;
  markSynced(): void;
  failSync(error: Error): void;
}

/** Returns a Subject-backed {@link FakeInformer} whose store is empty. */
export function createFakeInformer<T extends KubeObject>(): FakeInformer<T> {
  const events = new Subject<InformerEvent<T>>();
  let markSynced = (): void => undefined;
  let failSync = (_error: Error): void => undefined;
  const synced = new Promise<void>((resolve, reject) => {
    markSynced = resolve;
    failSync = reject;
  });
  const store: ObjectStore<T> = { get: () => undefined, list: () => [], byIndex: () => [], resourceVersion: '' };
  return {
    events$: events.asObservable(),
    synced,
    store,
    stop: () => { events.complete(); },
    emit: (event) => { events.next(event); },
    markSynced,
    failSync,
  };
}

/** Returns a minimal object for events: `pod('default', 'web-1', { generation: 2 })`. */
export function fakeObject(namespace: string | undefined, name: string, metadata: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name, ...(namespace === undefined ? {} : { namespace }), ...metadata } };
}
