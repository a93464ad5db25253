/** Writing to stdout/stderr; light enough for the commands that must start fast (no zod, no SDK). */
export const out = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const err = (text: string): void => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
export const printJson = (value: unknown): void => out(JSON.stringify(value, null, 2));
