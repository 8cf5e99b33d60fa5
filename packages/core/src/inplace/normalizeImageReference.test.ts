import { describe, expect, it } from 'vitest';
import { normalizeImageReference } from './normalizeImageReference.js';

describe('normalizeImageReference', () => {
  it.each([
    ['untagged Docker Hub name gets library/ and :latest', 'nginx', 'docker.io/library/nginx:latest'],
    ['tagged short name', 'nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['already qualified', 'docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['legacy index host', 'index.docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['Docker Hub user image', 'bitnami/redis', 'docker.io/bitnami/redis:latest'],
    ['registry with port, untagged', 'localhost:5000/app', 'localhost:5000/app:latest'],
    ['digest only: no tag added', 'quay.io/a/b@sha256:abc', 'quay.io/a/b@sha256:abc'],
  ])('%s', (_story, image, expected) => {
    expect(normalizeImageReference(image)).toBe(expected);
  });
});
