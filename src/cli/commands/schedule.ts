import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { Channel } from '../../schemas/channel.js';
import type { TimelineRowOut } from '../../schemas/timeline.js';
import { printJson } from '../format.js';
import { fromArg, limitArg, printRows, rowsNotice } from '../rows.js';
import type { ApiClient } from '../../client/api-client.js';
import { loadNames, resolveNames, withNames } from '../names.js';
import { UsageError, withApi } from '../run.js';

/** Reads a JSON definition from a file, or stdin for "-". */
async function readDefinition(file: string): Promise<unknown> {
  const text = file === '-' ? await new Promise<string>((resolve, reject) => {
    let s = '';
    process.stdin.setEncoding('utf8').on('data', (d) => (s += d)).on('end', () => resolve(s)).on('error', reject);
  }) : await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => { throw new UsageError(`cannot read ${file}: ${err.code ?? err.message}`); });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file === '-' ? 'stdin' : file} is not valid JSON: ${(err as Error).message}`);
  }
}

const enc = (n: unknown) => encodeURIComponent(String(n));

/**
 * The definition to send: what `schedule show` prints is accepted as it is (its "definition" is
 * taken), and shows and collections named instead of numbered get their ids.
 */
async function definitionFrom(api: ApiClient, json: unknown): Promise<unknown> {
  const o = json as { definition?: unknown; revision?: unknown } | null;
  const def = o && typeof o === 'object' && 'definition' in o && 'revision' in o ? o.definition : json;
  const named = JSON.stringify(def).includes('"name"');
  return named ? resolveNames(def, await loadNames(api)) : def;
}


export function scheduleCommand(): Command {
  const sch = new Command('schedule')
    .description('schedule definitions: orders, time slots, random slots, filler, blocks (JSON; see README "Scheduling")');

  sch.command('show').description("print a channel's schedule as JSON (pipe it to: schedule set <channel> -)").argument('<channel>', 'channel number')
    .option('--names', 'name shows and collections instead of giving their ids (schedule set resolves them)')
    .action(withApi<{ names?: boolean }>(async ({ api }, o, [n]) => {
      const res = await api.request<{ definition: unknown }>('GET', `/api/channels/${enc(n)}/schedule`);
      printJson(o.names ? { ...res, definition: withNames(res.definition, await loadNames(api)) } : res);
    }));

  sch.command('set').description("replace a channel's schedule (rebuilds from now; the programme on air keeps playing)")
    .argument('<channel>', 'channel number').argument('<file>', 'JSON definition file, or - for stdin')
    .option('--json', 'print the channel as JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o, [n, file]) => {
      const def = await definitionFrom(api, await readDefinition(String(file)));
      const c = await api.request<Channel>('PUT', `/api/channels/${enc(n)}/schedule`, def);
      if (o.json) printJson(c); else console.log(`channel ${c.number} "${c.name}" now runs the new schedule`);
    }));

  sch.command('preview').description('show the rows a definition would produce, without saving')
    .argument('<file>', 'JSON definition file, or - for stdin')
    .option('--channel <number>', "continue this channel's progress and use its seed")
    .option('--seed <n>', 'random seed (same seed → same rows)')
    .option('--from <time>', 'start: 20:30 (the next 20:30 local) or ISO 8601 (default now)')
    .option('--hours <n>', 'how long', '24')
    .option('--limit <n>', 'at most this many rows (a cut list says how many the window holds and where to go on)', '1000')
    .option('--json', 'print JSON')
    .action(withApi<{ channel?: string; seed?: string; from?: string; hours: string; limit: string; json?: boolean }>(async ({ api }, o, [file]) => {
      const definition = await definitionFrom(api, await readDefinition(String(file)));
      const body: Record<string, unknown> = { definition, hours: Number(o.hours), limit: limitArg(o.limit, 100_000) };
      if (o.channel) body.channel = o.channel;
      if (o.seed !== undefined) body.seed = Number(o.seed);
      if (o.from) body.from = fromArg(o.from);
      const res = await api.request<{ seed: number; rows: TimelineRowOut[]; total: number; nextFrom: string | null }>('POST', '/api/schedules/preview', body);
      if (o.json) return printJson(res);
      printRows(res.rows);
      console.log(rowsNotice(res, `, seed ${res.seed}`, false));
    }));

  const op = (name: string, description: string) => sch.command(name).description(description).argument('<file>', 'JSON definition file, or - for stdin');
  const run = (operation: (o: Record<string, string>) => Record<string, unknown>) => withApi<Record<string, string>>(async ({ api }, o, [file]) => {
    const definition = await readDefinition(String(file));
    printJson((await api.request<{ definition: unknown }>('POST', '/api/schedules/operations', { definition, operation: operation(o) })).definition);
  });
  op('balance', 'set flood weights for equal airtime per source (prints the new definition)')
    .option('--split <source>', 'first split this source into one source per show')
    .action(run((o) => ({ op: 'balance', ...(o.split ? { split: o.split } : {}) })));
  op('replicate', 'copy a time slot at a fixed interval (prints the new definition)')
    .requiredOption('--slot <index>', 'slot index (0-based)').requiredOption('--times <n>', 'how many copies').requiredOption('--every <minutes>', 'interval')
    .action(run((o) => ({ op: 'replicate', slot: Number(o.slot), times: Number(o.times), everyMin: Number(o.every) })));
  op('consolidate', 'merge repeated flood slots and duplicate sources (prints the new definition)')
    .action(run(() => ({ op: 'consolidate' })));
  return sch;
}
