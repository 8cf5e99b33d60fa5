import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImageReference } from './imageReference.js';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('parseImageReference', () => {
  it.each([
    ['nginx', 'nginx', 'latest'],
    ['nginx:1.25', 'nginx', '1.25'],
    ['docker.io/library/nginx:1.25', 'nginx', '1.25'],
    ['docker.io/bitnami/redis', 'bitnami/redis', 'latest'],
    ['user/app:v1', 'user/app', 'v1'],
    ['localhost:5000/app:dev', 'localhost:5000/app', 'dev'],
    ['registry.local:5000/team/app', 'registry.local:5000/team/app', 'latest'],
    [`registry.local/app@${digest}`, 'registry.local/app', digest],
    [`nginx:1.25@${digest}`, 'nginx', digest],
    ['MyRegistry.io/app:1', 'MyRegistry.io/app', '1'],
  ])('%s → name %s, tag %s', (image, name, tag) => {
    expect(parseImageReference(image)).toEqual({ kind: 'valid', name, tag });
  });

  it.each([
    ['', 'empty'],
    ['Nginx', 'uppercase'],
    ['registry.local/App:1', 'uppercase'],
    ['ab'.repeat(32), 'hex-identifier'],
    ['nginx:', 'malformed'],
    ['nginx::1', 'malformed'],
    ['-nginx', 'malformed'],
    ['nginx@sha256:12', 'malformed'],
    [`${'a'.repeat(256)}:1`, 'name-too-long'],
  ])('%j is refused (%s)', (image, reason) => {
    expect(parseImageReference(image)).toMatchObject({ kind: 'invalid', reason });
  });

  it('a valid name with a tag reads back the same tag, and with the familiar name re-parses to itself', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8})?$/);
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[\w][\w.-]{0,20}$/), (parts, tag) => {
        const parsed = parseImageReference(`${parts.join('/')}:${tag}`);
        if (parsed.kind !== 'valid') return false;
        const again = parseImageReference(`${parsed.name}:${parsed.tag}`);
        return parsed.tag === tag && again.kind === 'valid' && again.name === parsed.name;
      }),
    );
  });
});
