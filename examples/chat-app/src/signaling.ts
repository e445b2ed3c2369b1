// The app's own types for the part of the Signaling Web SDK 1.4.0 it uses. The SDK ships no
// typings, so an app writes its own (or imports them: `agora-signaling-emulator/sdk`). Callbacks
// are typed as 1.4.0 holds them: a function, or '' until set.

export type Callback<F> = F | '';

export interface SignalFactory {
  (appid: string): Signal;
}

export interface Signal {
  login(account: string, token: string): Session;
}

export interface Session {
  account: string;
  getStatus(): number;
  logout(): void;
  messageInstantSend(peer: string, msg: string, cb?: (isError: boolean) => void): void;
  channelJoin(name: string): Channel | undefined;
  channelInviteUser2(channelName: string, peer: string, extra?: string): Call;
  onLoginSuccess: Callback<(uid: number) => void>;
  onLoginFailed: Callback<(ecode: number) => void>;
  onLogout: Callback<(ecode: number) => void>;
  onMessageInstantReceive: Callback<(account: string, uid: number, msg: string) => void>;
  onInviteReceived: Callback<(call: Call) => void>;
}

/** Only what the app uses of a Channel. */
export interface Channel {
  messageChannelSend(msg: string): void;
  onChannelJoined: Callback<() => void>;
  onMessageChannelReceive: Callback<(account: string, uid: number, msg: string) => void>;
}

/** Only what the app uses of a Call. */
export interface Call {
  peer: string;
  channelInviteAccept(extra?: string): void;
  onInviteAcceptedByPeer: Callback<(extra: string) => void>;
}
