import type { WebhookRegistry } from './webhookRegistry.js';
import { isJsonObject as isObject, type JsonObject } from './jsonObject.js';

/** apiVersion of the ConversionReviews the server speaks. */
export const CONVERSION_REVIEW_API_VERSION = 'apiextensions.k8s.io/v1';

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** The request of a ConversionReview: the objects to convert and the version wanted. */
export interface ConversionRequest {
  readonly uid: string;
  /** e.g. `apps.kruise.io/v1alpha1`. */
  readonly desiredAPIVersion: string;
  readonly objects: readonly JsonObject[];
}

/** Returns the request of an `apiextensions.k8s.io/v1` ConversionReview, or why the body is not one. */
export function parseConversionReview(body: unknown): { readonly kind: 'ok'; readonly request: ConversionRequest } | { readonly kind: 'invalid'; readonly message: string } {
  const invalid = (message: string) => ({ kind: 'invalid', message }) as const;
  if (!isObject(body)) return invalid('body must be a JSON object (a ConversionReview)');
  if (body.kind !== 'ConversionReview') return invalid(`kind must be ConversionReview, got ${shown(body.kind)}`);
  if (body.apiVersion !== CONVERSION_REVIEW_API_VERSION) return invalid(`apiVersion must be ${CONVERSION_REVIEW_API_VERSION}, got ${shown(body.apiVersion)}`);
  const request = body.request;
  if (!isObject(request)) return invalid('request must be an object');
  if (typeof request.uid !== 'string' || request.uid === '') return invalid('request.uid must be a non-empty string');
  if (typeof request.desiredAPIVersion !== 'string' || !request.desiredAPIVersion.includes('/')) return invalid('request.desiredAPIVersion must be group/version');
  if (!Array.isArray(request.objects) || !request.objects.every(isObject)) return invalid('request.objects must be an array of objects');
  return { kind: 'ok', request: { uid: request.uid, desiredAPIVersion: request.desiredAPIVersion, objects: request.objects } };
}

/**
 * Returns the ConversionReview answering `request`: every object converted by the registry's
 * converter of its group and kind (objects already in the desired version are returned as they
 * are), or `result.status: Failure` with the first object's problem when any cannot be converted;
 * the apiserver then fails the whole read or write.
 *
 * @example a v1beta1 CloneSet asked for as `apps.kruise.io/v1alpha1` →
 *   `{ response: { uid, result: { status: 'Success' }, convertedObjects: [<the v1alpha1 CloneSet>] } }`
 */
export function convertObjects(registry: WebhookRegistry, request: ConversionRequest): { review: JsonObject; failed: boolean } {
  const converted: JsonObject[] = [];
  const failure = (message: string) => ({
    review: { apiVersion: CONVERSION_REVIEW_API_VERSION, kind: 'ConversionReview', response: { uid: request.uid, convertedObjects: [], result: { status: 'Failure', message } } },
    failed: true,
  });
  const [desiredGroup] = request.desiredAPIVersion.split('/');
  for (const [index, object] of request.objects.entries()) {
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const name = `objects[${String(index)}] (${kind || 'no kind'} ${apiVersion || 'no apiVersion'})`;
    const [group] = apiVersion.split('/');
    if (group !== desiredGroup) return failure(`${name}: cannot convert to ${request.desiredAPIVersion}: another API group`);
    if (apiVersion === request.desiredAPIVersion) {
      converted.push(object);
      continue;
    }
    const converter = registry.converterFor(group ?? '', kind);
    if (converter === undefined) return failure(`${name}: no converter for ${kind}.${group ?? ''}`);
    const outcome = converter.convert(object, request.desiredAPIVersion);
    if (outcome.kind === 'failed') return failure(`${name}: ${outcome.message}`);
    converted.push({ ...outcome.object, apiVersion: request.desiredAPIVersion });
  }
  return {
    review: { apiVersion: CONVERSION_REVIEW_API_VERSION, kind: 'ConversionReview', response: { uid: request.uid, convertedObjects: converted, result: { status: 'Success' } } },
    failed: false,
  };
}
