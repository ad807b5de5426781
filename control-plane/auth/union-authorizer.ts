// Authorizers in order, as upstream's union authorizer: the first allow or deny decides; when all have no
// opinion the request is forbidden with upstream's message (and their reasons, if any).
import type { AuthorizationAttributes, Authorizer } from '../apiserver/security.js';
import type { DecidingAuthorizer } from './authorization-decision.js';
import { forbiddenError } from './forbidden-message.js';

/** Implements the apiserver seam: returns on allow, throws ForbiddenError (403) otherwise. Order: node, then RBAC. */
export class UnionAuthorizer implements Authorizer {
  private readonly authorizers: readonly DecidingAuthorizer[];

  constructor(...authorizers: DecidingAuthorizer[]) {
    this.authorizers = authorizers;
  }

  async authorize(attributes: AuthorizationAttributes): Promise<void> {
    const reasons: string[] = [];
    for (const a of this.authorizers) {
      const d = await a.decide(attributes);
      if (d.decision === 'allow') return;
      if (d.decision === 'deny') throw forbiddenError(attributes, d.reason);
      if (d.reason) reasons.push(d.reason);
    }
    throw forbiddenError(attributes, reasons.join('\n'));
  }
}
