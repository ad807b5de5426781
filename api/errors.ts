// Typed errors raised anywhere below the wire, mapped in one place to a meta/v1 Status (HTTP) and,
// in the agent, to gRPC codes. Reasons and codes follow k8s.io/apimachinery/pkg/api/errors.
import type { Status, StatusCause, StatusDetails } from './object.js';

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Gone'
  | 'Expired'
  | 'Forbidden'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'Timeout'
  | 'TooManyRequests'
  | 'ServiceUnavailable'
  | 'InternalError';

/** Which object an error is about, as Status.details names it. */
export interface ErrorSubject {
  group?: string;
  kind?: string;
  name?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details: StatusDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toStatus(): Status {
    const details = Object.keys(this.details).length > 0 ? this.details : undefined;
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(details ? { details } : {}),
      code: this.code,
    };
  }
}

function qualified(subject: ErrorSubject): string {
  // Upstream names the resource as `plural.group` ("deployments.apps"); callers pass what they know.
  return subject.group ? `${subject.kind ?? ''}.${subject.group}` : (subject.kind ?? '');
}

export class NotFoundError extends ApiError {
  constructor(subject: ErrorSubject, message?: string) {
    super(404, 'NotFound', message ?? `${qualified(subject)} "${subject.name ?? ''}" not found`, {
      ...subject,
    });
  }
}

export class AlreadyExistsError extends ApiError {
  constructor(subject: ErrorSubject, message?: string) {
    super(409, 'AlreadyExists', message ?? `${qualified(subject)} "${subject.name ?? ''}" already exists`, {
      ...subject,
    });
  }
}

export class ConflictError extends ApiError {
  constructor(subject: ErrorSubject, message?: string) {
    super(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(subject)} "${subject.name ?? ''}": ${
        message ?? 'the object has been modified; please apply your changes to the latest version and try again'
      }`,
      { ...subject },
    );
  }
}

/** A field-level validation failure; `field` is a JSON path such as `spec.containers[0].image`. */
export interface FieldError {
  field: string;
  /** Upstream's cause reasons: FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong, FieldValueTooMany, FieldValueNotFound, FieldValueTypeInvalid. */
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueNotFound'
    | 'FieldValueTypeInvalid';
  /** The human text after the field path, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  detail: string;
}

export class InvalidError extends ApiError {
  constructor(
    subject: ErrorSubject,
    readonly fieldErrors: FieldError[],
  ) {
    const causes: StatusCause[] = fieldErrors.map((e) => ({ reason: e.type, message: e.detail, field: e.field }));
    const list = fieldErrors.map((e) => `${e.field}: ${e.detail}`);
    const summary = list.length === 1 ? (list[0] ?? '') : `[${list.join(', ')}]`;
    super(422, 'Invalid', `${qualified(subject)} "${subject.name ?? ''}" is invalid: ${summary}`, {
      ...subject,
      causes,
    });
  }
}

export class BadRequestError extends ApiError {
  constructor(message: string, causes?: StatusCause[]) {
    super(400, 'BadRequest', message, causes ? { causes } : {});
  }
}

/** A watch or list asked for a revision that compaction already removed (HTTP 410, reason Expired). */
export class ExpiredError extends ApiError {
  constructor(message: string) {
    super(410, 'Expired', message);
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string, subject: ErrorSubject = {}) {
    super(403, 'Forbidden', message, { ...subject });
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'Unauthorized') {
    super(401, 'Unauthorized', message);
  }
}

export class MethodNotAllowedError extends ApiError {
  constructor(message = 'the server does not allow this method on the requested resource') {
    super(405, 'MethodNotAllowed', message);
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  constructor(contentType: string) {
    super(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got "${contentType}")`);
  }
}

export class RequestEntityTooLargeError extends ApiError {
  constructor(message = 'the request entity is too large') {
    super(413, 'RequestEntityTooLarge', message);
  }
}

export class InternalError extends ApiError {
  constructor(message: string) {
    super(500, 'InternalError', `Internal error occurred: ${message}`);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
