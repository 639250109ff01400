// Types for the tests that import the DEMO stand-in (plain JS so it runs alone on targets).
export class ConfigError extends Error {}
export interface Listener { name: string; host: string; port: number; http: 'api' | 'peer' | 'health' | 'tcp' | 'udp' | 'dns' | 'dns-udp'; transport: 'tcp' | 'udp' }
export interface ParsedConfig { kind: string; listeners: Listener[]; [key: string]: unknown }
/** A consul server from retry_join: `key` is its `address:serf_port`; name and server port are learned. */
export interface ServerRef { key: string; name?: string; address: string; serf_port: number; server_port?: number }
export interface CatalogEntry { ID: string; Service: string; Address: string; Port: number; Tags: string[]; Meta: Record<string, unknown>; Node: string }
export function parseProperties(text: string): Record<string, string>;
export function parseIceEndpoint(text: string, key: string, protocols?: string[]): { protocol: string; host: string; port: number };
export function parseConfig(kind: string, text: string): ParsedConfig;
export function electLeader(servers: ServerRef[], aliveKeys: Set<string>): ServerRef | undefined;
export function dnsNotImplemented(query: Buffer): Buffer | undefined;
export function catalogEntry(body: unknown, node: string): CatalogEntry;
export class Catalog {
  version: number;
  entries: Record<string, CatalogEntry>;
  register(entry: CatalogEntry): void;
  deregister(id: string): boolean;
  adopt(snapshot: { version: number; entries: Record<string, CatalogEntry> }): boolean;
  snapshot(): { version: number; entries: Record<string, CatalogEntry> };
  services(): Record<string, string[]>;
  instances(name: string): CatalogEntry[];
}
export function request(method: string, url: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; text: string; json: unknown }>;
export function main(argv: string[], defaultKind: string, version: string): Promise<number | undefined>;
