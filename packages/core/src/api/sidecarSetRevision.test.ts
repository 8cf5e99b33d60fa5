import { describe, expect, it } from 'vitest';
import { sidecarSet } from '../sidecarset/sidecarset.testkit.js';
import { SIDECARSET_NAME_LABEL } from './labels.js';
import { buildSidecarSetRevision, planSidecarSetRevision } from './sidecarSetRevision.js';

const log = (image: string) => sidecarSet('log', { containers: [{ name: 'fluentd', image }] });
const revisionOf = (image: string, revision: number) => buildSidecarSetRevision({ sidecarSet: log(image), namespace: 'kruise-system', revision, collisionCount: 0 });

describe('planSidecarSetRevision', () => {
  const plan = (image: string, revisions: ReturnType<typeof revisionOf>[]) => planSidecarSetRevision({ sidecarSet: log(image), namespace: 'kruise-system', collisionCount: 0, revisions });

  it('creates revision #1, labelled with the SidecarSet name, when there is none', () => {
    const result = plan('fluentd:1', []);
    expect(result.kind).toBe('create');
    expect(result.revision).toMatchObject({ revision: 1, metadata: { namespace: 'kruise-system', labels: { [SIDECARSET_NAME_LABEL]: 'log' } } });
  });

  it.each([
    ['the spec is the newest revision: used as is', 'fluentd:2', 'existing', 2],
    ['the spec went back to an older revision: renumbered to be the newest', 'fluentd:1', 'renumber', 1],
    ['a new spec: created with the next number', 'fluentd:3', 'create', 3],
  ])('%s', (_story, image, kind, revision) => {
    const result = plan(image, [revisionOf('fluentd:1', 1), revisionOf('fluentd:2', 2)]);
    expect(result.kind).toBe(kind);
    expect(result.revision.revision).toBe(revision);
    if (result.kind === 'renumber') expect(result.revisionNumber).toBe(3);
  });

  it('names the revision after the data and the collision count', () => {
    const first = planSidecarSetRevision({ sidecarSet: log('fluentd:1'), namespace: 'kruise-system', collisionCount: 0, revisions: [] });
    const bumped = planSidecarSetRevision({ sidecarSet: log('fluentd:1'), namespace: 'kruise-system', collisionCount: 1, revisions: [] });
    expect(first.revision.metadata.name).toMatch(/^log-/);
    expect(bumped.revision.metadata.name).not.toBe(first.revision.metadata.name);
  });
});
