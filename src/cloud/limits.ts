/** Size and count limits from the Signaling documentation. */
export const limits = {
  /** Peer and channel messages, and call `extra`: bytes of UTF-8. */
  messageBytes: 8 * 1024,
  accountChars: 128,
  channelChars: 128,
  /**
   * Longest a message to an offline peer is kept (seconds): the `v1:E:3600` the SDK sends. No
   * documentation gives a longer time, so a longer flag is clamped to it.
   */
  maxStoreSeconds: 3600,
} as const;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  // Fast path: pure ASCII needs no encoding.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}
