import type { ChannelMember } from './channel-registry.js';

interface Node {
  member: ChannelMember;
  older: Node | undefined;
  newer: Node | undefined;
}

/**
 * A channel's members by account, in join order, that also reads its latest members from the
 * newest end: a join reply lists the latest 200 of a room of 50 000 without walking the rest.
 * It keeps a `Map`'s order exactly: a new account goes last, and setting an account already
 * present replaces its member in place.
 */
export class MemberList {
  private readonly nodes = new Map<string, Node>();
  private oldest: Node | undefined;
  private newest: Node | undefined;

  get size(): number {
    return this.nodes.size;
  }

  get(account: string): ChannelMember | undefined {
    return this.nodes.get(account)?.member;
  }

  has(account: string): boolean {
    return this.nodes.has(account);
  }

  set(account: string, member: ChannelMember): void {
    const present = this.nodes.get(account);
    if (present) {
      present.member = member;
      return;
    }
    const node: Node = { member, older: this.newest, newer: undefined };
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
    this.nodes.set(account, node);
  }

  delete(account: string): boolean {
    const node = this.nodes.get(account);
    if (!node) return false;
    this.nodes.delete(account);
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    return true;
  }

  /** Every member, mapped, oldest first. */
  map<T>(map: (member: ChannelMember) => T): T[] {
    const out = new Array<T>(this.nodes.size);
    let i = 0;
    for (let node = this.oldest; node; node = node.newer) out[i++] = map(node.member);
    return out;
  }

  /** The latest `max` members, mapped, oldest first: O(max), whatever the channel's size. */
  latest<T>(max: number, map: (member: ChannelMember) => T): T[] {
    const count = Math.min(Math.max(0, max), this.nodes.size);
    const out = new Array<T>(count);
    let node = this.newest;
    for (let i = count - 1; i >= 0; i--) {
      out[i] = map(node!.member);
      node = node!.older;
    }
    return out;
  }
}
