// The 403 text exactly as upstream builds it: forbiddenMessage in
// k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go wrapped by apierrors.NewForbidden.
import { ForbiddenError } from '../../api/errors.js';
import type { AuthorizationAttributes } from '../apiserver/security.js';
import { isResourceRequest } from './authorization-decision.js';

/** `User "u" cannot <verb> resource "<res[/sub]>" in API group "<g>" in the namespace "<ns>"` (or `at the cluster scope`, or `path "<p>"`). */
export function forbiddenReason(a: AuthorizationAttributes): string {
  const user = JSON.stringify(a.user.name);
  if (!isResourceRequest(a)) return `User ${user} cannot ${a.verb} path ${JSON.stringify(a.path ?? '')}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const head = `User ${user} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)}`;
  return a.namespace ? `${head} in the namespace ${JSON.stringify(a.namespace)}` : `${head} at the cluster scope`;
}

/**
 * The full message: `<plural[.group]> "<name>" is forbidden: <reason>[: <authorizer reason>]`, without the
 * name part for nameless requests, and `forbidden: ...` for non-resource paths.
 */
export function forbiddenMessage(a: AuthorizationAttributes, authorizerReason = ''): string {
  const reason = authorizerReason ? `${forbiddenReason(a)}: ${authorizerReason}` : forbiddenReason(a);
  if (!isResourceRequest(a)) return `forbidden: ${reason}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  return a.name ? `${qualified} ${JSON.stringify(a.name)} is forbidden: ${reason}` : `${qualified} is forbidden: ${reason}`;
}

/** The ForbiddenError (403, reason Forbidden, details {group, kind: plural, name}) for denied attributes. */
export function forbiddenError(a: AuthorizationAttributes, authorizerReason = ''): ForbiddenError {
  const message = forbiddenMessage(a, authorizerReason);
  if (!isResourceRequest(a)) return new ForbiddenError(message);
  // Upstream's details omit empty fields (omitempty): no `group` for the core group, no `name` for collections.
  return new ForbiddenError(message, {
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
    ...(a.name ? { name: a.name } : {}),
  });
}
