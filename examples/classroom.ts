/**
 * Example scenario: a teacher opens a classroom channel with an attribute and a live member
 * count; two students join, chat (everyone gets every message, their own too), one drops off
 * the network and comes back without being in the class, then re-joins.
 */
import { createCloud, type Cloud } from 'agora-signaling-emulator';

export async function classroom(seed = 1): Promise<Cloud> {
  const cloud = createCloud({ seed, latency: 40 });
  const signal = cloud.Signal('demo-app');
  const teacher = signal.login('teacher', '_no_need_token');
  const ann = signal.login('ann', '_no_need_token');
  const ben = signal.login('ben', '_no_need_token');
  await cloud.until(() => [teacher, ann, ben].every((s) => s.getStatus() === 2), { what: 'three logins' });

  const room = teacher.channelJoin('maths-101')!;
  room.onChannelJoined = () => {
    room.channelSetAttr('slide', '1');
    room.channelSetAttr('_auto_update_num', '5');
  };
  await cloud.advance(500);

  const annIn = ann.channelJoin('maths-101')!;
  const benIn = ben.channelJoin('maths-101')!;
  annIn.onChannelJoined = () => annIn.messageChannelSend('hello class');
  benIn.onMessageChannelReceive = (account) => {
    if (account === 'ann') benIn.messageChannelSend('hi ann'); // its own message comes back too: ignore it
  };
  await cloud.advance(5_000);

  // Ben's connection drops: the server takes him out; 1.4.0 reconnects but does not re-join.
  ben.onLoginSuccess = () => {
    const again = ben.channelJoin('maths-101')!;
    again.onChannelUserList = () => {};
    ben.onLoginSuccess = '';
  };
  const link = cloud.net.openLinks().find((l) => l.label === 'ben')!;
  cloud.server.disconnected(link);
  link.end();
  await cloud.advance(5_000);
  return cloud;
}
