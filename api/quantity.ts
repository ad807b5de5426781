// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): "500m", "128Mi", "2e3". Held exactly as a
// bigint count of nano-units (upstream rounds anything finer up to 1n too), plus the format the input
// used, because the canonical string keeps the input's family: binary stays binary ("1024Mi" -> "1Gi"),
// SI stays SI ("1000m" -> "1"), exponent stays exponent ("2e3").

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** Thrown for text that is not a quantity; validation reports its message as a FieldValueInvalid. */
export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

/** Upstream's ErrFormatWrong text. */
export const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** Upstream's ErrSuffix text. */
export const quantitySuffixError = "unable to parse quantity's suffix";

const nanoPerUnit = 1_000_000_000n;
const decimalSuffixes: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixByExponent = new Map<number, string>(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binarySuffixByPower = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
// Exponents past this would make absurd bigints; upstream caps similar inputs too.
const maxExponent = 400;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** a / b rounded away from zero, as upstream's RoundUp does. */
function divRoundUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  if (q * b === a) return q;
  return a < 0n ? q - 1n : q + 1n;
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** An exact resource quantity. Immutable: arithmetic returns a new Quantity. */
export class Quantity {
  private constructor(
    /** The amount in nano-units (1 = 10^-9). */
    readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  /** Builds a quantity from a nano-unit count. */
  static fromNanos(nanos: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(nanos, format);
  }

  /** Milli-units, e.g. CPU millicores: fromMilli(250) is "250m". */
  static fromMilli(milli: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(Math.round(milli)) * 1_000_000n, format);
  }

  /** Whole units, e.g. bytes: fromValue(2 ** 30, 'BinarySI') is "1Gi". */
  static fromValue(value: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(Math.round(value)) * nanoPerUnit, format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  /** -1, 0 or 1. */
  sign(): number {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  /** The value in whole units, rounded up (away from zero), as upstream's Value(). */
  value(): number {
    return Number(divRoundUp(this.nanos, nanoPerUnit));
  }

  /** The value in milli-units, rounded up (away from zero), as upstream's MilliValue(). */
  milliValue(): number {
    return Number(divRoundUp(this.nanos, 1_000_000n));
  }

  /** A floating-point approximation, for scores and ratios. */
  asApproximateFloat(): number {
    return Number(this.nanos) / 1e9;
  }

  /** Compares with another quantity: -1, 0 or 1. */
  cmp(other: Quantity): number {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  /** The sum; keeps this quantity's format unless this one is zero (as upstream). */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.isZero() ? other.format : this.format);
  }

  /** The difference; keeps this quantity's format unless this one is zero (as upstream). */
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  /** The canonical text upstream serializes: "1" for "1000m", "1536Mi" for "1.5Gi", "1500m" for "1.5". */
  toString(): string {
    if (this.nanos === 0n) return '0';
    if (this.format === 'BinarySI') {
      const binary = this.binaryString();
      if (binary !== undefined) return binary;
    }
    return this.decimalString(this.format === 'DecimalExponent' ? 'DecimalExponent' : 'DecimalSI');
  }

  toJSON(): string {
    return this.toString();
  }

  private binaryString(): string | undefined {
    // Small or fractional binary amounts print as SI to avoid rounding (upstream does the same).
    if (abs(this.nanos) < 1024n * nanoPerUnit) return undefined;
    if (this.nanos % nanoPerUnit !== 0n) return undefined;
    let v = this.nanos / nanoPerUnit;
    let power = 0;
    while (power < binarySuffixByPower.length - 1 && v % 1024n === 0n) {
      v /= 1024n;
      power++;
    }
    return `${v}${binarySuffixByPower[power] ?? ''}`;
  }

  private decimalString(format: 'DecimalSI' | 'DecimalExponent'): string {
    let mantissa = this.nanos;
    let exponent = -9;
    while (mantissa % 10n === 0n) {
      mantissa /= 10n;
      exponent++;
    }
    // Lower the exponent to a multiple of three so an SI suffix exists for it.
    const rem = ((exponent % 3) + 3) % 3;
    mantissa *= pow10(rem);
    exponent -= rem;
    if (format === 'DecimalSI') {
      const suffix = decimalSuffixByExponent.get(exponent);
      if (suffix !== undefined) return `${mantissa}${suffix}`;
    }
    return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  }
}

const numberRe = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/;

function parseSuffix(suffix: string): { decimal: number; binary: number; format: QuantityFormat } {
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined) return { decimal: dec, binary: 0, format: 'DecimalSI' };
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return { decimal: 0, binary: bin, format: 'BinarySI' };
  const exp = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  if (exp?.[1] !== undefined) {
    const n = Number(exp[1]);
    if (Math.abs(n) > maxExponent) throw new QuantityParseError('quantity is too great');
    return { decimal: n, binary: 0, format: 'DecimalExponent' };
  }
  throw new QuantityParseError(quantitySuffixError);
}

/**
 * Parses a quantity from its wire form (a string such as "500m", "1.5", "128Mi", "2e3", or a JSON
 * number). Throws QuantityParseError with upstream's text for anything else.
 */
export function parseQuantity(input: string | number | Quantity): Quantity {
  if (input instanceof Quantity) return input;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new QuantityParseError(quantityFormatError);
    return parseQuantity(String(input));
  }
  if (typeof input !== 'string' || input.length === 0) throw new QuantityParseError(quantityFormatError);
  const m = numberRe.exec(input);
  const whole = m?.[2] ?? '';
  const frac = m?.[3] ?? '';
  if (!m || (whole === '' && frac === '')) throw new QuantityParseError(quantityFormatError);
  const suffix = m[4] ?? '';
  if (suffix !== '' && !/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) throw new QuantityParseError(quantityFormatError);
  const { decimal, binary, format } = parseSuffix(suffix);
  let mantissa = BigInt(`${whole}${frac}` || '0');
  if (m[1] === '-') mantissa = -mantissa;
  // value = mantissa * 10^(decimal - frac.length) * 2^binary; held in nanos.
  const scale = decimal - frac.length + 9;
  let numerator = mantissa * (1n << BigInt(binary));
  let denominator = 1n;
  if (scale >= 0) numerator *= pow10(scale);
  else denominator = pow10(-scale);
  return Quantity.fromNanos(divRoundUp(numerator, denominator), format);
}

/** True when the input parses as a quantity. */
export function isQuantity(input: unknown): boolean {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parseQuantity(input);
    return true;
  } catch {
    return false;
  }
}
