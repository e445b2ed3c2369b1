/**
 * `agora-signaling-emulator/sdk`: the Signaling Web SDK 1.4.0 as TypeScript types, for an app's
 * own code (the real SDK ships none). Types only: the module exports no values.
 *
 * @example
 * import type { Session, SignalFactory } from 'agora-signaling-emulator/sdk';
 *
 * declare const Signal: SignalFactory; // the global the SDK's script defines
 * const session: Session = Signal('my-app-id').login('alice', '_no_need_token');
 * session.onLoginSuccess = (uid) => console.log('logged in', uid);
 */
export type {
  Callback,
  CallbackInput,
  Call,
  CallCallbacks,
  Channel,
  ChannelCallbacks,
  ChannelState,
  Code,
  CodeName,
  Codes,
  LoginStatus,
  Session,
  SessionCallbacks,
  Signal,
  SignalFactory,
} from './sdk/reference-types.js';
