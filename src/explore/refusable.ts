/** Which requests `failNext` can refuse: the call2 functions the server handles. */
import { createCloud } from '../create-cloud.js';

/** Every request name the server handles (call2 functions), `user_logout` aside. */
export function refusable(): string[] {
  const cloud = createCloud();
  try {
    return cloud.server.functionNames().filter((n) => n !== 'user_logout');
  } finally {
    cloud.dispose();
  }
}

export function isRefusable(name: string): boolean {
  return refusable().includes(name);
}
