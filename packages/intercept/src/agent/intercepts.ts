import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_USER_HEADER, type InterceptInfo, type InterceptSpec } from '../tunnel/protocol';
import type { AgentPort } from './config';

/** Whatever carries an intercept's traffic (a tunnel): its identity, and whether it takes new requests. */
export interface InterceptHolder {
  readonly connectorId: string;
  /** false once it is leaving or gone: its requests go where they would go without it */
  readonly isOpen: boolean;
}

export interface Interception<H extends InterceptHolder> {
  info: InterceptInfo;
  holder: H;
}

/** One port's intercepts: the global one, the personal ones and the mirrors. */
interface PortSlot<H extends InterceptHolder> {
  global?: Interception<H>;
  personal: Interception<H>[];
  mirrors: Interception<H>[];
}

const NONE: never[] = [];

export type Registration<H extends InterceptHolder> = { ok: true; interception: Interception<H>; replaced?: H } | { ok: false; message: string };

/** Mirrors per port: each one is a copy of every request it selects, so their number is bounded. */
export const MAX_MIRRORS_PER_PORT = 8;

/**
 * Who intercepts what. Precedence, per request on an HTTP port:
 *   1. a personal intercept whose header matches wins,
 *   2. else the global intercept, if any,
 *   3. else the app.
 * So a teammate's global intercept never steals requests that carry your header, and one
 * global at a time per port: a second is refused with the holder's name. Mirrors stand apart:
 * they never take a request, each gets a copy of those it selects wherever the original goes.
 */
export class InterceptRegistry<H extends InterceptHolder> {
  private readonly all: Interception<H>[] = [];
  /** per port: the global one and the personal ones by lower-case header name */
  private readonly byPort = new Map<string, PortSlot<H>>();

  constructor(private readonly ports: AgentPort[]) {
    for (const port of ports) this.byPort.set(port.name, { personal: [], mirrors: [] });
  }

  register(holder: H, owner: string, spec: InterceptSpec): Registration<H> {
    const port = this.resolvePort(spec.port);
    if (typeof port === 'string') return { ok: false, message: port };
    if (spec.mode !== 'global' && port.protocol !== 'http') {
      return { ok: false, message: `port ${port.name} is a TCP port: only a global intercept can take it` };
    }
    // A connector that reconnects replaces its own earlier registration instead of conflicting with it.
    const previous = this.all.find((i) => i.holder.connectorId === holder.connectorId && i.info.port === port.name);
    const selects = spec.mode !== 'global' && spec.value !== undefined;
    const header = selects ? (spec.header ?? DEFAULT_USER_HEADER).toLowerCase() : undefined;
    const value = selects ? spec.value : undefined;
    const slot = this.slotOf(port.name);
    if (spec.mode === 'mirror') {
      const others = slot.mirrors.filter((i) => i !== previous);
      if (others.length >= MAX_MIRRORS_PER_PORT)
        return {
          ok: false,
          message: `port ${port.name} already has ${others.length} mirrors (${others.map((i) => i.info.owner).join(', ')}), the most one port takes`,
        };
    }
    const clash = this.all.find(
      (i) =>
        spec.mode !== 'mirror' &&
        i !== previous &&
        i.info.port === port.name &&
        i.info.mode === spec.mode &&
        i.info.header === header &&
        i.info.value === value,
    );
    if (clash) {
      const what = spec.mode === 'global' ? 'a global intercept' : `a personal intercept for ${header}: ${value}`;
      return {
        ok: false,
        message: `port ${port.name} already has ${what}, held by ${clash.info.owner} since ${clash.info.since}${spec.mode === 'global' ? '; use a personal intercept (--user or --header) or ask them to leave' : ''}`,
      };
    }
    if (previous) this.remove(previous.holder);
    const info: InterceptInfo = { id: randomUUID(), owner, port: port.name, mode: spec.mode, since: new Date().toISOString() };
    if (header !== undefined) Object.assign(info, { header, value });
    if (spec.mode === 'mirror') Object.assign(info, { copied: 0, dropped: 0 });
    const interception = { info, holder };
    this.all.push(interception);
    if (spec.mode === 'global') slot.global = interception;
    else if (spec.mode === 'personal') slot.personal.push(interception);
    else slot.mirrors.push(interception);
    return { ok: true, interception, replaced: previous?.holder };
  }

  /** Drops every intercept of this holder; returns what was dropped. */
  remove(holder: H): InterceptInfo[] {
    const gone = this.all.filter((i) => i.holder === holder);
    for (const interception of gone) {
      this.all.splice(this.all.indexOf(interception), 1);
      const slot = this.slotOf(interception.info.port);
      if (slot.global === interception) slot.global = undefined;
      slot.personal = slot.personal.filter((i) => i !== interception);
      slot.mirrors = slot.mirrors.filter((i) => i !== interception);
    }
    return gone.map((i) => i.info);
  }

  /** The intercept an HTTP request on this port goes to, or undefined for the app. */
  matchRequest(port: string, headers: IncomingHttpHeaders): Interception<H> | undefined {
    const slot = this.byPort.get(port);
    if (!slot) return undefined;
    for (const personal of slot.personal) {
      const { header, value } = personal.info;
      if (personal.holder.isOpen && header !== undefined && headers[header] === value) return personal;
    }
    return this.matchConnection(port);
  }

  /** The mirrors that want a copy of this HTTP request: those without a header, and those whose header has their value. */
  mirrorsOf(port: string, headers: IncomingHttpHeaders): Interception<H>[] {
    const mirrors = this.byPort.get(port)?.mirrors;
    if (!mirrors?.length) return NONE;
    return mirrors.filter((m) => m.info.header === undefined || headers[m.info.header] === m.info.value);
  }

  /** The intercept a new TCP connection on this port goes to (global only). */
  matchConnection(port: string): Interception<H> | undefined {
    const global = this.byPort.get(port)?.global;
    return global?.holder.isOpen ? global : undefined;
  }

  /** Whether anything but a mirror is registered on this port (mirrors never route). */
  hasAny(port: string): boolean {
    const slot = this.byPort.get(port);
    return !!slot && (slot.global !== undefined || slot.personal.length > 0);
  }

  list(): InterceptInfo[] {
    return this.all.map((i) => i.info);
  }

  /** Every port of this agent has a slot from the constructor on. */
  private slotOf(port: string): PortSlot<H> {
    const slot = this.byPort.get(port);
    if (!slot) throw new Error(`ffk-agent: no intercept slot for port ${port}; this agent's ports are ${[...this.byPort.keys()].join(', ')}`);
    return slot;
  }

  private resolvePort(wanted: string | number | undefined): AgentPort | string {
    const names = this.ports.map((p) => `${p.name} (${p.app})`).join(', ');
    if (wanted === undefined) {
      const http = this.ports.filter((p) => p.protocol === 'http');
      if (this.ports.length === 1) return this.ports[0];
      if (http.length === 1) return http[0];
      return `this agent has several ports (${names}): say which one to intercept`;
    }
    const port = this.ports.find((p) => p.name === String(wanted) || p.app === Number(wanted));
    return port ?? `this agent has no port ${wanted}; its ports are ${names}`;
  }
}
