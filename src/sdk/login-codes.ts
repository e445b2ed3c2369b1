/**
 * How 1.4.0 turns a server's login refusal into an `onLoginFailed` code: `kick` → 207,
 * `TokenErrorExpired` → 204, any other `TokenError…` → 206, `wrong account…` → 209, anything
 * else → 201.
 */
export function loginFailureCode(reason: string): number {
  if (reason === 'kick') return 207;
  if (reason === 'TokenErrorExpired') return 204;
  if (reason.startsWith('TokenError')) return 206;
  if (reason.startsWith('wrong account')) return 209;
  return 201;
}
