// Type tests: compiled by `tsc` (strict), never run. Each @ts-expect-error must be an error.
import { expect as vitestExpect } from 'vitest';
import { expect as jestExpect } from '@jest/globals';
import { cloudMatchers, createCloud } from 'agora-signaling-emulator';
import type * as sdk from 'agora-signaling-emulator/sdk';
import type * as app from '../../src/signaling.js';

const cloud = createCloud();

// cloud.Signal fits the reference types of the SDK, and the app's own, without a cast.
const Signal: sdk.SignalFactory = cloud.Signal;
const appSignal: app.SignalFactory = cloud.Signal;
const session: sdk.Session = Signal('my-app').login('alice', '_no_need_token');
const appSession: app.Session = appSignal('my-app').login('alice', '_no_need_token');

// Callbacks: set to a function (arguments typed), or unset; read back as F | ''.
session.onLoginSuccess = (uid) => uid.toFixed();
session.onLogout = null;
session.onInviteReceived = (call) => call.channelInviteAccept();
// @ts-expect-error a callback holds a function, not a number
session.onLoginSuccess = 42;
// @ts-expect-error `uid` is a number
session.onLoginSuccess = (uid: string) => uid;
const held: ((uid: number) => void) | '' = session.onLoginSuccess;
// @ts-expect-error it may be '' (unset): narrow before calling
session.onMessageInstantReceive('alice', 0, 'hi');
if (held) held(1);
appSession.onMessageInstantReceive = (from, _uid, msg) => `${from}${msg}`;

// Channel and Call, from the session.
const channel: sdk.Channel | undefined = session.channelJoin('room');
channel?.channelSetAttr('topic', 'x', () => {});
const call: sdk.Call = session.channelInviteUser2('room', 'bob', { _timeout: 30 });
call.onInviteFailed = (extra) => JSON.parse(extra);
const code: sdk.Code = cloud.Signal('x').login('a', 'b').getStatus() === 2 ? 0 : 103;
void code;

// `expect.extend(cloudMatchers)` type-checks with every expect: @jest/globals', jest's global
// (@types/jest), vitest's.
jestExpect.extend(cloudMatchers);
expect.extend(cloudMatchers);
vitestExpect.extend(cloudMatchers);

// Matchers: callback names are a closed union, options a closed set.
jestExpect(cloud).toHaveReceived('alice', 'onLoginSuccess');
jestExpect(cloud).not.toHaveReceivedWithin('alice', 'onLogout', 100, { after: { name: 'login' } });
// @ts-expect-error a typo in a callback name
jestExpect(cloud).not.toHaveReceived('alice', 'onMessageInstantRecieve');
// @ts-expect-error a typo in a callback name (global expect, @types/jest)
expect(cloud).toHaveReceived('alice', 'onLoginSucess');
// @ts-expect-error an unknown option
jestExpect(cloud).toHaveReceivedWithin('alice', 'onLogout', 100, { afer: 1 });
// @ts-expect-error a typo in a callback name (vitest's expect, typed by agora-signaling-emulator/vitest)
vitestExpect(cloud).toHaveReceivedTimes('alice', 'onLoginSucces', 1);
