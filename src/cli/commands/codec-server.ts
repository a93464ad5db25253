/**
 * `kubeproof codec-server`: serves the Temporal Web UI's codec endpoint with the configured payload keys, so people
 * can read encrypted run inputs and results in the UI without the keys ever reaching the browser or the server.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { AesGcmCodec } from '../../codec';
import { startCodecServer } from '../../codec/server';
import { ExitCode, reasonOf, usageError } from '../exit';
import { commandConfig, err, out } from '../output';

const CodecServerFlags = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z
    .string()
    .regex(/^\d+$/, { error: 'must be a port number' })
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535, { error: 'must be at most 65535' })),
  origin: z.array(z.url({ error: 'must be the Web UI origin, e.g. http://127.0.0.1:8233' })).default([]),
});

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description("serve the Web UI's codec endpoint (POST /decode, /encode) with the configured payload keys")
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8888')
    .option('--origin <url>', 'Web UI origin allowed to call it from a browser (repeatable)', collect)
    .addHelpText(
      'after',
      '\nKeys: KUBEPROOF_CODEC_KEYS or KUBEPROOF_CODEC_KEY_FILE (the same the workers use). With KUBEPROOF_CODEC_AUTH_TOKEN\n' +
        'set, every request needs `Authorization: Bearer <token>`. In the Web UI, set the Codec Server endpoint to the\n' +
        'printed URL (Settings, or `temporal server start-dev --ui-codec-endpoint`).',
    )
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await serveCodec(command);
    });
}

async function serveCodec(command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, CodecServerFlags);
  if (!cfg.codecKeys) {
    throw usageError('the codec server needs the payload keys: set KUBEPROOF_CODEC_KEYS or KUBEPROOF_CODEC_KEY_FILE');
  }
  // Origins are compared with the browser's Origin header, which never has a trailing slash.
  const origins = flags.origin.map((o) => new URL(o).origin);
  const server = await startCodecServer({
    codec: new AesGcmCodec(cfg.codecKeys),
    origins,
    authToken: cfg.codecAuthToken,
    host: flags.host,
    port: flags.port,
  }).catch((error: unknown) => {
    throw usageError(`cannot listen on ${flags.host}:${flags.port}: ${reasonOf(error)}; pick another --port`);
  });
  out(server.url);
  err(
    `codec server for keys ${cfg.codecKeys.map((k) => k.id).join(', ')} at ${server.url}` +
      `${origins.length ? `, for ${origins.join(', ')}` : ' (no --origin: browsers cannot call it)'}` +
      `${cfg.codecAuthToken ? ', bearer token required' : ''}; Ctrl-C stops it`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return ExitCode.Ok;
}
