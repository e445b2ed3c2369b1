import { cloudCycle } from './cloud-cycle.js';
import { fanOutAwaited, fanOutAwaitedRatio, smallTestCost } from './drive.js';
import { fanOutFullLog, fanOutLogOff } from './fan-out.js';
import { faultExploration } from './fault-exploration.js';
import type { Benchmark } from './harness.js';
import { inviteTimeout } from './invite-timeout.js';
import { manyClientsHeap, manyClientsTime } from './many-clients.js';
import { replayTranscript } from './replay-transcript.js';
import { wireRatio } from './wire-fan-out.js';

/** Every benchmark of `npm run bench`, in the order of issue 10. */
export const benchmarks: Benchmark[] = [
  fanOutFullLog,
  fanOutLogOff,
  manyClientsTime,
  manyClientsHeap,
  inviteTimeout,
  cloudCycle,
  wireRatio,
  replayTranscript,
  faultExploration,
  fanOutAwaited,
  fanOutAwaitedRatio,
  smallTestCost,
];
