/**
 * A real container runtime for the daemon's end-to-end tests: a private containerd with its CRI
 * plugin (`startContainerd`), a loopback image registry with optional basic auth
 * (`startRegistry`), busybox images built from scratch (`buildImage`, `pushImage`), and pods run
 * through CRI as a kubelet runs them (`runPodThroughCri`, `connectCri`) or by a real kubelet
 * registered with the test cluster (`startKubelet`, `ensureKubelet`). Every
 * piece runs from temp directories and is removed by its `stop()` or when the test process exits.
 *
 * @packageDocumentation
 */
export { buildImage, imageCacheDir, type BuiltImage, type ImageSpec } from './buildImage.js';
export { pushImage, type PushedImage } from './pushImage.js';
export { startContainerd, CRI_NAMESPACE, SANDBOX_IMAGE, type ContainerdOptions, type TestContainerd } from './startContainerd.js';
export { startRegistry, type RegistryAuth, type TestRegistry } from './startRegistry.js';
export { runPodThroughCri, type CriContainerSpec, type PodThroughCri, type PodThroughCriSpec } from './runPodThroughCri.js';
export { connectCri, type CriConnection, type CriService } from './criCall.js';
export { startKubelet, kubeletConfig, type KubeletOptions, type TestKubelet } from './startKubelet.js';
export { ensureKubelet, kubeletPath } from './ensureKubelet.js';
export { guardKubeletHostChanges, KUBELET_SYSCTLS } from './guardKubeletHostChanges.js';
export { runCommand, CommandError, type CommandOutput } from './runCommand.js';
export { ensureRuntimeTools, missingRuntimeTools, RUNTIME_TOOLS } from './runtimeTools.js';
export { startSourceManager } from './startSourceManager.js';
