// /healthz, /livez and /readyz answer `ok` (text/plain) as kube-apiserver does; readiness waits for
// the bootstrap (system namespaces, `kubernetes` Service, default RBAC) to finish. They answer without
// credentials too (security.ts isOpenHealthPath), so probes and scripts can wait for a secure server.
import type { FastifyInstance } from 'fastify';

export function registerHealthRoutes(app: FastifyInstance, isReady: () => boolean): void {
  for (const path of ['/healthz', '/livez']) {
    app.get(path, (_req, reply) => reply.type('text/plain').send('ok'));
  }
  app.get('/readyz', (_req, reply) => {
    if (isReady()) return reply.type('text/plain').send('ok');
    return reply.code(503).type('text/plain').send('[-]bootstrap not finished\nreadyz check failed');
  });
}
