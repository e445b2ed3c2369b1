import type { ServerSession } from './state.js';
import type { ChannelMember } from './channel-registry.js';

/**
 * A member as a {@link MemberList} keeps it: the member's record and its neighbours in join
 * order, one object (a room of 50 000 holds 50 000 of them).
 */
export class ListedMember implements ChannelMember {
  readonly session: ServerSession;
  readonly account: string;
  readonly uid: number;
  readonly joinedAt: number;
  /** @internal The member who joined just before, and just after (the list's links). */
  older: ListedMember | undefined = undefined;
  newer: ListedMember | undefined = undefined;

  constructor(session: ServerSession, account: string, uid: number, joinedAt: number) {
    this.session = session;
    this.account = account;
    this.uid = uid;
    this.joinedAt = joinedAt;
  }
}

/**
 * A channel's members by account, in join order, that also reads its latest members from the
 * newest end: a join reply lists the latest 200 of a room of 50 000 without walking the rest.
 * It keeps a `Map`'s order exactly: a new account goes last, and setting an account already
 * present replaces its member in place.
 */
export class MemberList {
  private readonly nodes = new Map<string, ListedMember>();
  private oldest: ListedMember | undefined;
  private newest: ListedMember | undefined;
  /**
   * The accounts and uids of the latest members, flat (`account, uid, account, uid, …`) in
   * join order, that {@link MemberWindow}s read: appended to at each join, never changed in
   * place (a leave, or a rejoin with another uid, drops it; the next window starts another).
   * Undefined until a window asks for it.
   */
  private journal: Array<string | number> | undefined;
  /** Slots the journal may grow to before the next window starts another (see {@link window}). */
  private journalCap = 0;

  get size(): number {
    return this.nodes.size;
  }

  get(account: string): ListedMember | undefined {
    return this.nodes.get(account);
  }

  has(account: string): boolean {
    return this.nodes.has(account);
  }

  /**
   * Adds `member` last, or in the place of the account's member if there is one (then it
   * returns false). `member` is in no list yet.
   */
  set(account: string, member: ListedMember): boolean {
    const present = this.nodes.get(account);
    if (present) {
      if (present.uid !== member.uid) this.journal = undefined;
      // The new member takes the place of the one it replaces.
      const older = present.older;
      const newer = present.newer;
      member.older = older;
      member.newer = newer;
      if (older) older.newer = member;
      else this.oldest = member;
      if (newer) newer.older = member;
      else this.newest = member;
      this.nodes.set(account, member);
      return false;
    }
    member.older = this.newest;
    member.newer = undefined;
    if (this.newest) this.newest.newer = member;
    else this.oldest = member;
    this.newest = member;
    this.nodes.set(account, member);
    const journal = this.journal;
    if (journal !== undefined) {
      if (journal.length < this.journalCap) journal.push(account, member.uid);
      else this.journal = undefined;
    }
    return true;
  }

  delete(account: string): boolean {
    const node = this.nodes.get(account);
    if (!node) return false;
    this.nodes.delete(account);
    this.journal = undefined;
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    return true;
  }

  /** Every member, mapped, oldest first. */
  map<T>(map: (member: ListedMember) => T): T[] {
    const out = new Array<T>(this.nodes.size);
    let i = 0;
    for (let node = this.oldest; node; node = node.newer) out[i++] = map(node);
    return out;
  }

  /** The latest `max` members, mapped, oldest first: O(max), whatever the channel's size. */
  latest<T>(max: number, map: (member: ListedMember) => T): T[] {
    const count = Math.min(Math.max(0, max), this.nodes.size);
    const out = new Array<T>(count);
    let node = this.newest;
    for (let i = count - 1; i >= 0; i--) {
      out[i] = map(node!);
      node = node!.older;
    }
    return out;
  }

  /**
   * The latest `max` members as a {@link MemberWindow}: what `latest(max)` gives now, kept for
   * later at O(1) cost. Windows share the journal of the latest members; a new journal (of
   * the latest `max`, with room for `4 × max + 64` more joins) is made when there is none or it
   * ran full, so a window costs O(1) amortised while members only join, O(max) after a leave.
   */
  window(max: number): MemberWindow {
    const count = Math.min(Math.max(0, max), this.nodes.size);
    let journal = this.journal;
    if (journal === undefined || journal.length < 2 * count) {
      journal = new Array<string | number>(2 * count);
      let node = this.newest;
      for (let i = 2 * count - 2; i >= 0; i -= 2) {
        journal[i] = node!.account;
        journal[i + 1] = node!.uid;
        node = node!.older;
      }
      this.journal = journal;
      this.journalCap = 2 * (5 * count + 64);
    }
    return new MemberWindow(journal, journal.length, count);
  }
}

/**
 * The latest members of a channel at one moment (a join reply's user list), as a slice of a
 * journal that is only ever appended to: it stays what it was whatever happens to the
 * channel after, and holds no array of its own.
 */
export class MemberWindow {
  private readonly journal: ReadonlyArray<string | number>;
  private readonly end: number;
  /** How many members. */
  readonly count: number;

  constructor(journal: ReadonlyArray<string | number>, end: number, count: number) {
    this.journal = journal;
    this.end = end;
    this.count = count;
  }

  /** The members as `[[account, uid], …]`, oldest first: a fresh array (and pairs) each time. */
  list(): Array<[string, number]> {
    const journal = this.journal;
    const count = this.count;
    const out = new Array<[string, number]>(count);
    for (let i = 0, at = this.end - 2 * count; i < count; i++, at += 2) out[i] = [journal[at] as string, journal[at + 1] as number];
    return out;
  }
}
