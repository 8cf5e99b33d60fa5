/**
 * A JSON object as it comes off (or goes onto) the wire: an AdmissionReview or ConversionReview
 * body, an object inside one, or a webhook configuration entry, before any schema has parsed it.
 *
 * @example `{ "apiVersion": "apps.kruise.io/v1beta1", "kind": "CloneSet" }` is a JsonObject; `[1, 2]` and `"x"` are not.
 */
export type JsonObject = Record<string, unknown>;

/** Tells whether `value` is a {@link JsonObject}: `{}` → true; `null`, `[]`, `'x'` → false. */
export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
