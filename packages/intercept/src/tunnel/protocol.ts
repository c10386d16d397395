/**
 * The tunnel protocol: HTTP/2 over one byte stream (a port-forward, or any Duplex).
 *
 * Roles are reversed on purpose: the connector dials the agent's tunnel port, but on that
 * stream the AGENT is the HTTP/2 client and the CONNECTOR the server, because the hot path
 * (an intercepted request) starts at the agent. Every stream says what it carries in the
 * `ffk-kind` request header; see README.md "Tunnel protocol" for the whole message flow.
 */
import { constants } from 'node:http2';

export const PROTOCOL_VERSION = 1;

/** Request header naming what an HTTP/2 stream carries. */
export const KIND_HEADER = 'ffk-kind';
export type StreamKind =
  /** ndjson control messages both ways, opened once by the agent per tunnel */
  | 'control'
  /** one intercepted HTTP request: :method, :path, :authority and headers are the original's */
  | 'http'
  /** raw bytes: an intercepted TCP connection, or an HTTP upgrade whose head is replayed first */
  | 'raw'
  /** an outbound connection the connector asked for: bytes of host:port dialled by the agent */
  | 'dial'
  /** a copy of a request for a mirror intercept: as 'http', but only the local answer's status comes back */
  | 'mirror'
  /** one intercepted HTTP/2 call (h2c, gRPC): as 'http', plus `te: trailers` and trailers both ways; delivered to the local process over h2c */
  | 'h2';

/** On 'raw' streams: 'upgrade' when the bytes start with an HTTP/1.1 upgrade request. */
export const RAW_HEADER = 'ffk-raw';
/** On 'dial' streams: the id from the connector's dial message. */
export const DIAL_ID_HEADER = 'ffk-dial-id';

/** Default header of a personal intercept. */
export const DEFAULT_USER_HEADER = 'x-ffk-user';

/**
 * HTTP/2 settings of both ends. Larger windows than the 64 KiB default let one bulk transfer
 * fill the pipe; the connection window is raised separately with setLocalWindowSize.
 */
export const H2_SETTINGS = {
  initialWindowSize: 4 * 1024 * 1024,
  maxFrameSize: 64 * 1024,
  enablePush: false,
} as const;
export const CONNECTION_WINDOW = 32 * 1024 * 1024;
/** nghttp2's own memory budget per session, in MB (default 10 refuses streams under load). */
export const MAX_SESSION_MEMORY_MB = 128;

export const { NGHTTP2_CANCEL, NGHTTP2_PROTOCOL_ERROR, NGHTTP2_REFUSED_STREAM, HTTP2_HEADER_STATUS } = constants;

export type InterceptSpec =
  | { mode: 'global'; port?: string | number }
  | { mode: 'personal'; port?: string | number; header?: string; value: string }
  /** copies of requests (all, or those whose header has the value); the originals go where they would have gone */
  | { mode: 'mirror'; port?: string | number; header?: string; value?: string };

/** An active intercept as the agent reports it. */
export interface InterceptInfo {
  id: string;
  owner: string;
  /** name of the agent port (e.g. "http") */
  port: string;
  mode: InterceptSpec['mode'];
  header?: string;
  value?: string;
  /** ISO time of registration */
  since: string;
  /** a mirror's copies the developer's process answered, and those the agent dropped (the local side slow or down) */
  copied?: number;
  dropped?: number;
}

export interface AgentInfo {
  pod: string;
  version: number;
  ports: { name: string; app: number; protocol: 'http' | 'tcp' }[];
}

/** Messages the connector sends on the control stream. */
export type ConnectorMessage =
  | { type: 'hello'; protocol: number; token: string; connectorId: string; owner: string; intercept?: InterceptSpec }
  | { type: 'ping' }
  | { type: 'dial'; id: string; host: string; port: number };

/** Messages the agent sends on the control stream. */
export type AgentMessage =
  | { type: 'welcome'; agent: AgentInfo; heartbeatMs: number; intercept?: InterceptInfo; intercepts: InterceptInfo[] }
  | { type: 'refused'; code: RefusalCode; message: string }
  | { type: 'pong' }
  | { type: 'intercepts'; intercepts: InterceptInfo[] }
  | { type: 'dial-failed'; id: string; message: string }
  /** a mirror's copies dropped since the last report (at most one report per MIRROR_REPORT_MS) */
  | { type: 'dropped'; count: number };

export type RefusalCode = 'token' | 'conflict' | 'protocol' | 'bad-request';
