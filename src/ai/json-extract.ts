/**
 * Finding JSON inside model prose ("Here is my verdict: ```json {...} ``` Hope this helps"). Models and agents
 * that ignore `response_format` still usually emit one well-formed object somewhere in their text.
 */

/** Every balanced `{...}` in `text` that parses as a JSON object, in order of appearance. */
export function* jsonObjectsIn(text: string): Generator<Record<string, unknown>> {
  let from = text.indexOf('{');
  while (from !== -1) {
    const end = balancedEnd(text, from);
    if (end !== -1) {
      const parsed = tryParse(text.slice(from, end + 1));
      if (parsed !== undefined) {
        yield parsed;
        from = text.indexOf('{', end + 1);
        continue;
      }
    }
    from = text.indexOf('{', from + 1);
  }
}

/** The first balanced JSON object in `text`, or undefined. */
export function extractFirstJsonObject(text: string): Record<string, unknown> | undefined {
  for (const object of jsonObjectsIn(text)) return object;
  return undefined;
}

/** Index of the `}` closing the `{` at `start`, honouring strings and escapes; -1 when unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
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
