// Decoding the API server's error answers back into the typed errors of api/errors.ts, so callers can
// `instanceof NotFoundError` as client-go callers use apierrors.IsNotFound.
import {
  AlreadyExistsError,
  ApiError,
  BadRequestError,
  ConflictError,
  ExpiredError,
  ForbiddenError,
  InternalError,
  InvalidError,
  MethodNotAllowedError,
  NotFoundError,
  UnauthorizedError,
  type ErrorSubject,
  type FieldError,
  type StatusReason,
} from '../api/errors.js';
import type { Status, StatusDetails } from '../api/object.js';

const fieldErrorTypes = new Set<string>([
  'FieldValueRequired',
  'FieldValueInvalid',
  'FieldValueNotSupported',
  'FieldValueDuplicate',
  'FieldValueForbidden',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

/** True when `body` looks like a meta/v1 Status. */
export function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/**
 * The typed error for an error answer: `code` is the HTTP status, `body` the decoded JSON (a Status when
 * the server followed the API conventions) or the raw text. The server's message is kept verbatim.
 */
export function errorFromStatus(code: number, body: unknown): ApiError {
  const status: Partial<Status> = isStatus(body) ? body : {};
  const effectiveCode = status.code && status.code >= 400 ? status.code : code;
  const message =
    status.message ?? (typeof body === 'string' && body.length > 0 ? body.trim() : `the server responded with HTTP ${code}`);
  const details: StatusDetails = status.details ?? {};
  const subject: ErrorSubject = {
    ...(details.group ? { group: details.group } : {}),
    ...(details.kind ? { kind: details.kind } : {}),
    ...(details.name ? { name: details.name } : {}),
  };
  const err = typedError(effectiveCode, status.reason, subject, details);
  // The constructors compose upstream-style messages; the server's own words are the truth.
  err.message = message;
  return err;
}

function typedError(code: number, reason: string | undefined, subject: ErrorSubject, details: StatusDetails): ApiError {
  switch (code) {
    case 404:
      return new NotFoundError(subject);
    case 409:
      return reason === 'AlreadyExists' ? new AlreadyExistsError(subject) : new ConflictError(subject);
    case 422:
      return new InvalidError(subject, fieldErrors(details));
    case 410:
      // Both "Expired" (a compacted resourceVersion) and "Gone" mean: start over from a fresh list.
      return new ExpiredError('');
    case 403:
      return new ForbiddenError('', subject);
    case 401:
      return new UnauthorizedError();
    case 400:
      return new BadRequestError('', details.causes);
    case 405:
      return new MethodNotAllowedError();
    case 500:
      if (!reason || reason === 'InternalError') return new InternalError('');
      break;
  }
  return new ApiError(code, (reason as StatusReason | undefined) ?? reasonForCode(code), '', details);
}

function fieldErrors(details: StatusDetails): FieldError[] {
  return (details.causes ?? []).map((c) => ({
    field: c.field ?? '',
    type: (c.reason && fieldErrorTypes.has(c.reason) ? c.reason : 'FieldValueInvalid') as FieldError['type'],
    detail: c.message ?? '',
  }));
}

function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 406:
      return 'NotAcceptable';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'BadRequest';
  }
}
