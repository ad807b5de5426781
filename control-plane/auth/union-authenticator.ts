// Several credential kinds in order, as upstream's union authenticator: the first that recognises a
// credential decides (a valid one wins, an invalid one is a 401), and a request with none is anonymous.
// Anonymous access is disabled, so that is a 401 `Unauthorized`.
import { UnauthorizedError } from '../../api/errors.js';
import type { AuthenticationRequest, Authenticator, UserInfo } from '../apiserver/security.js';
import type { CredentialAuthenticator } from './credential-authenticator.js';
import { systemAuthenticated } from '../../pki/well-known.js';

/**
 * Tries each authenticator in order; adds `system:authenticated` to the user's groups (upstream's
 * AuthenticatedGroupAdder), so RBAC can bind discovery to every authenticated user.
 */
export class UnionAuthenticator implements Authenticator {
  private readonly authenticators: readonly CredentialAuthenticator[];

  constructor(...authenticators: CredentialAuthenticator[]) {
    this.authenticators = authenticators;
  }

  async authenticate(request: AuthenticationRequest): Promise<UserInfo> {
    for (const a of this.authenticators) {
      const user = await a.authenticateIfPresent(request);
      if (user) {
        return user.groups.includes(systemAuthenticated) ? user : { ...user, groups: [...user.groups, systemAuthenticated] };
      }
    }
    throw new UnauthorizedError('Unauthorized');
  }
}
