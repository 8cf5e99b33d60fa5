/**
 * `@kruise-ts/cli`: the `kruise-ts` command line, and its pieces as a library.
 *
 * @packageDocumentation
 */
export { runCli, EXIT, type CliIo } from './runCli.js';
export { COMMANDS, commandHelp, topHelp, type CommandSpec, type FlagSpec } from './commandTable.js';
export { parseCommandLine, parseDuration, type CommandLine, type FlagValues } from './parseCommandLine.js';
export { rolloutStatus, type RolloutKind, type RolloutTargetKind, type RolloutFailure, type RolloutStatus } from './rolloutStatus.js';
export { sidecarSetRolloutStatus } from './sidecarSetRolloutStatus.js';
export { pinnedRevisionStatus, runningRevisionKey, revisionNumberOf, type PinnedRevision } from './pinnedRevision.js';
export { runningRevisionReader } from './runningRevisionReader.js';
export { describeSidecarSetRevision } from './describeSidecarSetRevision.js';
export { watchRolloutStatus, setPaused, resourceName, type StatusOptions, type StatusOutcome, type PauseOutcome } from './rolloutCommands.js';
export { workloadRef, rolloutRef, type WorkloadRef, type RolloutRef } from './workloadRef.js';
export { planRollout, describeRollout, readObjects, loadCloneSet, type ManifestObject, type RolloutPlan, type PlannedStep } from './planRollout.js';
export { describeStep, describeScale, describeUpdate, words } from './describePlans.js';
export { readHistory, listControlledRevisions, DEFAULT_KRUISE_NAMESPACE, historyRows, historyTable, describeTemplate, describeContainers, findRevision, undoRollout, undoMessage, CHANGE_CAUSE_ANNOTATION, type WorkloadHistory, type Workload, type HistoryRow, type UndoOutcome } from './rolloutHistory.js';
export { restartWorkload, approveMessage, unsupportedMessage, planScaleDown, scaleDown, rfc3339, RESTARTED_AT_ANNOTATION, type ScaleDownPlan, type ScalableSpec } from './workloadEdits.js';
export { explainCloneSet, explainStatefulSet, explainDaemonSet, explanationLines, ownerOfPod, sayReason, type WorkloadExplanation, type ExplainedKind } from './explainWorkload.js';
export { completionScript, SHELLS, type Shell } from './completionScript.js';
export { runWorkloadCommand } from './workloadCommands.js';
export { previewRollout, previewLines, observedReadyAfterMs, type PreviewInput, type RolloutPreview, type PreviewWorkload, type PreviewNode } from './previewRollout.js';
export { parseTemplateSets, applyTemplateChanges, describeChange, SET_SYNTAX, type TemplateChange, type InvalidSet } from './templateChanges.js';
export { previewCommand } from './previewCommand.js';
export { recordRollout, type RecordedRollout, type RolloutRecorder, type PodUpdate } from './recordRollout.js';
export { migrateCommand } from './migrateCommand.js';
export { cloneSetFromDeployment, planMigrationStep, type DeploymentLike, type MigrationState, type MigrationStep } from './planMigration.js';
export { terminalWidth, visibleWidth, fitLine, fitList, firstThatFits, wrapParts, wrapWords, FALLBACK_COLUMNS, MIN_COLUMNS } from './fitToWidth.js';
export { renderStatusBlock, createLiveStatusView, type LiveSink } from './liveStatusView.js';
