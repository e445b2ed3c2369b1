import { checkFaultTolerance } from 'agora-signaling-emulator';
import { huddleOptions, huddleScenario } from '../examples/fault-exploration.js';
import { FixedHuddleApp } from '../examples/huddle-app.js';
import { clockNow, formatFigure, secondsSince, type Benchmark } from './harness.js';

/**
 * 7. Fault exploration of a small scenario (examples/fault-exploration.ts: three users log in
 * and meet in a channel, one calls another, they talk, she hangs up), the default fault mix, on
 * the app that passes: runs explored per second of real time. The note gives the same per second
 * of this process's CPU time, the figure a shared machine does not distort.
 */
export const faultExploration: Benchmark = {
  name: '7. fault exploration: 3 users, a channel, a call',
  unit: 'runs/s',
  target: '≥ 500 runs/s',
  meets: (rps) => rps >= 500,
  runs: 3,
  async run(scale) {
    const runs = Math.max(10, Math.round(3_000 * scale));
    const cpu = process.cpuUsage();
    const start = clockNow();
    const report = await checkFaultTolerance(huddleScenario(FixedHuddleApp), { ...huddleOptions, runs, progress: false });
    const wall = secondsSince(start);
    const used = process.cpuUsage(cpu);
    if (!report.ok) throw new Error(`the fixed huddle app failed fault exploration:\n${report.message}`);
    const struck = report.tally.reduce((n, t) => n + t.struck, 0);
    return {
      value: runs / wall,
      note: `${formatFigure(runs / ((used.user + used.system) / 1e6))} runs per CPU second; ${runs} runs, ${struck} faults struck`,
    };
  },
};
