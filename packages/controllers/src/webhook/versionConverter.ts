import { zodIssuesToProblems } from '@kruise-ts/core';
import type { ResourceType } from '@kruise-ts/k8s-adapter';
import { problemsMessage } from './admissionDecisions.js';
import type { ConversionOutcome, Converter } from './admissionTypes.js';

type Json = Record<string, unknown>;
type Issues = Parameters<typeof zodIssuesToProblems>[0];

/** One served version of a Kruise kind: its apiVersion, the schema that reads it, and the conversion to the other version. */
export interface ServedVersion<From> {
  readonly apiVersion: string;
  readonly schema: { safeParse(input: unknown): { success: true; data: From } | { success: false; error: { issues: Issues } } };
  /** Converts an object read in this version to the other one. */
  readonly convert: (value: From) => object;
}

/**
 * Returns the conversion webhook of a Kruise kind served as `v1alpha1` and `v1beta1` (CloneSet,
 * Advanced StatefulSet, Advanced DaemonSet): an object in the desired version comes back as it
 * is; otherwise it is read with its version's schema (a problem fails the conversion, naming the
 * field) and converted.
 *
 * @example versionConverter(KruiseResources.CloneSet, alpha, beta).convert({ apiVersion: 'apps.kruise.io/v1alpha1', ... }, 'apps.kruise.io/v1beta1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1beta1', ... } }
 */
export function versionConverter<A, B>(resource: Pick<ResourceType, 'group' | 'kind' | 'plural'>, alpha: ServedVersion<A>, beta: ServedVersion<B>): Converter {
  const read = <T>(version: ServedVersion<T>, object: Json): ConversionOutcome => {
    const parsed = version.schema.safeParse(object);
    if (!parsed.success) return { kind: 'failed', message: `cannot read the ${resource.kind}: ${problemsMessage(zodIssuesToProblems(parsed.error.issues))}` };
    return { kind: 'converted', object: version.convert(parsed.data) as Json };
  };
  return {
    group: resource.group,
    kind: resource.kind,
    plural: resource.plural,
    convert(object, desiredAPIVersion) {
      const from = object.apiVersion;
      if (from === desiredAPIVersion) return { kind: 'converted', object };
      if (from === alpha.apiVersion && desiredAPIVersion === beta.apiVersion) return read(alpha, object);
      if (from === beta.apiVersion && desiredAPIVersion === alpha.apiVersion) return read(beta, object);
      return { kind: 'failed', message: `cannot convert a ${resource.kind} from ${typeof from === 'string' ? from : 'no apiVersion'} to ${desiredAPIVersion}` };
    },
  };
}
