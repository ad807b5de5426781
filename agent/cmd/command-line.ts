// What the agent's commands (`skiff agent`, `skiff cri`, `skiff proxy`) share: reading `--flag value` /
// `--flag=value` arguments, and running until SIGTERM or SIGINT.
import type { Logger } from 'pino';

/**
 * Walks `argv`, calling `onFlag(name, value)` for each flag; `value()` consumes the flag's value (from
 * `=value` or the next argument) and throws if there is none. Returns 'help' for -h/--help.
 * `onFlag` throws for an unknown name, so every command rejects a typo the same way.
 */
export function readFlags(argv: readonly string[], onFlag: (name: string, value: () => string) => void): 'help' | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    onFlag(name, () => {
      const v = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value`);
      return v;
    });
  }
  return undefined;
}

/** Parses a port number flag (0 allowed: pick a free port). */
export function portFlag(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number`);
  return n;
}

/** Resolves once `stop()` has finished after the first SIGTERM or SIGINT; a failing stop is logged, not thrown. */
export function runUntilSignal(logger: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      const done = (): void => {
        // Everything was stopped; a handle some library still holds (a keep-alive socket, a timer) must
        // not keep a stopped component alive: exit after a short grace unless the loop empties first.
        setTimeout(() => process.exit(), 2000).unref();
        resolve();
      };
      stop().then(done, (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        done();
      });
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
}
