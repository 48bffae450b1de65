// Wraps a command action: connects to the API, prints readable errors, sets the exit code.
import type { Command } from 'commander';
import { ConfigError } from '../config.js';
import { ApiError } from '../client/api-client.js';
import type { GlobalOptions } from '../client/locate.js';
import { connect, type Ctx } from './context.js';

export class UsageError extends Error {}

export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    console.error(err.message);
    return 2;
  }
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}`);
    return 2;
  }
  if (err instanceof ApiError) {
    console.error(`error: ${err.message}`);
    for (const i of err.issues ?? []) if (!err.message.includes(i.message)) console.error(`  ${i.path}: ${i.message}`);
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' && /spawn/.test(e.message)) {
    console.error(`error: ${e.message}: is ffmpeg installed? (./install.sh installs it, or set EXSTREAMTV_FFMPEG)`);
    return 1;
  }
  console.error(`error: ${e?.message ?? String(err)}`);
  if (process.env.EXSTREAMTV_DEBUG) console.error(e?.stack);
  return 1;
}

/** Builds an action handler that receives a connected context and the command's own options. */
export function withApi<O>(fn: (ctx: Ctx, opts: O, args: unknown[]) => Promise<void>) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as O & GlobalOptions;
    const args = params.slice(0, -2);
    let ctx: Ctx | undefined;
    try {
      ctx = await connect(opts);
      await fn(ctx, opts, args);
    } catch (err) {
      process.exitCode = reportError(err instanceof ApiError ? withFlagNames(err, cmd) : err);
    } finally {
      await ctx?.close();
    }
  };
}

/**
 * An API error about a field the user gave as a flag names the flag as typed: "logo: …" → "--logo: …",
 * "body.deviceId" → "--device-id", "stream.watermark.image" → "--watermark". Matched on the path's
 * first or second segment only (a field deep inside a JSON document is no flag).
 */
export function withFlagNames(err: ApiError, cmd: Command): ApiError {
  const flags = new Map(cmd.options.filter((o) => o.long).map((o) => [o.attributeName(), o.long!]));
  const flagOf = (path: string): string | undefined => {
    const segs = path.replace(/^body\./, '').split('.');
    return flags.get(segs[0]!) ?? (segs.length > 1 ? flags.get(segs[1]!) : undefined);
  };
  let message = err.message;
  const issues = err.issues.map((i) => {
    const flag = flagOf(i.path);
    if (!flag) return i;
    message = message.split(`${i.path}:`).join(`${flag}:`);
    return { ...i, path: flag };
  });
  return new ApiError(err.status, message, issues);
}
