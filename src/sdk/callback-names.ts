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

/**
 * The `cb` arguments of SDK methods, as the log names them (`messageInstantSend:cb`): 1.4.0
 * calls each unguarded when the server replies.
 */
export const CB_CALLBACKS = [
  'messageInstantSend:cb',
  'invoke:cb',
  'messageChannelSend:cb',
  'channelLeave:cb',
  'channelSetAttr:cb',
  'channelDelAttr:cb',
  'channelClearAttr:cb',
] as const;

/** Every name a `callback` entry of the log can have. */
export const CALLBACK_NAMES: readonly string[] = Object.freeze([...SESSION_CALLBACKS, ...CHANNEL_CALLBACKS, ...CALL_CALLBACKS, ...CB_CALLBACKS]);

export type SessionCallbackName = (typeof SESSION_CALLBACKS)[number];
export type ChannelCallbackName = (typeof CHANNEL_CALLBACKS)[number];
export type CallCallbackName = (typeof CALL_CALLBACKS)[number];
export type CbCallbackName = (typeof CB_CALLBACKS)[number];
