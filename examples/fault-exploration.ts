/**
 * Example: fault exploration finds the huddle app's reconnect bug (examples/huddle-app.ts).
 * The scenario is an ordinary app test: three users log in and meet in the room, alice calls
 * bob, they talk, she hangs up. Its checks say what must always hold (after every step) and
 * what the app must come back to (once the faults stop and time settles).
 */
import { checkFaultTolerance, type Cloud, type FaultReport, type FaultRun, type FaultToleranceOptions, type Signal } from 'agora-signaling-emulator';
import { FixedHuddleApp, HuddleApp, ROOM } from './huddle-app.js';

type App = typeof HuddleApp;

/** The test: drives three apps on the cloud it is given, and registers what must hold. */
export function huddleScenario(App: App) {
  return (cloud: Cloud, run: FaultRun): void => {
    const signal: Signal = cloud.Signal('huddle');
    const apps = ['alice', 'bob', 'carol'].map((account) => new App(signal, account));

    // Always: an app that shows itself offline shows no room and no call.
    run.everyStep(() => {
      for (const app of apps) {
        if (app.status === 'offline' && (app.inRoom || app.call)) throw new Error(`${app.account}'s app is offline but shows ${app.inRoom ? 'the room' : 'a call'}`);
      }
    });
    // In the end: an app that is logged in is in the room, as the cloud says, with the cloud's
    // member list; and no call is left open (alice hung up).
    run.eventually(() => {
      const members = cloud.channels('huddle').find((c) => c.name === ROOM)?.members.map((m) => m.account) ?? [];
      for (const app of apps) {
        if (app.session.getStatus() !== 2) continue;
        const shown = [...app.members].sort().join(', ');
        if (!app.inRoom || !members.includes(app.account)) {
          throw new Error(`${app.account} is logged in, its app shows ${app.inRoom ? '' : 'no '}room, and the cloud's room has ${members.join(', ') || 'nobody'}`);
        }
        if (shown !== [...members].sort().join(', ')) throw new Error(`${app.account}'s app shows ${shown || 'nobody'} in the room; the cloud has ${members.join(', ')}`);
        if (app.call) throw new Error(`${app.account}'s app still shows a call with ${app.call.peer} (${app.call.state})`);
      }
    });

    cloud.advanceSync(2_000); // everyone logs in and joins
    apps[0]!.callPeer('bob');
    cloud.advanceSync(5_000); // they talk
    apps[0]!.hangUp();
    cloud.advanceSync(3_000);
  };
}

export const huddleOptions: FaultToleranceOptions = { cloud: { latency: 40 }, name: 'huddle' };

/** For `npm start`: exploration finds the bug and shrinks it; the fixed app passes the same exploration. */
export async function faultExploration(): Promise<{ buggy: FaultReport; fixed: FaultReport }> {
  const buggy = await checkFaultTolerance(huddleScenario(HuddleApp), huddleOptions);
  const fixed = await checkFaultTolerance(huddleScenario(FixedHuddleApp), huddleOptions);
  return { buggy, fixed };
}
