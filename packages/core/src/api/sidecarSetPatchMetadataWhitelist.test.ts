import { describe, expect, it } from 'vitest';
import type { SidecarSet } from './sidecarSet.js';
import { parseSidecarSetPatchMetadataWhitelist, validateSidecarSetPatchMetadataWhitelist, type PatchMetadataWhitelistOptions } from './sidecarSetPatchMetadataWhitelist.js';

// Expected values are what Go's json.Unmarshal does with OpenKruise's whitelist structs (Go 1.26).
describe('parseSidecarSetPatchMetadataWhitelist (Go json.Unmarshal)', () => {
  it.each([
    ['null is an empty whitelist', 'null', {}],
    ['{} is an empty whitelist', '{}', {}],
    ['rules: null', '{"rules":null}', {}],
    ['unknown fields are ignored, field names match in any case', '{"Rules":[{"allowedAnnotationKeyExprs":["^istio"],"note":"x"}]}', { rules: [{ allowedAnnotationKeyExprs: ['^istio'] }] }],
    ['nested names in any case too', '{"rules":[{"AllowedAnnotationKeyExprs":["a"],"SELECTOR":{"MatchLabels":{"team":"a"}}}]}', { rules: [{ allowedAnnotationKeyExprs: ['a'], selector: { matchLabels: { team: 'a' } } }] }],
    ['a null element is an empty expression', '{"rules":[{"allowedAnnotationKeyExprs":[null,"b"]}]}', { rules: [{ allowedAnnotationKeyExprs: ['', 'b'] }] }],
    ['a null label value is empty', '{"rules":[{"selector":{"matchLabels":{"a":null}}}]}', { rules: [{ selector: { matchLabels: { a: '' } } }] }],
    ['a field given twice (in two cases) is decoded twice: maps merge', '{"rules":[{"selector":{"matchLabels":{"a":"1"}},"Selector":{"matchLabels":{"b":"2"}}}]}', { rules: [{ selector: { matchLabels: { a: '1', b: '2' } } }] }],
    ['the later of a repeated key wins', '{"rules":[{"allowedAnnotationKeyExprs":["a"]}],"rules":[{"allowedAnnotationKeyExprs":["b"]}]}', { rules: [{ allowedAnnotationKeyExprs: ['b'] }] }],
    ['selector null', '{"rules":[{"selector":null,"allowedAnnotationKeyExprs":["a"]}]}', { rules: [{ allowedAnnotationKeyExprs: ['a'] }] }],
    ['Unicode folding of names (ſ is s)', '{"ruleſ":[{"allowedAnnotationKeyExprs":["k"]}]}', { rules: [{ allowedAnnotationKeyExprs: ['k'] }] }],
  ])('%s', (_story, text, whitelist) => {
    expect(parseSidecarSetPatchMetadataWhitelist(text)).toEqual({ kind: 'parsed', whitelist });
  });

  it.each([
    ['an empty value', '', 'unexpected end of JSON input'],
    ['blanks', '  ', 'unexpected end of JSON input'],
    ['an array', '[]', 'json: cannot unmarshal array into Go value of type configuration.SidecarSetPatchMetadataWhiteList'],
    ['rules as an object', '{"rules":{}}', 'json: cannot unmarshal object into Go struct field SidecarSetPatchMetadataWhiteList.rules of type []configuration.SidecarSetPatchMetadataWhiteRule'],
    ['expressions as a string', '{"rules":[{"allowedAnnotationKeyExprs":"^a"}]}', 'json: cannot unmarshal string into Go struct field SidecarSetPatchMetadataWhiteRule.rules.allowedAnnotationKeyExprs of type []string'],
    ['a number expression', '{"rules":[{"allowedAnnotationKeyExprs":[1]}]}', 'json: cannot unmarshal number into Go struct field SidecarSetPatchMetadataWhiteRule.rules.allowedAnnotationKeyExprs of type string'],
    ['a selector string', '{"rules":[{"selector":"x"}]}', 'json: cannot unmarshal string into Go struct field SidecarSetPatchMetadataWhiteRule.rules.selector of type v1.LabelSelector'],
    ['a number label value', '{"rules":[{"selector":{"matchLabels":{"a":5}}}]}', 'json: cannot unmarshal number into Go struct field LabelSelector.rules.selector.matchLabels of type string'],
  ])('refuses %s', (_story, text, message) => {
    expect(parseSidecarSetPatchMetadataWhitelist(text)).toEqual({ kind: 'invalid', message });
  });

  it('refuses text after the value (message from the JSON reader)', () => {
    expect(parseSidecarSetPatchMetadataWhitelist('{"rules":[]} x').kind).toBe('invalid');
  });
});

