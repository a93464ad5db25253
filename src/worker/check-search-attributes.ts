/**
 * Refuses to start a worker on a namespace that lacks kubeproof's search attributes. Without them the first
 * upsert fails the workflow task over and over: the run would stall after deploying, holding its namespace.
 */
import type { Client } from '@temporalio/client';
import { SearchAttr } from '../search-attributes';

export async function checkSearchAttributes(client: Client, namespace: string): Promise<void> {
  const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.values(SearchAttr)
    .map((key) => key.name)
    .filter((name) => !(name in (customAttributes ?? {})));
  if (missing.length === 0) return;
  const commands = missing
    .map((name) => `  temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword`)
    .join('\n');
  throw new Error(
    `Temporal namespace "${namespace}" lacks kubeproof's search attributes ${missing.join(', ')}. Register them once:\n${commands}`,
  );
}
