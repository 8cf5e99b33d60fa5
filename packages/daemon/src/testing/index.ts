export { createFakeImageRuntime, type FakeImageBehaviour, type FakeImageRuntime } from './fakeImageRuntime.js';
export { createFakeContainerRuntime, type FakeContainerRuntime } from './fakeContainerRuntime.js';
