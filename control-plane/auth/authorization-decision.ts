// Upstream's three-valued authorizer decision. The seam in apiserver/security.ts throws on deny; the
// pieces here answer with a decision so a union can let "no opinion" fall through to the next authorizer.
import type { AuthorizationAttributes } from '../apiserver/security.js';

export type AuthorizationDecision =
  | { decision: 'allow' }
  /** Final: no later authorizer is asked. `reason` is appended to the 403 message when non-empty. */
  | { decision: 'deny'; reason: string }
  | { decision: 'noOpinion'; reason?: string };

export interface DecidingAuthorizer {
  decide(attributes: AuthorizationAttributes): Promise<AuthorizationDecision>;
}

export const allow: AuthorizationDecision = { decision: 'allow' };
export const noOpinion: AuthorizationDecision = { decision: 'noOpinion' };
export const deny = (reason = ''): AuthorizationDecision => ({ decision: 'deny', reason });

/** Resource requests name a resource; non-resource requests (/healthz, /version) carry only a path. */
export function isResourceRequest(a: AuthorizationAttributes): boolean {
  return a.resource !== '';
}
