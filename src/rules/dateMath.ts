/**
 * Elasticsearch/Kibana date math, as used by rule `from`, `to` and `history_window_start`:
 * an anchor (`now`, or an absolute ISO date optionally followed by `||`) and then any number of
 * `+N<unit>`, `-N<unit>` and `/<unit>` (round down) operations, applied left to right, in UTC.
 * Units: y M w d h H m s ms (`H` is hours, as in Elasticsearch). Weeks round to Monday (ISO).
 */
export type DateMathUnit = 'y' | 'M' | 'w' | 'd' | 'h' | 'H' | 'm' | 's' | 'ms';

export type DateMathOp =
  | { readonly kind: 'add'; readonly amount: number; readonly unit: DateMathUnit }
  | { readonly kind: 'round'; readonly unit: DateMathUnit };

export interface DateMathExpr {
  /** 'now' or the epoch milliseconds of an absolute anchor */
  readonly anchor: 'now' | number;
  readonly ops: readonly DateMathOp[];
}

export type DateMathParse =
  | { readonly ok: true; readonly expr: DateMathExpr }
  | { readonly ok: false; readonly reason: string };

const UNITS: readonly DateMathUnit[] = ['ms', 'y', 'M', 'w', 'd', 'h', 'H', 'm', 's'];
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_AMOUNT = 1_000_000;

export function parseDateMath(text: string): DateMathParse {
  const expr = text.trim();
  if (expr === '') return { ok: false, reason: 'is empty' };
  let anchor: 'now' | number;
  let rest: string;
  if (expr.startsWith('now')) {
    anchor = 'now';
    rest = expr.slice(3);
  } else {
    const sep = expr.indexOf('||');
    const datePart = sep === -1 ? expr : expr.slice(0, sep);
    rest = sep === -1 ? '' : expr.slice(sep + 2);
    const ms = parseIsoDate(datePart);
    if (ms === undefined) return { ok: false, reason: `"${datePart}" is neither now nor an ISO date` };
    anchor = ms;
  }
  const ops: DateMathOp[] = [];
  let i = 0;
  while (i < rest.length) {
    const op = rest[i];
    if (op !== '+' && op !== '-' && op !== '/') {
      return { ok: false, reason: `unexpected "${rest.slice(i)}" (expected +, - or /)` };
    }
    i += 1;
    let digits = '';
    while (i < rest.length && /[0-9]/.test(rest[i] ?? '')) digits += rest[i++];
    const unit = UNITS.find((u) => rest.startsWith(u, i));
    if (unit === undefined) {
      const got = rest.slice(i, i + 1);
      return { ok: false, reason: got === '' ? `missing unit after "${op}"` : `unknown unit "${got}"` };
    }
    i += unit.length;
    if (op === '/') {
      if (digits !== '') return { ok: false, reason: `rounding takes no number ("/${digits}${unit}")` };
      ops.push({ kind: 'round', unit });
      continue;
    }
    if (digits === '') return { ok: false, reason: `missing number after "${op}"` };
    const amount = Number(digits);
    if (amount > MAX_AMOUNT) return { ok: false, reason: `${digits}${unit} is too large` };
    ops.push({ kind: 'add', amount: op === '-' ? -amount : amount, unit });
  }
  return { ok: true, expr: { anchor, ops } };
}

/** True when `text` is valid date math. */
export function isDateMath(text: string): boolean {
  return parseDateMath(text).ok;
}

/**
 * Resolves date math against `now`. Throws a RangeError for invalid expressions and for results outside the
 * range of a Date (validated rules never do either).
 */
export function resolveDateMath(expr: string, now: Date): Date {
  const parsed = parseDateMath(expr);
  if (!parsed.ok) throw new RangeError(`invalid date math "${expr}": ${parsed.reason}`);
  const date = evaluateDateMath(parsed.expr, now);
  if (Number.isNaN(date.getTime())) throw new RangeError(`date math "${expr}" is out of range`);
  return date;
}

export function evaluateDateMath(expr: DateMathExpr, now: Date): Date {
  let t = new Date(expr.anchor === 'now' ? now.getTime() : expr.anchor);
  for (const op of expr.ops) t = op.kind === 'add' ? add(t, op.amount, op.unit) : roundDown(t, op.unit);
  return t;
}

function parseIsoDate(text: string): number | undefined {
  if (!ISO_DATE.test(text)) return undefined;
  // a date or date-time without offset is UTC, like Elasticsearch's default time zone
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  const normalized = text.replace(' ', 'T');
  const ms = Date.parse(hasZone || text.length === 10 ? normalized : `${normalized}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

const FIXED_MS: Partial<Record<DateMathUnit, number>> = {
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  H: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

function add(t: Date, amount: number, unit: DateMathUnit): Date {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) return new Date(t.getTime() + amount * fixed);
  return addMonths(t, unit === 'y' ? amount * 12 : amount);
}

/** Calendar months; the day is clamped to the target month's length (Jan 31 + 1M = Feb 28/29). */
function addMonths(t: Date, months: number): Date {
  const total = t.getUTCFullYear() * 12 + t.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const out = new Date(t.getTime());
  out.setUTCFullYear(year, month, Math.min(t.getUTCDate(), lastDay));
  return out;
}

function roundDown(t: Date, unit: DateMathUnit): Date {
  const y = t.getUTCFullYear();
  const mo = t.getUTCMonth();
  const d = t.getUTCDate();
  switch (unit) {
    case 'y':
      return new Date(Date.UTC(y, 0, 1));
    case 'M':
      return new Date(Date.UTC(y, mo, 1));
    case 'w': {
      const daysSinceMonday = (t.getUTCDay() + 6) % 7;
      return new Date(Date.UTC(y, mo, d - daysSinceMonday));
    }
    case 'd':
      return new Date(Date.UTC(y, mo, d));
    default: {
      const size = FIXED_MS[unit] ?? 1;
      return new Date(Math.floor(t.getTime() / size) * size);
    }
  }
}
