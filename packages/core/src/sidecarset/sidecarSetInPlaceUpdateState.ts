import { z } from 'zod';
import { SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { parseAnnotationJson } from '../inplace/annotationJson.js';
import { InPlaceUpdateStateSchema, serializeInPlaceUpdateState, type InPlaceUpdateState } from '../inplace/inPlaceUpdateState.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { sidecarSetHash } from './sidecarSetHash.js';

/**
 * The pod annotation `kruise.io/sidecarset-inplace-update-state`: per SidecarSet, the in-place
 * update state (the shared engine's `InPlaceUpdateState` shape) recorded when the SidecarSet
 * controller changes sidecar images, so that completion can be told from the imageIDs.
 */

/** The states in a pod's annotation, by SidecarSet name. */
export type SidecarSetInPlaceUpdateStates = Readonly<Record<string, InPlaceUpdateState>>;

/** A read of the annotation: the states, nothing, or why it is unreadable. */
export type SidecarSetInPlaceUpdateStatesRead =
  | { readonly kind: 'parsed'; readonly states: SidecarSetInPlaceUpdateStates }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly message: string };

const StatesSchema = z.record(z.string(), InPlaceUpdateStateSchema);

/**
 * Returns the per-SidecarSet in-place update states recorded on a pod.
 *
 * @example readSidecarSetInPlaceUpdateStates(pod) → { kind: 'parsed', states: { log: { revision: 'x8d…', lastContainerStatuses: { fluentd: { imageID: 'sha256:1' } } } } }
 */
export function readSidecarSetInPlaceUpdateStates(pod: Pod): SidecarSetInPlaceUpdateStatesRead {
  const text = pod.metadata.annotations?.[SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION];
  if (text === undefined) return { kind: 'missing' };
  const parsed = parseAnnotationJson(text, StatesSchema);
  return parsed.kind === 'parsed' ? { kind: 'parsed', states: parsed.value } : parsed;
}

/**
 * Returns the annotation text of states: SidecarSet names sorted, each state as `serializeInPlaceUpdateState` writes it.
 *
 * @example { log: { revision: 'h', updateTimestamp: 't', lastContainerStatuses: {} } } → '{"log":{"revision":"h","updateTimestamp":"t","lastContainerStatuses":{}}}'
 */
export function serializeSidecarSetInPlaceUpdateStates(states: SidecarSetInPlaceUpdateStates): string {
  const entries = Object.keys(states)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${serializeInPlaceUpdateState(states[name] as InPlaceUpdateState)}`);
  return `{${entries.join(',')}}`;
}

/**
 * Returns the annotation text after the SidecarSet changed `changedContainers` of the pod
 * (OpenKruise's `UpdatePodAnnotationsInUpgrade`): the SidecarSet's state is kept when it has one
 * (revision and time unchanged) or created `{ revision: <hash>, updateTimestamp: now }`, and each
 * changed container's current `imageID` is recorded in `lastContainerStatuses`. An unreadable
 * annotation is started afresh.
 *
 * @example no state, fluentd changed (imageID sha256:1) → '{"log":{"revision":"x8d…","updateTimestamp":"…","lastContainerStatuses":{"fluentd":{"imageID":"sha256:1"}}}}'
 */
export function recordSidecarUpgrade(pod: Pod, ss: SidecarSet, changedContainers: readonly string[], now: EpochMs): string {
  const read = readSidecarSetInPlaceUpdateStates(pod);
  const states: Record<string, InPlaceUpdateState> = read.kind === 'parsed' ? { ...read.states } : {};
  const name = ss.metadata?.name ?? '';
  const state = states[name] ?? { revision: sidecarSetHash(ss), updateTimestamp: formatTime(now) };
  const imageIDs = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s.imageID ?? '']));
  const recorded = Object.fromEntries(changedContainers.map((c) => [c, { imageID: imageIDs.get(c) ?? '' }]));
  states[name] = { ...state, lastContainerStatuses: { ...state.lastContainerStatuses, ...recorded } };
  return serializeSidecarSetInPlaceUpdateStates(states);
}
