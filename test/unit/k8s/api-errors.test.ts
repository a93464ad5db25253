import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchRefusal } from '../../../src/k8s/api-errors';
import { ErrorType } from '../../../src/errors';

/** What @kubernetes/client-node's Watch hands its `done` callback when the server answers other than 200. */
const watchError = (statusCode: number, statusText: string) => Object.assign(new Error(statusText), { statusCode });

describe('watchRefusal', () => {
  it('turns a refused watch into the non-retryable error a refused call gives', () => {
    for (const status of [401, 403]) {
      const error = watchRefusal(watchError(status, 'Forbidden'), 'watching namespace kubeproof-x');
      assert.equal(error?.type, ErrorType.Forbidden, String(status));
      assert.match(error?.message ?? '', /^watching namespace kubeproof-x: Forbidden — the kubeconfig's user lacks/);
      assert.equal(error?.details.status, status);
    }
  });

  it('leaves everything its owner re-opens alone: a close, an expired resourceVersion, a broken connection', () => {
    const cases: [string, unknown][] = [
      ['closed by the server', null],
      ['410 Gone', watchError(410, 'Gone')],
      ['500', watchError(500, 'Internal Server Error')],
      ['connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ];
    for (const [name, error] of cases) assert.equal(watchRefusal(error, 'watching'), undefined, name);
  });
});
