// Typed errors for the CRI boundary, mapped in one place to gRPC status codes. Docker's HTTP errors are
// mapped by status code (404 → NOT_FOUND, 409 → ALREADY_EXISTS) when a handler lets one through.
import { status as Code, Metadata, type ServiceError } from '@grpc/grpc-js';

/** An error with the gRPC code the client should see. */
export class CriError extends Error {
  constructor(readonly code: Code, message: string) {
    super(message);
    this.name = 'CriError';
  }
}

export const invalidArgument = (msg: string): CriError => new CriError(Code.INVALID_ARGUMENT, msg);
export const notFound = (msg: string): CriError => new CriError(Code.NOT_FOUND, msg);
export const failedPrecondition = (msg: string): CriError => new CriError(Code.FAILED_PRECONDITION, msg);
export const unimplemented = (msg: string): CriError => new CriError(Code.UNIMPLEMENTED, msg);
export const unauthenticated = (msg: string): CriError => new CriError(Code.UNAUTHENTICATED, msg);
export const deadlineExceeded = (msg: string): CriError => new CriError(Code.DEADLINE_EXCEEDED, msg);

/** The HTTP status of a dockerode error, if it is one. */
export function dockerStatusCode(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const c = (err as { statusCode: unknown }).statusCode;
    return typeof c === 'number' ? c : undefined;
  }
  return undefined;
}

/** Docker's own message from a dockerode error (its JSON body), else the error's message. */
export function dockerMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'json' in err) {
    const j = (err as { json: unknown }).json;
    if (typeof j === 'object' && j !== null && 'message' in j) return String((j as { message: unknown }).message);
  }
  return err instanceof Error ? err.message : String(err);
}

/** True for Docker's "no such container/image" answer. */
export function isDockerNotFound(err: unknown): boolean {
  return dockerStatusCode(err) === 404;
}

/** The gRPC error a client receives for any error a handler throws. */
export function toServiceError(err: unknown): Partial<ServiceError> & { code: Code; details: string; message: string } {
  let code = Code.INTERNAL;
  let message = err instanceof Error ? err.message : String(err);
  if (err instanceof CriError) {
    code = err.code;
  } else {
    const http = dockerStatusCode(err);
    if (http !== undefined) {
      message = `docker: ${dockerMessage(err)}`;
      if (http === 404) code = Code.NOT_FOUND;
      else if (http === 409) code = Code.ALREADY_EXISTS;
      else if (http === 400) code = Code.INVALID_ARGUMENT;
    }
  }
  return { code, details: message, message, metadata: new Metadata() };
}

/** True for a CriError with code NOT_FOUND. */
export function isCriNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === Code.NOT_FOUND;
}
