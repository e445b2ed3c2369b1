/**
 * SDK objects (Session, Channel, Call) say how the log should show them when they are a
 * callback's argument: `Call(room/bob)` rather than a dump of their fields. A symbol keeps it
 * off the app-visible surface (`JSON.stringify(call)` is unchanged).
 */
export const kLogLabel: unique symbol = Symbol.for('agora-signaling-emulator.log-label');

export interface Labelled {
  readonly [kLogLabel]: string;
}

export function logLabel(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const label = (value as Partial<Labelled>)[kLogLabel];
  return typeof label === 'string' ? label : undefined;
}
