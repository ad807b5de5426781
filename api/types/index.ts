// Every kind's TypeScript shape, with upstream's JSON field names.
export type * from './meta.js';
export type * from './namespace.js';
export type * from './pod.js';
export type * from './node.js';
export type * from './service.js';
export type * from './endpoint-slice.js';
export type * from './event.js';
export type * from './lease.js';
export type * from './config.js';
export type * from './apps.js';
export type * from './job.js';
export type * from './subresources.js';
export type * from './rbac.js';
export type * from './certificates.js';
