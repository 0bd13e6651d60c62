import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface ListeningAddress {
  /** host:port, what a tenant sets where a CRM asks for a domain. */
  host: string;
  port: number;
  url: string;
}

/** Starts an emulator's server; port 0 (the default) lets the system pick a free one, so test files run side by side. */
export async function listenLocally(
  app: FastifyInstance,
  options: { port?: number; host?: string },
): Promise<ListeningAddress> {
  const hostname = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host: hostname });
  const { port } = app.server.address() as AddressInfo;
  return { host: `${hostname}:${port}`, port, url: `http://${hostname}:${port}` };
}
