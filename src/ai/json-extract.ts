/**
 * Finding JSON inside model prose ("Here is my verdict: ```json {...} ``` Hope this helps"). Models and agents
 * that ignore `response_format` still usually emit one well-formed object somewhere in their text.
 *
 * The work is linear in the text's length, whatever the text: model output is untrusted, and a quadratic search
 * over 256 KB of `{` would block the worker's event loop (and every run's heartbeats on it) for minutes.
 */

/** How much the extraction did: characters scanned for braces and characters handed to JSON.parse. */
export interface ExtractionWork {
  scanned: number;
  parsed: number;
}

/**
 * Every balanced `{...}` in `text` that parses as a JSON object, in order of appearance; an object found is not
 * searched again for objects nested inside it.
 *
 * One pass pairs each `{` with its closing `}` (a stack of open positions, honouring strings and escapes), so the
 * scan reads each character once. A `{` that lies inside a string of an enclosing candidate is not tried as a
 * start of its own. Parsing is bounded too: once the characters given to JSON.parse exceed `parseBudget` times
 * the text's length, the search stops (nested failing candidates, like `{"a":{"a":{} ,} ,}`, would otherwise
 * cost quadratic parse time). Pass `work` to observe the counts.
 */
export function* jsonObjectsIn(
  text: string,
  opts: { parseBudget?: number; work?: ExtractionWork } = {},
): Generator<Record<string, unknown>> {
  const work = opts.work ?? { scanned: 0, parsed: 0 };
  const budget = (opts.parseBudget ?? 4) * Math.max(text.length, 1);
  let from = text.indexOf('{');
  while (from !== -1) {
    const { pairs, end } = balancedPairs(text, from, work);
    // Candidates in order of their opening brace: the outermost first, then the ones nested inside it.
    let skipUntil = -1;
    for (const [open, close] of pairs) {
      if (open <= skipUntil) continue;
      if (work.parsed + (close - open + 1) > budget) return;
      work.parsed += close - open + 1;
      const parsed = tryParse(text.slice(open, close + 1));
      if (parsed !== undefined) {
        yield parsed;
        skipUntil = close;
      }
    }
    from = end === -1 ? -1 : text.indexOf('{', end + 1);
  }
}

/** The first balanced JSON object in `text`, or undefined. */
export function extractFirstJsonObject(text: string): Record<string, unknown> | undefined {
  for (const object of jsonObjectsIn(text)) return object;
  return undefined;
}

/**
 * Scans from the `{` at `start` until the depth returns to zero (or the text ends) and returns every matched
 * `[open, close]` pair in order of `open`, with the index where the outermost one closed (-1 when it never did;
 * the scan then consumed the rest of the text, and every `{` in it was paired or is unbalanced).
 */
function balancedPairs(text: string, start: number, work: ExtractionWork): { pairs: [number, number][]; end: number } {
  const stack: number[] = [];
  // Opening braces in order of appearance, each with its closing index once seen (-1 while open).
  const opens: [number, number][] = [];
  let inString = false;
  let end = -1;
  for (let i = start; i < text.length; i++) {
    work.scanned++;
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */) {
      stack.push(opens.length);
      opens.push([i, -1]);
    } else if (c === 0x7d /* } */ && stack.length > 0) {
      opens[stack.pop()!]![1] = i;
      if (stack.length === 0) {
        end = i;
        break;
      }
    }
  }
  return { pairs: opens.filter((pair) => pair[1] !== -1), end };
}

function tryParse(candidate: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(candidate);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
