import { EmulatorError } from '../errors.js';
import type { ListenOptions, WireServer } from '../wire/listen.js';

/**
 * Stands in for the wire server in the browser build: a page cannot open a TCP port, and the
 * wire module (and `ws`) must stay out of the bundle.
 */
export async function listen(_deps: unknown, _options?: ListenOptions): Promise<WireServer> {
  throw new EmulatorError(
    'Failed to listen: cloud.listen() opens a TCP port, which needs Node. In the browser the page\'s cloud is in-process ' +
      '(window.Signal); to serve a cloud to browsers, run `npx agora-signaling-emulator serve`',
  );
}
