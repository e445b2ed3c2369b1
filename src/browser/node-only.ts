import { EmulatorError } from '../errors.js';
import type { ListenOptions, WireServer } from '../wire/listen.js';

// Stands in for the Node-only modules in the browser build (the wire server with `ws`, and the
// dashboard it serves): a page cannot open a TCP port.

const NEEDS_NODE =
  'Failed to listen: cloud.listen() opens a TCP port, which needs Node. In the browser the page\'s cloud is in-process ' +
  '(window.Signal); to serve a cloud to browsers, run `npx agora-signaling-emulator serve`';

export async function listen(_deps: unknown, _options?: ListenOptions): Promise<WireServer> {
  throw new EmulatorError(NEEDS_NODE);
}

export function dashboardFor(): never {
  throw new EmulatorError(NEEDS_NODE);
}
