// The shape each credential kind implements so a union can tell "no credential of my kind here" (try the
// next one) from "a credential of my kind that is wrong" (401 now, as upstream's union does on an error).
import { UnauthorizedError } from '../../api/errors.js';
import type { AuthenticationRequest, Authenticator, UserInfo } from '../apiserver/security.js';

export interface CredentialAuthenticator extends Authenticator {
  /**
   * The user when the request carries a valid credential of this kind; undefined when it carries none;
   * throws UnauthorizedError when it carries one that is invalid (expired, unknown, forged).
   */
  authenticateIfPresent(request: AuthenticationRequest): Promise<UserInfo | undefined>;
}

/** `authenticate` for a single credential kind: absent credentials are anonymous, hence 401. */
export async function requireCredential(auth: CredentialAuthenticator, request: AuthenticationRequest): Promise<UserInfo> {
  const user = await auth.authenticateIfPresent(request);
  if (!user) throw new UnauthorizedError('Unauthorized');
  return user;
}
