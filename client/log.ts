// The client library logs through pino; callers pass their component's logger, and this is the fallback.
import pino, { type Logger } from 'pino';

export type { Logger };

let fallback: Logger | undefined;

/** A shared pino logger named `client`, at SKIFF_LOG_LEVEL (default info); created on first use. */
export function defaultLogger(): Logger {
  fallback ??= pino({ name: 'client', level: process.env['SKIFF_LOG_LEVEL'] ?? 'info' });
  return fallback;
}
