// certificates.k8s.io/v1 CertificateSigningRequest checks, worded as upstream's
// pkg/apis/certificates/validation. The request's signature is verified by the API server's create
// strategy (control-plane/pki parseCsr); here the PEM framing, signer name, usages, conditions and the
// issued certificate are checked, with upstream's tolerance for problems already stored.
import { X509Certificate } from 'node:crypto';
import type { FieldError } from '../errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../names.js';
import type { KubeObject } from '../object.js';
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from '../types/certificates.js';
import { asArray, asRecord, child, deepEqual, duplicate, forbidden, index, invalid, notSupported, rendered, required, tooLong } from './field-error.js';

/** Every KeyUsage upstream accepts (certificates/v1 KeyUsage constants), sorted as its error lists them. */
export const validKeyUsages: readonly string[] = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment',
  'decipher only', 'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel',
  'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime',
  'server auth', 'signing', 'timestamping',
];

const trueOnlyTypes = new Set(['Approved', 'Denied', 'Failed']);
const allStatuses = ['False', 'True', 'Unknown'];
const legacyUnknownSigner = 'kubernetes.io/legacy-unknown';
const dns1123SubdomainMaxLength = 253;
const dns1123LabelMaxLength = 63;

export interface PemBlock {
  type: string;
  headers: boolean;
  der: Buffer;
}

