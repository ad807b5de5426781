// The certificates.k8s.io/v1 CertificateSigningRequest row of api/resources.ts (cluster-scoped, with the
// approval and status subresources).
import { builtinResources, type ResourceInfo } from '../../../api/resources.js';

export const csrResource: ResourceInfo = (() => {
  const r = builtinResources.find((x) => x.group === 'certificates.k8s.io' && x.plural === 'certificatesigningrequests');
  if (!r) throw new Error('resource certificatesigningrequests.certificates.k8s.io is not registered');
  return r;
})();
