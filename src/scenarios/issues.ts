/**
 * Turns zod issues into scenario issues users can act on: a readable field path, a plain message with the
 * offending value, and the line and column in the file when the scenario came from YAML or JSON.
 */
import { isMap, isScalar } from 'yaml';
import type { Document, LineCounter } from 'yaml';
import { z } from 'zod';

import { formatPath } from './paths';
import { ScenarioSchema } from './schema';
import { didYouMean } from './suggest';

export interface ScenarioIssue {
  /** e.g. `spec.services[1].replicas` */
  path: string;
  message: string;
  /** 1-based; present when the scenario came from a file and the node could be found. */
  line?: number;
  column?: number;
}

/** The parsed YAML document a scenario came from, used to find line and column of a path. */
export interface ScenarioSource {
  doc: Document;
  lineCounter: LineCounter;
}

const kindOfValue: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
};

/**
 * Parse-time error map: messages for issues whose schema has no message of its own. Schema messages win
 * (zod gives them precedence), so field-specific wording lives in the schema.
 */
export const scenarioErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${kindOfValue[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`;
      return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} item(s)`;
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
};

/**
 * ` (got 0)`, ` (got "SCTP")`; for lists and mappings only when the type itself is wrong (` (got a list)`),
 * since printing a whole mapping would bury the message.
 */
function got(input: unknown, typeIsWrong: boolean): string {
  if (input === undefined) return '';
  if (typeof input === 'string') {
    const shown = input.length > 60 ? `${input.slice(0, 57)}...` : input;
    return ` (got ${JSON.stringify(shown)})`;
  }
  if (input === null || typeof input === 'number' || typeof input === 'boolean') return ` (got ${String(input)})`;
  if (!typeIsWrong) return '';
  return Array.isArray(input) ? ' (got a list)' : ' (got a mapping)';
}

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
}

let inputJsonSchema: JsonSchemaNode | undefined;

/** Field names allowed at `path`, read from the schema itself so they never drift from it. */
function allowedFields(path: readonly PropertyKey[]): string[] {
  inputJsonSchema ??= z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  let node: JsonSchemaNode | undefined = inputJsonSchema;
  for (const key of path) {
    if (typeof key === 'number') node = node?.items;
    else {
      const additional: JsonSchemaNode | boolean | undefined = node?.additionalProperties;
      node = node?.properties?.[String(key)] ?? (typeof additional === 'object' ? additional : undefined);
    }
  }
  return Object.keys(node?.properties ?? {});
}

function unknownFieldMessage(field: string, path: readonly PropertyKey[]): string {
  const allowed = allowedFields(path);
  const hint = didYouMean(field, allowed) || (allowed.length > 0 ? `; allowed fields: ${allowed.join(', ')}` : '');
  return `unknown field "${field}"${hint}`;
}

/**
 * Line and column of the node at `path`, or of its nearest ancestor present in the file (a missing field
 * points at the mapping it is missing from). With `atKey`, points at the key rather than its value.
 */
export function locate(
  source: ScenarioSource,
  path: readonly PropertyKey[],
  atKey = false,
): { line: number; column: number } | undefined {
  const position = (offset: number) => {
    const { line, col } = source.lineCounter.linePos(offset);
    return { line, column: col };
  };
  const keys = path.map((key) => (typeof key === 'number' ? key : String(key)));
  if (atKey && keys.length > 0) {
    const parent = keys.length === 1 ? source.doc.contents : source.doc.getIn(keys.slice(0, -1), true);
    const last = String(keys[keys.length - 1]);
    const pair = isMap(parent)
      ? parent.items.find((item) => isScalar(item.key) && String(item.key.value) === last)
      : undefined;
    if (isScalar(pair?.key) && pair.key.range) return position(pair.key.range[0]);
  }
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = depth === 0 ? source.doc.contents : source.doc.getIn(keys.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return position(range[0]);
  }
  return undefined;
}

/** One or more scenario issues per zod issue (an unrecognized_keys issue names several fields). */
export function toScenarioIssues(issue: z.core.$ZodIssue, source?: ScenarioSource): ScenarioIssue[] {
  const entries: { path: PropertyKey[]; message: string; atKey: boolean }[] = [];
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      entries.push({ path: [...issue.path, key], message: unknownFieldMessage(key, issue.path), atKey: true });
    }
  } else if (issue.code === 'invalid_key') {
    const reason = issue.issues[0]?.message ?? 'is not a valid key';
    entries.push({
      path: issue.path,
      message: `${reason}${got(issue.path[issue.path.length - 1], false)}`,
      atKey: true,
    });
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    entries.push({ path: issue.path, message: 'is required', atKey: false });
  } else {
    entries.push({
      path: issue.path,
      message: `${issue.message}${got(issue.input, issue.code === 'invalid_type')}`,
      atKey: false,
    });
  }
  return entries.map((entry) => {
    const location = source && locate(source, entry.path, entry.atKey);
    return { path: formatPath(entry.path), message: entry.message, ...location };
  });
}

/** One line per issue: `file:line:col: path: message`, or `file: path: message` when the position is unknown. */
export function formatIssues(file: string, issues: readonly ScenarioIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
      return `${where}: ${issue.path}: ${issue.message}`;
    })
    .join('\n');
}

/** File order, so a reader can fix problems top to bottom; issues without a position go last. */
export function sortByPosition(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const line = (issue: ScenarioIssue) => issue.line ?? Number.POSITIVE_INFINITY;
  return [...issues].sort((a, b) => (line(a) === line(b) ? (a.column ?? 0) - (b.column ?? 0) : line(a) - line(b)));
}
