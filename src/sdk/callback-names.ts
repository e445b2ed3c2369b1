/**
 * The callback properties of the 1.4.0 SDK objects, in the order the SDK defines them: the
 * one list the SDK classes, the log's matcher types and the tests share.
 */
export const SESSION_CALLBACKS = ['onLoginSuccess', 'onLoginFailed', 'onLogout', 'onInviteReceived', 'onMessageInstantReceive'] as const;

export const CHANNEL_CALLBACKS = [
  'onChannelJoined',
  'onChannelJoinFailed',
  'onChannelLeaved',
  'onChannelUserList',
  'onChannelUserJoined',
  'onChannelUserLeaved',
  'onChannelAttrUpdated',
  'onMessageChannelReceive',
] as const;

export const CALL_CALLBACKS = [
  'onInviteReceivedByPeer',
  'onInviteAcceptedByPeer',
  'onInviteRefusedByPeer',
  'onInviteFailed',
  'onInviteEndByPeer',
  'onInviteEndByMyself',
  'onInviteMsg',
] as const;

export type SessionCallbackName = (typeof SESSION_CALLBACKS)[number];
export type ChannelCallbackName = (typeof CHANNEL_CALLBACKS)[number];
export type CallCallbackName = (typeof CALL_CALLBACKS)[number];
