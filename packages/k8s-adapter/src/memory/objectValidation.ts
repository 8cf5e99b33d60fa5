import type { FieldError } from './apiErrors.js';
import { isJsonObject, type JsonObject, text } from './jsonValue.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const invalidValue = (field: string, value: string, why: string): FieldError => ({ field, reason: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(value)}: ${why}` });

/** Returns the problems of a name: a DNS-1123 subdomain (most kinds) or label (namespaces). */
export function nameErrors(name: string, format: 'subdomain' | 'label'): FieldError[] {
  if (format === 'label') return name.length <= 63 && DNS_LABEL.test(name) ? [] : [invalidValue('metadata.name', name, LABEL_MESSAGE)];
  return name.length <= 253 && DNS_SUBDOMAIN.test(name) ? [] : [invalidValue('metadata.name', name, SUBDOMAIN_MESSAGE)];
}

function labelErrors(labels: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const name = key.slice(slash + 1);
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    if (!NAME_PART.test(name) || name.length > 63) errors.push(invalidValue('metadata.labels', key, NAME_PART_MESSAGE));
    if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) errors.push(invalidValue('metadata.labels', key, `prefix part ${SUBDOMAIN_MESSAGE}`));
    if (typeof value !== 'string' || (value !== '' && (!NAME_PART.test(value) || value.length > 63))) errors.push(invalidValue('metadata.labels', text(value), VALUE_MESSAGE));
  }
  return errors;
}

/**
 * Returns the problems the apiserver finds in an object's metadata: a missing name, a name that
 * is not a DNS-1123 subdomain (label for namespaces), invalid label keys or values.
 */
export function metadataErrors(object: JsonObject, format: 'subdomain' | 'label'): FieldError[] {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const errors: FieldError[] =
    name === '' ? [{ field: 'metadata.name', reason: 'FieldValueRequired', detail: 'Required value: name or generateName is required' }] : nameErrors(name, format);
  if (isJsonObject(metadata.labels)) errors.push(...labelErrors(metadata.labels));
  return errors;
}

/** Returns the time in the apiserver's format (RFC 3339, whole seconds, UTC): `2026-01-01T00:00:00Z`. */
export function formatTime(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
