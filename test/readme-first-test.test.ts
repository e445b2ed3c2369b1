// The README's "A first test", as written there: if this changes, change the README too.
import { expect, it } from 'vitest';
import { codes, createCloud } from 'agora-signaling-emulator';

it('a second login kicks the first', async () => {
  const cloud = createCloud({ seed: 1 });
  const signal = cloud.Signal('my-app-id'); // the SDK's Signal(appid)

  const phone = signal.login('alice', '_no_need_token');
  const logouts: number[] = [];
  phone.onLogout = (code) => logouts.push(code);
  await new Promise((resolve) => (phone.onLoginSuccess = resolve));

  const laptop = signal.login('alice', '_no_need_token');
  await cloud.flush(); // deliver everything due now

  expect(logouts).toEqual([codes.LOGOUT_E_KICKED]); // 103
  expect(laptop.getStatus()).toBe(2);
  expect(cloud.timeline()).toContain('onLogout');
});
