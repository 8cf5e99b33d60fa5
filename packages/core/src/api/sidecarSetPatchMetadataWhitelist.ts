import { z } from 'zod';
import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { labelValueProblems, LabelSelectorSchema, matchesLabelSelector, validateLabelSelector, type LabelSelector } from '../shared/selector.js';
import type { SidecarSet } from './sidecarSet.js';
import { compileGoRegexp } from './sidecarSetGoRegexp.js';

/** Key of the whitelist in the `kruise-configuration` ConfigMap (a JSON {@link SidecarSetPatchMetadataWhitelist}). */
export const SIDECARSET_PATCH_METADATA_WHITELIST_KEY = 'SidecarSet_PatchPodMetadata_WhiteList';

/** Schema of one whitelist rule. */
export const SidecarSetPatchMetadataWhitelistRuleSchema = z.looseObject({
  /** SidecarSets (by their labels) the rule applies to; absent = all. */
  selector: LabelSelectorSchema.optional(),
  /** Regular expressions (Go syntax, unanchored, as Go's `MatchString`) of allowed annotation keys. */
  allowedAnnotationKeyExprs: z.array(z.string()).optional(),
});

/** Schema of the whitelist of annotations SidecarSets may patch onto pods (every field may be absent, as in Go). */
export const SidecarSetPatchMetadataWhitelistSchema = z.looseObject({
  rules: z.array(SidecarSetPatchMetadataWhitelistRuleSchema).optional(),
});
/** Which annotation keys which SidecarSets may put on pods with `patchPodMetadata`. */
export type SidecarSetPatchMetadataWhitelist = z.infer<typeof SidecarSetPatchMetadataWhitelistSchema>;

/** The whitelist read from its ConfigMap value, or Go's error for a value OpenKruise cannot read. */
export type SidecarSetPatchMetadataWhitelistParse =
  | { readonly kind: 'parsed'; readonly whitelist: SidecarSetPatchMetadataWhitelist }
  | { readonly kind: 'invalid'; readonly message: string };

/** The whitelist as the webhook reads it from `kruise-configuration`: absent (no ConfigMap or no key), parsed, or unreadable. */
export type SidecarSetPatchMetadataWhitelistRead = SidecarSetPatchMetadataWhitelistParse | { readonly kind: 'absent' };

/*
 * Go's `json.Unmarshal` into OpenKruise's whitelist structs, on a value JSON.parse already read:
 * field names match case-insensitively, unknown fields are ignored, `null` leaves a field unset
 * (or an element its zero value: `[null]` is `[""]`), a field given twice is decoded twice (maps
 * and structs merge), and a value of the wrong JSON type is an error naming the field.
 */

type GoShape =
  | { readonly k: 'string'; readonly goType: string }
  | { readonly k: 'slice' | 'map'; readonly goType: string; readonly elem: GoShape }
  | { readonly k: 'struct'; readonly goType: string; readonly fields: Readonly<Record<string, GoShape>> };

const STRING: GoShape = { k: 'string', goType: 'string' };
const REQUIREMENT: GoShape = { k: 'struct', goType: 'v1.LabelSelectorRequirement', fields: { key: STRING, operator: { k: 'string', goType: 'v1.LabelSelectorOperator' }, values: { k: 'slice', goType: '[]string', elem: STRING } } };
const SELECTOR: GoShape = {
  k: 'struct',
  goType: 'v1.LabelSelector',
  fields: { matchLabels: { k: 'map', goType: 'map[string]string', elem: STRING }, matchExpressions: { k: 'slice', goType: '[]v1.LabelSelectorRequirement', elem: REQUIREMENT } },
};
const RULE: GoShape = { k: 'struct', goType: 'configuration.SidecarSetPatchMetadataWhiteRule', fields: { selector: SELECTOR, allowedAnnotationKeyExprs: { k: 'slice', goType: '[]string', elem: STRING } } };
const WHITELIST: GoShape = { k: 'struct', goType: 'configuration.SidecarSetPatchMetadataWhiteList', fields: { rules: { k: 'slice', goType: '[]configuration.SidecarSetPatchMetadataWhiteRule', elem: RULE } } };

class GoDecodeError extends Error {}

