/**
 * Why the cloud failed an invite or ended a call. The app receives them in
 * `call.onInviteFailed(extra)`, where `extra` is the JSON text `{"reason": …, "code": …}`
 * (plus a `detail` sentence for a refused request). `code` is the matching `INVITE_E_…` or
 * `GENERAL_E_…` code of the 1.4.0 documentation.
 *
 * The same JSON reaches the app whether the cloud refused the `voip_invite` request itself
 * (1.4.0 passes the request's error string to `onInviteFailed`) or failed the invite later with
 * a `voip_invite_failed` message (1.4.0 passes that message's `extra`), so one parser serves both.
 *
 * @example
 * call.onInviteFailed = (extra) => {
 *   const { reason } = JSON.parse(extra);
 *   if (reason === 'peer_offline') showToast('Bob is offline');
 * };
 */
export const inviteFailures = Object.freeze({
  /** The callee is offline: at once with `{"_require_peer_online":1}`, else after 20 s offline. */
  peer_offline: 703,
  /** `_timeout` seconds passed and nobody accepted or refused. */
  timeout: 704,
  /** The caller invited the same callee to the same channel again (seen by the old call's callee). */
  reinvite: 701,
  /** The other party logged out (`logout()`). */
  peer_logged_out: 703,
  /** The other party was kicked (its account logged in elsewhere, or the service kicked it). */
  peer_kicked: 703,
  /** The other party's connection dropped. */
  peer_disconnected: 703,
  /** The service closed the other party's session. */
  peer_session_closed: 703,
  /** `channelName` or `peer` is not a valid name. */
  invalid_arguments: 1004,
  /** `extra` is not JSON, or `_timeout` / `_require_peer_online` have unusable values. */
  invalid_extra: 1004,
  /** `extra` is longer than 8 KB (UTF-8 bytes of its JSON text). */
  extra_too_long: 1005,
  /** The peer is the caller's own account. */
  peer_is_self: 1004,
});

export type InviteFailure = keyof typeof inviteFailures;

/** The JSON text the app receives in `onInviteFailed`. */
export function failureExtra(reason: InviteFailure, detail?: string): string {
  return JSON.stringify(detail === undefined ? { reason, code: inviteFailures[reason] } : { reason, code: inviteFailures[reason], detail });
}
