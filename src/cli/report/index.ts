/** Report formats and their renderers. */
import type { ValidationResult } from '../../run/contracts';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderText } from './text';

export const ReportFormat = ['text', 'json', 'md', 'junit', 'html'] as const;
export type ReportFormat = (typeof ReportFormat)[number];

/** Renders every format but html, which needs the ledger and is rendered by the `report` command itself. */
export function renderReport(
  format: Exclude<ReportFormat, 'html'>,
  result: ValidationResult,
  opts: { link?: string } = {},
): string {
  switch (format) {
    case 'text':
      return renderText(result) + (opts.link ? `\nWeb UI: ${opts.link}\n` : '');
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'md':
      return renderMarkdown(result, opts);
    case 'junit':
      return renderJunit(result);
  }
}

export { renderJunit, renderMarkdown, renderText };
