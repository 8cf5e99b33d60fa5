import { beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/errors.js';
import { Resources } from '../../src/resourceType.js';
import { eventually, newNamespace, pod, rejection, type ContractTarget } from './contractTarget.js';

/** Lists: label selectors (string form), field selectors, order and paging. */
export function selectorContract(target: () => ContractTarget): void {
  describe('list and selectors', () => {
    let ns: string;
    beforeAll(async () => {
      const { client } = target();
      ns = await newNamespace(client);
      const labels: Record<string, Record<string, string>> = { 'c-3': { app: 'web', tier: 'a' }, 'c-1': { app: 'web', tier: 'b', canary: 'true' }, 'c-2': { app: 'db' }, 'c-4': {} };
      for (const [name, l] of Object.entries(labels)) await client.create(Resources.ConfigMap, { metadata: { name, namespace: ns, labels: l } });
    });
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
      (await target().client.list(Resources.ConfigMap, { namespace: ns, labelSelector, fieldSelector })).items.map((c) => c.metadata.name ?? '');

    it.each<[string, string[]]>([
      ['', ['c-1', 'c-2', 'c-3', 'c-4']],
      ['app=web', ['c-1', 'c-3']],
      ['app==web,tier=a', ['c-3']],
      ['app!=web', ['c-2', 'c-4']],
      ['tier in (a, b)', ['c-1', 'c-3']],
      ['tier notin (a)', ['c-1', 'c-2', 'c-4']],
      ['app,!canary', ['c-2', 'c-3']],
      ['!app', ['c-4']],
    ])('label selector %j selects %j, in name order', async (selector, expected) => {
      expect(await names(selector)).toEqual(expected);
    });

    it('field selectors on metadata.name and metadata.namespace', async () => {
      expect(await names(undefined, 'metadata.name=c-2')).toEqual(['c-2']);
      expect(await names(undefined, 'metadata.name!=c-2,metadata.namespace=' + ns)).toEqual(['c-1', 'c-3', 'c-4']);
    });

    it('field selectors on spec.nodeName and status.phase of pods', async () => {
      const target_ = target();
      const { client } = target_;
      await client.create(Resources.Pod, pod('bound', ns, { nodeName: target_.nodeName }));
      await client.create(Resources.Pod, pod('held', ns, { nodeName: 'no-such-node' }));
      await eventually(target_, async () => {
        const running = await client.list(Resources.Pod, { namespace: ns, fieldSelector: 'status.phase=Running' });
        expect(running.items.map((p) => p.metadata.name)).toEqual(['bound']);
      });
      const onNode = await client.list(Resources.Pod, { fieldSelector: `spec.nodeName=${target_.nodeName},metadata.namespace=${ns}` });
      expect(onNode.items.map((p) => p.metadata.name)).toEqual(['bound']);
      const pending = await client.list(Resources.Pod, { namespace: ns, fieldSelector: 'status.phase!=Running' });
      expect(pending.items.map((p) => p.metadata.name)).toEqual(['held']);
    });

    it('lists across namespaces in namespace then name order, following pages of `limit`', async () => {
      const { client } = target();
      const other = await newNamespace(client);
      await client.create(Resources.ConfigMap, { metadata: { name: 'c-0', namespace: other, labels: { app: 'web' } } });
      const all = await client.list(Resources.ConfigMap, { labelSelector: 'app=web', limit: 1 });
      const keys = all.items.map((c) => `${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`).filter((k) => k.startsWith(`${ns}/`) || k.startsWith(`${other}/`));
      expect(keys).toEqual([`${ns}/c-1`, `${ns}/c-3`, `${other}/c-0`].sort());
      expect(all.items.every((c) => c.kind === 'ConfigMap' && c.apiVersion === 'v1')).toBe(true);
    });

    it('refuses selectors it cannot parse or fields it does not index (BadRequest)', async () => {
      const { client } = target();
      const label = await rejection(client.list(Resources.ConfigMap, { namespace: ns, labelSelector: 'a b c' }));
      expect(label).toBeInstanceOf(BadRequestError);
      expect(label.status.message).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
      const field = await rejection(client.list(Resources.Pod, { namespace: ns, fieldSelector: 'spec.foo=bar' }));
      expect(field.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' });
    });
  });
}