describe('validateSidecarSetPatchMetadataWhitelist (OpenKruise ValidateSidecarSetPatchMetadataWhitelist)', () => {
  const patching: SidecarSet = { metadata: { name: 'log', labels: { team: 'a' } }, spec: { selector: { matchLabels: { app: 'web' } }, patchPodMetadata: [{ annotations: { 'istio.io/x': '1', 'oom-score': '2' } }] } };
  const message = (options: PatchMetadataWhitelistOptions) => validateSidecarSetPatchMetadataWhitelist(patching, options).map((p) => `${p.path}: ${p.message}`);

  it.each<[string, PatchMetadataWhitelistOptions, string[]]>([
    ['no whitelist', {}, ['spec.patchPodMetadata: Required value: SidecarSet patch metadata whitelist not found']],
    ['no whitelist with the defaults gate: every key allowed', { defaultsAllowed: true }, []],
    ['a whitelist that could not be read', { whitelistError: 'unexpected end of JSON input', defaultsAllowed: true }, ['spec.patchPodMetadata: Required value: unexpected end of JSON input']],
    ['an empty whitelist', { whitelist: {} }, ['spec.patchPodMetadata: Required value: sidecarSet patch metadata annotation is not allowed']],
    ['an empty whitelist with the defaults gate', { whitelist: {}, defaultsAllowed: true }, []],
    ['keys matching an expression pass, the first other is named', { whitelist: { rules: [{ allowedAnnotationKeyExprs: ['^istio\\.io/'] }] } }, ['spec.patchPodMetadata: Required value: sidecarSet patch metadata annotation(oom-score) is not allowed']],
    ['a rule for other SidecarSets does not apply', { whitelist: { rules: [{ selector: { matchLabels: { team: 'b' } }, allowedAnnotationKeyExprs: ['.*'] }] } }, ['spec.patchPodMetadata: Required value: sidecarSet patch metadata annotation is not allowed']],
    ['expressions of every applicable rule count', { whitelist: { rules: [{ selector: { matchLabels: { team: 'a' } }, allowedAnnotationKeyExprs: ['istio'] }, { allowedAnnotationKeyExprs: ['(?i)^OOM'] }] } }, []],
    ['an empty expression allows every key', { whitelist: { rules: [{ allowedAnnotationKeyExprs: [''] }] } }, []],
    ['an expression Go refuses', { whitelist: { rules: [{ allowedAnnotationKeyExprs: ['(?=istio)'] }] } }, ['spec.patchPodMetadata: Required value: error parsing regexp: invalid or unsupported Perl syntax: `(?=`']],
    ['an invalid operator in a rule selector', { whitelist: { rules: [{ selector: { matchExpressions: [{ key: 'team', operator: 'Bogus' as 'In' }] }, allowedAnnotationKeyExprs: ['.*'] }] } }, ['spec.patchPodMetadata: Required value: "Bogus" is not a valid label selector operator']],
  ])('%s', (_story, options, messages) => {
    expect(message(options)).toEqual(messages);
  });

  it('checks nothing for a SidecarSet without patchPodMetadata, whatever the whitelist', () => {
    expect(validateSidecarSetPatchMetadataWhitelist({ ...patching, spec: { selector: patching.spec.selector } }, { whitelistError: 'broken' })).toEqual([]);
  });
});
