/**
 * Field-level schemas shared by the scenario schema. Messages say what is expected; the loader appends
 * `(got …)` with the offending value, so they do not repeat it.
 */
import { z } from 'zod';

import { durationFormatHint, parseDuration } from './duration';
import { isQuantity, quantityFormatHint } from './quantity';
import { clusterCheckIds } from '../checks/ids';
import { didYouMean } from './suggest';

/** Longest service or scenario name: leaves room for the run suffix kubeproof adds to namespaces. */
export const maxNameLength = 40;

const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const cIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name usable for Kubernetes Services and Deployments (DNS-1035 label). */
export const nameSchema = z
  .string({ error: 'must be a string' })
  .max(maxNameLength, { error: `must be at most ${maxNameLength} characters` })
  .regex(dns1035Label, {
    error:
      "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
  });

const durationMessage = `must be a duration: ${durationFormatHint}`;

/** A duration string (`30s`) parsed to milliseconds; zero is refused because no wait or target can be 0. */
export const durationSchema = z.string({ error: durationMessage }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.issues.push({
      code: 'custom',
      message: ms === undefined ? durationMessage : 'must be longer than 0',
      input: text,
    });
    return z.NEVER;
  }
  return ms;
});

export const portSchema = z
  .int({ error: 'must be a whole number between 1 and 65535' })
  .min(1, { error: 'must be a port number between 1 and 65535' })
  .max(65535, { error: 'must be a port number between 1 and 65535' });

/** IANA_SVC_NAME, as Kubernetes requires for container and service port names. */
function isPortName(text: string): boolean {
  return (
    text.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes('--')
  );
}

export const portNameSchema = z.string({ error: 'must be a string' }).refine(isPortName, {
  error:
    "must be an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--' and no '-' at either end",
});

/** Resource quantities; plain YAML numbers (`cpu: 1`) are accepted and kept as strings, as Kubernetes does. */
export const quantitySchema = z
  .union([z.string(), z.number()], { error: `must be ${quantityFormatHint}` })
  .transform(String)
  .refine(isQuantity, { error: `must be ${quantityFormatHint}` });

export const envNameSchema = z.string().regex(cIdentifier, {
  error: 'environment variable names must be C identifiers: letters, digits and _, not starting with a digit',
});

/** Strings only: YAML reads `8080`, `true` and `1.0` as other types, and Kubernetes would refuse them. */
export const stringValueSchema = z.string({ error: 'must be a string; quote numbers and booleans, e.g. "8080"' });

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && dns1123Subdomain.test(prefix));
  return prefixOk && name.length <= 63 && qualifiedName.test(name);
}

function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && qualifiedName.test(value));
}

export const labelKeySchema = z.string().refine(isLabelKey, {
  error:
    "label and annotation keys must be an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit",
});

export const labelValueSchema = stringValueSchema.refine(isLabelValue, {
  error:
    "label values must be empty or at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit",
});

/** Container image references (`nginx:1.27`, `registry.local:5000/team/app@sha256:…`): no whitespace. */
export const imageRefSchema = z
  .string({ error: 'must be a string' })
  .regex(/^\S+$/, { error: 'must be a container image reference without whitespace, e.g. nginx:1.27' });

const resourceName = /^(cpu|memory|ephemeral-storage|hugepages-[A-Za-z0-9.]+)$/;

/** cpu, memory, ephemeral-storage, hugepages-<size>, or a domain-prefixed extended resource (`nvidia.com/gpu`). */
export const resourceNameSchema = z
  .string()
  .refine((name) => resourceName.test(name) || (name.includes('/') && isLabelKey(name)), {
    error:
      'resource names must be cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource with a domain, e.g. nvidia.com/gpu',
  });

/** `1.30`, `v1.30.2`: major.minor with an optional patch. */
export const kubernetesVersionSchema = z
  .string({ error: 'must be a Kubernetes version such as "1.30" or "v1.30.2"' })
  .regex(/^v?\d+\.\d+(\.\d+)?$/, { error: 'must be a Kubernetes version such as "1.30" or "v1.30.2"' });

/** One of the cluster readiness checks `kubeproof checks list` names. */
export const checkIdSchema = z.string({ error: 'must be a check id' }).superRefine((id, ctx) => {
  if (clusterCheckIds.includes(id)) return;
  ctx.addIssue({
    code: 'custom',
    input: id,
    message: `unknown check${didYouMean(id, clusterCheckIds) || `; checks: ${clusterCheckIds.join(', ')}`} (see kubeproof checks list)`,
  });
});
