// API time formats: Time is RFC 3339 in whole seconds, MicroTime keeps microseconds.

/** metav1.Time text for `ms` since the epoch. */
export function toTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime text for `ms` since the epoch. */
export function toMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
