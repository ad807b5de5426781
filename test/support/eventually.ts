// Polling for tests that wait on a real system: call `probe` until it answers something other than
// undefined or false, or fail after `timeoutMs` naming what was awaited and the last answer or error.
// Deadlines, never fixed sleeps: the machine may be loaded.

export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const shown = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${shown}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
