// The public surface of agora-signaling-emulator.

// Cloud
export { createCloud, Cloud, DEFAULT_SEED, DEFAULT_START_TIME } from './create-cloud.js';
export type { CloudOptions, AppOptions, SignalFactory, CloudSnapshot } from './create-cloud.js';
export type { StoredMessageLimits } from './cloud/message-store.js';

// SDK objects (what the app under test sees)
export { Signal } from './sdk/signal.js';
export { Session, SessionState } from './sdk/session.js';

// Tokens and codes
export { signalingToken } from './cloud/token.js';
export { codes } from './codes.js';
export type { CodeName } from './codes.js';

// Log
export { EventLog } from './log/event-log.js';
export { LogView } from './log/log-view.js';
export { formatTimeline } from './log/timeline.js';
export type { LogEntry, LogKind } from './log/entry.js';
export type { LogListener, LogLevel, LogOptions } from './log/event-log.js';
export type { LogMark } from './log/log-view.js';
export type { LogMatch, LogQuery, TextMatch } from './log/match.js';
export type { TimelineOptions } from './log/timeline.js';

// Errors
export { EmulatorError } from './errors.js';

// section: wire
export type { ListenOptions, WireFrame, WireServer } from './wire/listen.js';


// section: channels
export { Channel } from './sdk/channel.js';
export type { ChannelJoinState } from './sdk/channel.js';
export type { ChannelSnapshot } from './cloud/channels.js';
export type { ChannelLimits } from './cloud/channel-limits.js';
export type { SpecialChannelEvent } from './cloud/special-channels.js';


// section: calls
export { Call } from './sdk/call.js';
export { ScriptedPhone } from './cloud/phones.js';
export { inviteFailures } from './cloud/invite-failures.js';
export type { InviteFailure } from './cloud/invite-failures.js';
export type { PhoneScript, PhoneAnswer, PhoneInvite, PhoneState } from './cloud/phones.js';
export type { InviteSnapshot, InviteState } from './cloud/invites.js';

// section: faults
export { Network } from './net/network.js';
export { Hold } from './net/hold.js';
export type { NetSnapshot, Outage, CustomRuleOptions } from './net/network.js';
export type { NetMessage, Direction } from './net/message.js';
export type { NetFilter, RuleVerdict, CustomRule, RuleHandle } from './net/rules.js';
export type { DownOptions } from './net/down.js';
export type { TokenExpiryEffect, FailNextOptions, FailNextHandle } from './cloud/service-faults.js';
export { AUTO_ADVANCE_IDLE_HOPS } from './time/timekeeper.js';


// section: log tools
export { cloudMatchers } from './log/matchers.js';
export { toMermaid } from './log/picture-mermaid.js';
export { toSvg } from './log/picture-svg.js';
export { toHtml } from './log/picture-html.js';
export { checkDeterminism, sweepSeeds } from './log/determinism.js';
export type { CallbackName, CloudMatchers, ExpectedCallback, WithinAnchor, WithinOptions } from './log/matchers.js';
export type { MermaidOptions } from './log/picture-mermaid.js';
export type { SvgOptions } from './log/picture-svg.js';
export type { HtmlOptions } from './log/picture-html.js';
export type { DeterminismOptions, DeterminismReport, LogDifference, Scenario, SeedFailure, SweepOptions, SweepReport } from './log/determinism.js';


// section: transcripts
export { replay, formatReplayFailure, checkTranscript } from './transcript/replay.js';
export { record, Recorder } from './transcript/record.js';
export type { RecordOptions } from './transcript/record.js';
export { parseTranscript } from './transcript/parse.js';
export { validateTranscript, assertTranscript, TranscriptError } from './transcript/validate.js';
export { formatTranscript } from './transcript/format.js';
export { compareLog, formatDiff } from './transcript/diff.js';
export { updateExpectation } from './transcript/update.js';
export { TRANSCRIPT_VERSION } from './transcript/types.js';
export type { ReplayOptions, ReplayResult } from './transcript/replay.js';
export type { TranscriptIssue } from './transcript/validate.js';
export type { LogDiff, DiffCandidate, CompareOptions } from './transcript/diff.js';
export type { PlainEntry } from './transcript/entries.js';
export type { Mismatch } from './transcript/patterns.js';
export type {
  Transcript,
  Step,
  CallStep,
  SetStep,
  CloudStep,
  HandleStep,
  AdvanceStep,
  UntilStep,
  CheckStep,
  ReactionStep,
  Action,
  Expectation,
  ExpectedEntry,
  EntryField,
  Pattern,
  TranscriptMode,
} from './transcript/types.js';




// section: fault exploration
export { checkFaultTolerance, reportText } from './explore/check-fault-tolerance.js';
export { DEFAULT_FAULT_MIX, FAULT_KINDS } from './explore/faults.js';
export { describeFault, describeSchedule } from './explore/describe.js';
export { FaultToleranceError } from './explore/fault-tolerance-error.js';
export type {
  Fault,
  FaultKind,
  FaultDirection,
  FaultTrigger,
  CallbackTrigger,
  ScheduledFault,
  FaultSchedule,
  DisconnectFault,
  KickFault,
  CloseSessionFault,
  ExpireTokenFault,
  OutageFault,
  LatencyFault,
  LossFault,
  DuplicateFault,
  HoldFault,
  FailNextFault,
  RefuseLoginFault,
} from './explore/faults.js';
export type { FaultToleranceOptions, FaultProgress } from './explore/options.js';
export type { FaultReport, FaultFailure, FaultTally } from './explore/report.js';
export type { FaultScenario, FaultRun, FailedCheck } from './explore/run.js';
