import { cloudCycle } from './cloud-cycle.js';
import { fanOutAwaited, fanOutAwaitedRatio, smallTestCost } from './drive.js';
import { fanOut50k, fanOutFullLog, fanOutLogOff, firstLogRead } from './fan-out.js';
import { faultExploration } from './fault-exploration.js';
import type { Benchmark } from './harness.js';
import { idleClients } from './idle-clients.js';
import { inviteTimeout } from './invite-timeout.js';
import { joins10k, joins1k, joins50k } from './joins.js';
import { manyClientsHeap, manyClientsTime } from './many-clients.js';
import { outstandingRequests } from './outstanding-requests.js';
import { replayTranscript } from './replay-transcript.js';
import { wireRatio } from './wire-fan-out.js';

/** Every benchmark of `npm run bench`: issue 10's in its order, then issue 20's and issue 16's. */
export const benchmarks: Benchmark[] = [
  fanOutFullLog,
  fanOutLogOff,
  firstLogRead,
  fanOut50k,
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
  joins1k,
  joins10k,
  joins50k,
  idleClients,
  outstandingRequests,
];