const jsonKind = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
// Go's case folding of field names (ASCII upper-cased, other letters by simple folding).
const fold = (name: string): string => name.replace(/[^]/gu, (c) => (c.charCodeAt(0) < 0x80 ? c.toUpperCase() : c.toLowerCase().toUpperCase()));

interface Context {
  /** Name of the innermost Go struct and the JSON field path, for Go's error text. */
  readonly struct: string;
  readonly path: readonly string[];
}

function typeError(value: unknown, shape: GoShape, context: Context): never {
  const where = context.path.length === 0 ? 'Go value' : `Go struct field ${context.struct.replace(/^.*\./, '')}.${context.path.join('.')}`;
  throw new GoDecodeError(`json: cannot unmarshal ${jsonKind(value)} into ${where} of type ${shape.goType}`);
}

function decode(value: unknown, shape: GoShape, existing: unknown, context: Context): unknown {
  if (value === null) return shape.k === 'string' ? (existing ?? '') : shape.k === 'struct' ? existing : undefined;
  switch (shape.k) {
    case 'string':
      return typeof value === 'string' ? value : typeError(value, shape, context);
    case 'slice':
      return Array.isArray(value) ? value.map((item: unknown) => decode(item, shape.elem, undefined, context)) : typeError(value, shape, context);
    case 'map': {
      if (!isObject(value)) return typeError(value, shape, context);
      const merged: Record<string, unknown> = isObject(existing) ? { ...existing } : {};
      for (const [key, member] of Object.entries(value)) merged[key] = decode(member, shape.elem, undefined, context);
      return merged;
    }
    case 'struct': {
      if (!isObject(value)) return typeError(value, shape, context);
      const result = new Map<string, unknown>(isObject(existing) ? Object.entries(existing) : []);
      for (const [key, member] of Object.entries(value)) {
        const name = Object.hasOwn(shape.fields, key) ? key : Object.keys(shape.fields).find((field) => fold(field) === fold(key));
        const fieldShape = name === undefined ? undefined : shape.fields[name];
        if (name === undefined || fieldShape === undefined) continue;
        const decoded = decode(member, fieldShape, result.get(name), { struct: shape.goType, path: [...context.path, name] });
        if (decoded === undefined) result.delete(name);
        else result.set(name, decoded);
      }
      return Object.fromEntries(result);
    }
  }
}

/**
 * Returns the whitelist in a `SidecarSet_PatchPodMetadata_WhiteList` value as OpenKruise's
 * `GetSidecarSetPatchMetadataWhiteList` reads it (Go's `json.Unmarshal`), or the error OpenKruise
 * gets: text that is not JSON (an empty value included: `unexpected end of JSON input`), or a
 * value of the wrong JSON type for a field. Lenient as Go is: `null`, `{}` and rules without
 * selector or expressions are a whitelist; unknown fields are ignored; field names match in any
 * case (`Rules`, `AllowedAnnotationKeyExprs`).
 *
 * @example parseSidecarSetPatchMetadataWhitelist('{"Rules":[{"allowedAnnotationKeyExprs":["^istio"],"note":"x"}]}') →
 *   { kind: 'parsed', whitelist: { rules: [{ allowedAnnotationKeyExprs: ['^istio'] }] } }
 * @example parseSidecarSetPatchMetadataWhitelist('') → { kind: 'invalid', message: 'unexpected end of JSON input' }
 */
