// Jest with its injected globals, typed by @types/jest (tsconfig "types": ["jest"]).
import { chat } from '../scenario.js';

test('the matchers are typed on the global expect too', async () => {
  const { cloud } = await chat();
  expect(cloud).toHaveReceivedTimes('alice', 'onLoginSuccess', 1);
  expect(cloud).not.toHaveReceived('alice', 'onLogout');
  cloud.dispose();
});
