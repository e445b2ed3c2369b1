// `agora-signaling-emulator/node`: the parts that use the file system (fixture files and the
// transcript test helper). The main entry stays free of Node built-ins, for browser builds.
export { transcriptTest } from './transcript/transcript-test.js';
export type { TranscriptTestOptions, TranscriptTestResult } from './transcript/transcript-test.js';
export { loadTranscript, writeTranscript, replayFile, findTranscripts } from './transcript/files.js';

// section: fault exploration
export { assertFaultTolerance } from './explore/assert-fault-tolerance.js';
export type { AssertFaultToleranceOptions } from './explore/assert-fault-tolerance.js';
export { FaultToleranceError } from './explore/fault-tolerance-error.js';
