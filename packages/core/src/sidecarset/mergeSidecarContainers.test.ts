import { describe, expect, it } from 'vitest';
import type { SidecarContainer } from '../api/sidecarSet.js';
import { mergeSidecarContainers } from './mergeSidecarContainers.js';

// TestMergeSidecarContainers and TestInjectInitContainerSort of OpenKruise's pod webhook.
const podContainers = [{ name: 'sidecar-1' }, { name: 'app-container' }, { name: 'sidecar-2' }];
const sidecars: SidecarContainer[] = [
  { name: 'sidecar-1', podInjectPolicy: 'AfterAppContainer' },
  { name: 'sidecar-2', podInjectPolicy: 'AfterAppContainer' },
  { name: 'new-sidecar-1', podInjectPolicy: 'BeforeAppContainer' },
];
const byName = (list: SidecarContainer[]) => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));

describe('mergeSidecarContainers', () => {
  it.each<[string, { name: string }[], SidecarContainer[], string[]]>([
    ['origins not sidecar, and inject new sidecar', podContainers.slice(1, 2), sidecars, ['new-sidecar-1', 'app-container', 'sidecar-1', 'sidecar-2']],
    ['only before app container', podContainers.slice(1, 2), sidecars.slice(2), ['new-sidecar-1', 'app-container']],
    ['only after app container', podContainers.slice(1, 2), sidecars.slice(0, 2), ['app-container', 'sidecar-1', 'sidecar-2']],
    ['origin have sidecars, sidecar no new containers', podContainers, sidecars.slice(0, 2), ['sidecar-1', 'app-container', 'sidecar-2']],
    ['origin have sidecars, sidecar have new containers', podContainers, sidecars, ['new-sidecar-1', 'sidecar-1', 'app-container', 'sidecar-2']],
    ['origin no sidecar, sidecar have new containers', [], sidecars, ['new-sidecar-1', 'sidecar-1', 'sidecar-2']],
    ['init: origins nil, inject (a, c, b)', [], byName([{ name: 'a-init' }, { name: 'c-init' }, { name: 'b-init' }]), ['a-init', 'b-init', 'c-init']],
    ['init: after the pod init containers', [{ name: 'app1-init' }, { name: 'app2-init' }], byName([{ name: 'a-init' }, { name: 'c-init' }, { name: 'b-init' }]), ['app1-init', 'app2-init', 'a-init', 'b-init', 'c-init']],
    [
      'init: policies honoured',
      [{ name: 'app1-init' }, { name: 'app2-init' }],
      byName([{ name: 'a-init', podInjectPolicy: 'AfterAppContainer' }, { name: 'c-init', podInjectPolicy: 'BeforeAppContainer' }, { name: 'b-init', podInjectPolicy: 'BeforeAppContainer' }]),
      ['b-init', 'c-init', 'app1-init', 'app2-init', 'a-init'],
    ],
  ])('%s', (_story, origins, injected, expected) => {
    expect(mergeSidecarContainers(origins, injected).map((c) => c.name)).toEqual(expected);
  });
});
