// intstr.IntOrString helpers: rolling-update bounds are "25%" or 1, service targetPorts 8080 or "http".
import type { IntOrString } from './types/meta.js';

/**
 * Resolves an int-or-percent against a total, as upstream's GetScaledValueFromIntOrPercent: an
 * integer is itself; "25%" of 10 is 3 when rounding up, 2 when rounding down. Throws on other text.
 */
export function scaledValueFromIntOrPercent(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
