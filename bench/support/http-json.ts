// A minimal keep-alive JSON client for benchmarks: the measured cost should be the server's, not a client
// library's. Speaks HTTPS with the kubeconfig's CA and client certificate (what `skiff server` serves by
// default), or plain HTTP for an http:// server.
import type http from 'node:http';
import type { ConnectionConfig } from '../../client/index.js';
import { agentFor, sendRequest } from '../../test/support/api-request.js';

export class HttpJson {
  private readonly agent: http.Agent;

  constructor(
    private readonly connection: ConnectionConfig,
    maxSockets = 256,
  ) {
    this.agent = agentFor(connection, { maxSockets });
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
    const res = await sendRequest(this.connection, this.agent, path, {
      method,
      timeoutMs: 120_000,
      headers: { accept: 'application/json' },
      ...(body === undefined ? {} : { jsonBody: body }),
    });
    return { status: res.status, body: res.body };
  }

  async expect(method: string, path: string, status: number, body?: unknown): Promise<string> {
    const res = await this.request(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${res.body.slice(0, 300)}`);
    return res.body;
  }

  close(): void {
    this.agent.destroy();
  }
}