export function parseSidecarSetPatchMetadataWhitelist(text: string): SidecarSetPatchMetadataWhitelistParse {
  if (text.trim() === '') return { kind: 'invalid', message: 'unexpected end of JSON input' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
  try {
    const decoded = decode(value, WHITELIST, undefined, { struct: WHITELIST.goType, path: [] }) ?? {};
    return { kind: 'parsed', whitelist: decoded as SidecarSetPatchMetadataWhitelist };
  } catch (error) {
    if (error instanceof GoDecodeError) return { kind: 'invalid', message: error.message };
    throw error;
  }
}

/** Options of {@link validateSidecarSetPatchMetadataWhitelist}. */
export interface PatchMetadataWhitelistOptions {
  /** The whitelist from `kruise-configuration`; undefined when the ConfigMap or its key is absent. */
  readonly whitelist?: SidecarSetPatchMetadataWhitelist | undefined;
  /** Why the whitelist could not be read (not JSON, a wrong type, the apiserver failed): refuses SidecarSets that patch metadata. */
  readonly whitelistError?: string | undefined;
  /** Feature gate SidecarSetPatchPodMetadataDefaultsAllowed (default off): no whitelist, or no applicable expression, allows every key. */
  readonly defaultsAllowed?: boolean | undefined;
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

// Why Go's `ValidatedLabelSelectorAsSelector` refuses a rule's selector, if it does.
function selectorError(selector: LabelSelector): string | undefined {
  for (const requirement of selector.matchExpressions ?? []) {
    const operator: string = requirement.operator;
    if (!OPERATORS.has(operator)) return `${JSON.stringify(operator)} is not a valid label selector operator`;
    const invalidValue = (requirement.values ?? []).flatMap(labelValueProblems)[0];
    if (invalidValue !== undefined) return `values[0]: Invalid value: ${invalidValue}`;
  }
  const problem = validateLabelSelector(selector, 'selector')[0];
  return problem === undefined ? undefined : `${problem.path}: ${problem.message}`;
}

type CompiledRules = { readonly kind: 'compiled'; readonly expressions: readonly RegExp[] } | { readonly kind: 'invalid'; readonly message: string };

// The expressions of the rules that apply to the SidecarSet, in order; the first bad selector or expression stops, as in Go.
function applicableExpressions(ss: SidecarSet, whitelist: SidecarSetPatchMetadataWhitelist): CompiledRules {
  const expressions: RegExp[] = [];
  for (const rule of whitelist.rules ?? []) {
    if (rule.selector !== undefined) {
      const error = selectorError(rule.selector);
      if (error !== undefined) return { kind: 'invalid', message: error };
      if (!matchesLabelSelector(rule.selector, ss.metadata?.labels)) continue;
    }
    for (const expression of rule.allowedAnnotationKeyExprs ?? []) {
      const compiled = compileGoRegexp(expression);
      if (compiled.kind === 'invalid') return compiled;
      expressions.push(compiled.regexp);
    }
  }
  return { kind: 'compiled', expressions };
}

/**
 * Returns the problem of a SidecarSet's `patchPodMetadata` against the annotation whitelist, as
 * OpenKruise's `ValidateSidecarSetPatchMetadataWhitelist` (one problem at most, at
 * `spec.patchPodMetadata`, as a required value): nothing to check without patches; a whitelist
 * that could not be read refuses with its error; no whitelist, or no expression from the rules
 * whose selector matches the SidecarSet's labels, refuses unless the
 * SidecarSetPatchPodMetadataDefaultsAllowed gate is on (it allows every key: OpenKruise has no
 * list of keys allowed by default); a rule with a bad selector or expression refuses with Go's
 * error; otherwise every patched annotation key must match one expression (Go regexp syntax).
 *
 * @example patches `oom-score`, whitelist `{ rules: [{ allowedAnnotationKeyExprs: ['^istio'] }] }` →
 *   `[{ path: 'spec.patchPodMetadata', message: 'Required value: sidecarSet patch metadata annotation(oom-score) is not allowed' }]`
 */
export function validateSidecarSetPatchMetadataWhitelist(ss: SidecarSet, options: PatchMetadataWhitelistOptions = {}): FieldProblem[] {
  const patches = ss.spec.patchPodMetadata ?? [];
  if (patches.length === 0) return [];
  const refuse = (message: string) => [fieldProblem('spec.patchPodMetadata', `Required value: ${message}`)];
  if (options.whitelistError !== undefined) return refuse(options.whitelistError);
  if (options.whitelist === undefined) return options.defaultsAllowed === true ? [] : refuse('SidecarSet patch metadata whitelist not found');
  const compiled = applicableExpressions(ss, options.whitelist);
  if (compiled.kind === 'invalid') return refuse(compiled.message);
  if (compiled.expressions.length === 0) return options.defaultsAllowed === true ? [] : refuse('sidecarSet patch metadata annotation is not allowed');
  for (const patch of patches) {
    for (const key of Object.keys(patch.annotations ?? {}).sort()) {
      if (!compiled.expressions.some((r) => r.test(key))) return refuse(`sidecarSet patch metadata annotation(${key}) is not allowed`);
    }
  }
  return [];
}
