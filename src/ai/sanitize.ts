/**
 * Text hygiene for everything that crosses the AI boundary. Cluster-originated strings (event messages, names,
 * reasons) are untrusted data: they are bounded, stripped of control characters and scrubbed of anything that
 * looks like a credential before a model or an audit record sees them.
 */

export const REDACTED = '[REDACTED]';

/**
 * Credential shapes seen in Kubernetes events and logs. Order matters: specific token formats first, then the
 * generic `key=value` rule, which would otherwise leave a half-redacted token behind. Prefixes are bounded and
 * the generic rule only starts at the beginning of a word, so every pattern stays linear on long input (an
 * unbounded `[a-z]*` prefix is quadratic on a 50 KB run of letters).
 */
const secretPatterns: { pattern: RegExp; replacement: string }[] = [
  {
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replacement: REDACTED,
  },
  { pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replacement: `$1 ${REDACTED}` },
  { pattern: /\bsk-[A-Za-z0-9_-]{8,}/g, replacement: REDACTED },
  { pattern: /\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{16,}/g, replacement: REDACTED },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replacement: REDACTED },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replacement: REDACTED },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, replacement: REDACTED },
  { pattern: /(\b[a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/:@]{1,256}:[^\s/@]{1,256}@/gi, replacement: `$1${REDACTED}@` },
  {
    pattern:
      /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_.-]{0,40}"?\s{0,4}[=:]\s{0,4}"?)([^\s"',;&]+)/gi,
    replacement: `$1${REDACTED}`,
  },
];

/** Replaces credential-looking substrings with [REDACTED]. Idempotent. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, replacement } of secretPatterns) out = out.replace(pattern, replacement);
  return out;
}

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const ansiEscape = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const controlChars = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- keeps \t and \n for multi-line model text
const controlCharsExceptNewline = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Zero-width and bidirectional-override characters that can hide text from a human reviewer. */
const invisibleChars = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** Cuts `text` to at most `max` characters (UTF-16 units), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Cuts `text` so that its UTF-8 encoding is at most `maxBytes` bytes. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const marker = '…';
  const budget = Math.max(0, maxBytes - Buffer.byteLength(marker));
  const cut = Buffer.from(text)
    .subarray(0, budget)
    .toString('utf8')
    .replace(/\ufffd+$/, '');
  return `${cut}${marker}`;
}

/**
 * Cluster text → one bounded, single-line, secret-free string. Redaction runs before truncation so a cut can
 * never leave the unmatched head of a token behind.
 */
export function cleanClusterText(text: string, max: number): string {
  // Pre-cut generously: redaction may shorten the text, but never by thousands of characters per field.
  const flat = text
    .slice(0, Math.max(4 * max, 16_384))
    .replace(ansiEscape, '')
    .replace(controlChars, ' ')
    .replace(invisibleChars, '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(redactSecrets(flat), max);
}

/** Model text → bounded and free of terminal escapes; newlines are kept because summaries are multi-line. */
export function cleanModelText(text: string, max: number): string {
  const clean = text.replace(ansiEscape, '').replace(controlCharsExceptNewline, '').replace(invisibleChars, '');
  return truncate(clean, max);
}

/**
 * Returns a deep copy of `value` in which every occurrence of each secret is replaced by [REDACTED]. Used for
 * values kubeproof itself knows are secret (the API key), whatever shape they leak in.
 */
export function scrubLiterals<T>(value: T, secrets: readonly string[]): T {
  const needles = secrets.filter((s) => s.length >= 6);
  if (needles.length === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return needles.reduce((s, needle) => s.split(needle).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, scrub(inner)]));
    }
    return v;
  };
  return scrub(value) as T;
}