/** Every PEM block in `text`, in order; text around and between blocks is ignored, as Go's pem.Decode skips it. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2] ?? '';
    const headers = /^[^\n]*:/m.test(body);
    const base64 = body.split(/\r?\n/).filter((l) => !l.includes(':')).join('');
    out.push({ type: m[1] ?? '', headers, der: Buffer.from(base64, 'base64') });
  }
  return out;
}

function decoded(base64: unknown): string {
  return typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('latin1') : '';
}

/** Upstream's certificates.ParseCSR framing check: the first PEM block must be a CERTIFICATE REQUEST. */
export function csrRequestFramingError(requestBase64: unknown): string | undefined {
  const first = pemBlocks(decoded(requestBase64))[0];
  if (!first || first.type !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST';
  return undefined;
}

/** Upstream's validateCertificate: one or more CERTIFICATE blocks, no headers, each an X.509 certificate. */
export function certificateError(certificateBase64: unknown): string | undefined {
  const text = decoded(certificateBase64);
  if (text === '') return undefined;
  const blocks = pemBlocks(text);
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    if (b.type !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(b.type)}`;
    if (b.headers) return 'no PEM block headers are permitted';
    try {
      new X509Certificate(b.der);
    } catch (e) {
      return `x509: malformed certificate (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  return undefined;
}

/** Upstream's ValidateSignerName: `<domain with a dot>/<path of DNS subdomains>`, at most 571 characters. */
export function validateSignerName(path: string, signerName: string): FieldError[] {
  if (signerName === '') return [required(path)];
  const segments = signerName.split('/');
  if (segments.length !== 2) {
    return [invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  const [domain = '', rest = ''] = segments;
  const errs: FieldError[] = [];
  if (domain.length > dns1123SubdomainMaxLength) errs.push(tooLong(path, dns1123SubdomainMaxLength));
  const domainLabels = domain.split('.');
  for (const label of domainLabels) {
    const msgs = isDNS1123Label(label);
    if (msgs.length === 0) continue;
    for (const msg of msgs) errs.push(invalid(path, domain, `validating label ${JSON.stringify(label)}: ${msg}`));
    break;
  }
  if (domainLabels.length < 2) errs.push(invalid(path, domain, 'should be a domain with at least two segments separated by dots'));
  for (const label of rest.split('.')) {
    const msgs = isDNS1123Subdomain(label);
    if (msgs.length === 0) continue;
    for (const msg of msgs) errs.push(invalid(path, rest, `validating label ${JSON.stringify(label)}: ${msg}`));
    break;
  }
  const maxLength = dns1123SubdomainMaxLength + (dns1123SubdomainMaxLength + dns1123LabelMaxLength + 1) + 1;
  if (signerName.length > maxLength) errs.push(tooLong(path, maxLength));
  return errs;
}

function conditionsOf(csr: KubeObject | undefined): CertificateSigningRequestCondition[] {
  return asArray<unknown>(asRecord(csr?.status)?.['conditions']).map((c) => (asRecord(c) ?? {}) as unknown as CertificateSigningRequestCondition);
}

function specOf(csr: KubeObject | undefined): Partial<CertificateSigningRequest['spec']> {
  return (asRecord(csr?.spec) ?? {}) as Partial<CertificateSigningRequest['spec']>;
}

function certificateOf(csr: KubeObject | undefined): string {
  const c = asRecord(csr?.status)?.['certificate'];
  return typeof c === 'string' ? c : '';
}

/** What upstream tolerates on update because the stored object already has it (getValidationOptions). */
interface Tolerances {
  bothApprovedAndDenied: boolean;
  duplicateConditionTypes: boolean;
  emptyConditionType: boolean;
  unknownUsages: boolean;
  duplicateUsages: boolean;
  legacySigner: boolean;
  arbitraryCertificate: boolean;
}

function hasDuplicates(values: readonly string[]): boolean {
  return new Set(values).size !== values.length;
}

function tolerances(obj: KubeObject, old: KubeObject | undefined): Tolerances {
  if (!old) {
    return { bothApprovedAndDenied: false, duplicateConditionTypes: false, emptyConditionType: false, unknownUsages: false, duplicateUsages: false, legacySigner: false, arbitraryCertificate: false };
  }
  const types = conditionsOf(old).map((c) => c.type ?? '');
  const usages = asArray<string>(specOf(old).usages);
  return {
    bothApprovedAndDenied: types.includes('Approved') && types.includes('Denied'),
    duplicateConditionTypes: hasDuplicates(types),
    emptyConditionType: types.includes(''),
    unknownUsages: usages.some((u) => !validKeyUsages.includes(u)),
    duplicateUsages: hasDuplicates(usages),
    legacySigner: specOf(old).signerName === legacyUnknownSigner,
    arbitraryCertificate: certificateOf(obj) === certificateOf(old) || certificateError(certificateOf(old)) !== undefined,
  };
}

function validateConditions(obj: KubeObject, t: Tolerances): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'status.conditions';
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditionsOf(obj).forEach((c, i) => {
    const p = index(path, i);
    const type = typeof c.type === 'string' ? c.type : '';
    if (!t.emptyConditionType && type === '') errs.push(required(child(p, 'type')));
    const allowed = trueOnlyTypes.has(type) ? ['True'] : allStatuses;
    if (!c.status) errs.push(required(child(p, 'status')));
    else if (!allowed.includes(c.status)) errs.push(notSupported(child(p, 'status'), c.status, allowed));
    if (!t.bothApprovedAndDenied) {
      if (type === 'Approved') {
        approved = true;
        if (denied) errs.push(invalid(child(p, 'type'), type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (type === 'Denied') {
        denied = true;
        if (approved) errs.push(invalid(child(p, 'type'), type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (!t.duplicateConditionTypes && seen.has(type)) errs.push(duplicate(child(p, 'type'), type));
    seen.add(type);
  });
  return errs;
}

function validateCsr(obj: KubeObject, t: Tolerances): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(obj);
  const framing = csrRequestFramingError(spec.request);
  if (framing) errs.push(invalid('spec.request', rendered('[]byte{...}'), framing));
  const usages = asArray<string>(spec.usages);
  if (usages.length === 0) errs.push(required('spec.usages'));
  if (!t.unknownUsages) {
    usages.forEach((u, i) => {
      if (!validKeyUsages.includes(u)) errs.push(notSupported(index('spec.usages', i), u, validKeyUsages));
    });
  }
  if (!t.duplicateUsages) {
    const seen = new Set<string>();
    usages.forEach((u, i) => {
      if (seen.has(u)) errs.push(duplicate(index('spec.usages', i), u));
      seen.add(u);
    });
  }
  const signerName = typeof spec.signerName === 'string' ? spec.signerName : '';
  if (!t.legacySigner && signerName === legacyUnknownSigner) {
    errs.push(invalid('spec.signerName', signerName, 'the legacy signerName is not allowed via this API version'));
  } else {
    errs.push(...validateSignerName('spec.signerName', signerName));
  }
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < 600) {
    errs.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errs.push(...validateConditions(obj, t));
  if (!t.arbitraryCertificate) {
    const err = certificateError(certificateOf(obj));
    if (err) errs.push(invalid('status.certificate', '<certificate data>', err));
  }
  return errs;
}

export function validateCertificateSigningRequest(obj: KubeObject): FieldError[] {
  return validateCsr(obj, tolerances(obj, undefined));
}

function ofType(csr: KubeObject, type: string): CertificateSigningRequestCondition[] {
  return conditionsOf(csr).filter((c) => c.type === type);
}

/**
 * The create checks (tolerating what the stored object already has), then the update rules shared by the main resource and both subresources. Which part a write may change is the
 * strategies' business (the main resource keeps spec and status, `status` keeps the approval conditions,
 * `approval` keeps all but the conditions); what no write may do is checked here: change the spec, remove
 * an Approved/Denied/Failed condition, or replace an issued certificate.
 */
export function validateCertificateSigningRequestUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  // The create-time checks run again, tolerating problems the stored object already has.
  const errs = validateCsr(obj, tolerances(obj, old));
  if (!deepEqual(obj.spec, old.spec)) errs.push(invalid('spec', rendered('{...}'), 'field is immutable'));
  for (const type of ['Approved', 'Denied', 'Failed']) {
    if (ofType(obj, type).length < ofType(old, type).length) {
      errs.push(forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(type)}`));
    }
  }
  const oldCert = certificateOf(old);
  if (oldCert !== '' && certificateOf(obj) !== oldCert) {
    errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errs;
}

/**
 * What only the `approval` subresource may do (upstream's allowSettingApprovalConditions): add or change
 * Approved/Denied conditions. Checked on `status` writes after their strategy restored the stored ones,
 * so what remains is an added condition.
 */
export function validateApprovalConditionsUnchanged(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const type of ['Approved', 'Denied']) {
    const next = ofType(obj, type);
    const prev = ofType(old, type);
    if (next.length > prev.length) errs.push(forbidden('status.conditions', `updates may not add a condition of type ${JSON.stringify(type)}`));
    else if (next.length === prev.length && !deepEqual(next, prev)) {
      errs.push(forbidden('status.conditions', `updates may not modify a condition of type ${JSON.stringify(type)}`));
    }
  }
  return errs;
}
