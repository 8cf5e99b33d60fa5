/**
 * Stateful expectations over `@kruise-ts/core`'s pure ones: what a controller wrote and must see
 * in its cache before it acts again.
 *
 * @packageDocumentation
 */
export { controllerKeyOf, connectObserver, type InformerEventObserver } from './controllerKey.js';
export { createScaleExpectations, type ScaleExpectationsOptions, type ScaleExpectationsTracker } from './scaleExpectations.js';
export {
  createResourceVersionExpectations,
  type ResourceVersionExpectationsOptions,
  type ResourceVersionExpectationsTracker,
} from './resourceVersionExpectations.js';
