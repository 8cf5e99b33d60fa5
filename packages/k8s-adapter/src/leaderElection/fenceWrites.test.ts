import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../ports.js';
import { Resources } from '../resourceType.js';
import { NotLeaderError, fenceWrites } from './fenceWrites.js';

/** A client that records the calls it receives and answers each with its object. */
function recordingClient() {
  const calls: string[] = [];
  const answer = (name: string) => (...args: unknown[]) => {
    calls.push(name);
    return Promise.resolve(args[1]);
  };
  const client = {
    get: answer('get'),
    list: answer('list'),
    create: answer('create'),
    replace: answer('replace'),
    patch: answer('patch'),
    delete: answer('delete'),
    watch: () => {
      calls.push('watch');
      return (async function* () {})();
    },
    request: answer('request'),
  } as unknown as KubeClient;
  return { client, calls };
}

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'ns' } };
const key = { name: 'web-0', namespace: 'ns' };
const writes = (c: KubeClient): [string, () => Promise<unknown>][] => [
  ['create pods web-0', () => c.create(Resources.Pod, pod as never)],
  ['replace pods web-0', () => c.replace(Resources.Pod, pod as never)],
  ['patch pods web-0', () => c.patch(Resources.Pod, key, { type: 'merge', body: {} })],
  ['delete pods web-0', () => c.delete(Resources.Pod, key)],
  ['POST /api/v1/namespaces/ns/pods', () => c.request('POST', '/api/v1/namespaces/ns/pods')],
];

describe('fenceWrites', () => {
  it('sends every write while leading', async () => {
    const { client, calls } = recordingClient();
    for (const [, write] of writes(fenceWrites(client, () => true))) await write();
    expect(calls).toEqual(['create', 'replace', 'patch', 'delete', 'request']);
  });

  it.each(writes(fenceWrites(recordingClient().client, () => false)).map(([op]) => [op]))('not leading: %s is refused with NotLeaderError', async (op) => {
    const { client, calls } = recordingClient();
    const write = writes(fenceWrites(client, () => false)).find(([name]) => name === op)?.[1];
    await expect(write?.()).rejects.toThrow(new NotLeaderError(op));
    expect(calls).toEqual([]); // nothing reached the apiserver
  });

  it('reads and watches pass while not leading', async () => {
    const { client, calls } = recordingClient();
    const fenced = fenceWrites(client, () => false);
    await fenced.get(Resources.Pod, key);
    await fenced.list(Resources.Pod, {});
    await fenced.request('GET', '/version');
    fenced.watch(Resources.Pod, {});
    expect(calls).toEqual(['get', 'list', 'request', 'watch']);
  });

  it('wraps a partial client (the events client) keeping only its methods', async () => {
    const { client, calls } = recordingClient();
    const events: Pick<KubeClient, 'create' | 'patch'> = { create: client.create.bind(client), patch: client.patch.bind(client) };
    const fenced = fenceWrites(events, () => false);
    expect(Object.keys(fenced).sort()).toEqual(['create', 'patch']);
    await expect(fenced.create(Resources.Pod, pod as never)).rejects.toBeInstanceOf(NotLeaderError);
    expect(calls).toEqual([]);
  });
});
