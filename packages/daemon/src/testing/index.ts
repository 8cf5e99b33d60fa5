export { createFakeImageRuntime, type FakeImageBehaviour, type FakeImageRuntime } from './fakeImageRuntime.js';
