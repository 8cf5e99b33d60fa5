import { aRevision } from '@kruise-ts/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeTemplate, findRevision, historyRows, historyTable } from './rolloutHistory.js';

const numbered = (...numbers: number[]) => numbers.map((n) => ({ ...aRevision({ name: `web-${String(n)}`, image: `nginx:${String(n)}` }), revision: n }));

describe('historyTable', () => {
  it.each([
    { story: 'no revisions', rows: [], want: 'No rollout history found.\n' },
    { story: 'two revisions, one with a cause', rows: [{ revision: 1, name: 'a', changeCause: undefined }, { revision: 2, name: 'b', changeCause: 'image 2' }], want: 'REVISION  CHANGE-CAUSE\n1         <none>\n2         image 2\n' },
    { story: 'a wide revision number widens the column', rows: [{ revision: 1234567890, name: 'a', changeCause: 'x' }], want: 'REVISION    CHANGE-CAUSE\n1234567890  x\n' },
  ])('$story', ({ rows, want }) => {
    expect(historyTable(rows)).toBe(want);
  });

  it('historyRows reads kubernetes.io/change-cause', () => {
    const [r] = numbered(3);
    const annotated = { ...r!, metadata: { ...r!.metadata, annotations: { 'kubernetes.io/change-cause': 'kubectl set image' } } };
    expect(historyRows([annotated])).toEqual([{ revision: 3, name: 'web-3', changeCause: 'kubectl set image' }]);
  });
});

describe('findRevision (kubectl findHistory)', () => {
  it.each([
    { story: '#1 #2 #3, to 0 → the one before the newest', revisions: [1, 2, 3], to: 0, want: 2 },
    { story: '#1 #2 #3, to 1', revisions: [1, 2, 3], to: 1, want: 1 },
    { story: 'a single revision, to 0', revisions: [1], to: 0, want: 'no last revision to roll back to' },
    { story: 'a missing number', revisions: [1, 2], to: 7, want: 'unable to find specified revision 7 in history' },
    { story: 'a negative number', revisions: [1, 2], to: -1, want: 'unable to find specified revision -1 in history' },
  ])('$story', ({ revisions, to, want }) => {
    const found = findRevision(numbered(...revisions), to);
    expect(found.kind === 'found' ? found.revision.revision : found.message).toBe(want);
  });

  it('to 0 is always the second newest of a sorted history', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 20 }), (numbers) => {
        const sorted = [...numbers].sort((a, b) => a - b);
        const found = findRevision(numbered(...sorted), 0);
        expect(found.kind === 'found' ? found.revision.revision : undefined).toBe(sorted.at(-2));
      }),
    );
  });
});

describe('describeTemplate', () => {
  it('prints labels, annotations, each container with image, port, command, env and mounts, and volumes', () => {
    const text = describeTemplate({
      metadata: { labels: { app: 'web', tier: 'a' } },
      spec: {
        containers: [{ name: 'main', image: 'nginx:2', ports: [{ containerPort: 80 }], command: ['nginx', '-g'], env: [{ name: 'MODE', value: 'fast' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data' }],
      },
    });
    expect(text).toBe(
      [
        'Pod Template:',
        '  Labels:\tapp=web\n\ttier=a',
        '  Annotations:\t<none>',
        '  Containers:',
        '   main:',
        '    Image:\tnginx:2',
        '    Port:\t80/TCP',
        '    Command:',
        '      nginx',
        '      -g',
        '    Environment:',
        '      MODE:\tfast',
        '    Mounts:',
        '      /data from data (rw)',
        '  Volumes:',
        '   data',
        '',
      ].join('\n'),
    );
  });
});
