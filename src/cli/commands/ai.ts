// `exstreamtv ai`: set up an OpenAI-compatible provider, check it, and build a channel's schedule
// from a sentence. The proposal is previewed and saved only after a yes (prompt or --yes).
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { AiChannelAnswer, AiHealth, AiStatus } from '../../schemas/ai.js';
import type { Channel } from '../../schemas/channel.js';
import { ApiError } from '../../client/api-client.js';
import { printJson } from '../format.js';
import { UsageError, withApi } from '../run.js';
import { printRows } from '../rows.js';

const enc = (n: unknown) => encodeURIComponent(String(n));

function printStatus(st: AiStatus): void {
  if (!st.settings) { console.log(st.howTo); return; }
  const s = st.settings;
  console.log(`provider  ${s.baseUrl}\nmodel     ${s.model}\nkey       ${st.keySet ? 'stored (0600)' : 'none'}\nlimits    ${s.timeoutS} s per request, ${s.maxRounds} requests, ${s.maxTokens} tokens`);
}

/** Asks on the terminal; without one the answer is no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function aiCommand(): Command {
  const ai = new Command('ai').description('AI: an OpenAI-compatible provider (Ollama, hosted) to build channels from a sentence');

  ai.command('setup').description('set the provider: base URL, model, optional API key (stored 0600, never shown)')
    .requiredOption('--base-url <url>', 'OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama)')
    .requiredOption('--model <name>', 'model, e.g. llama3.1:8b or gpt-4o-mini')
    .option('--key-file <file>', 'read the API key from this file (keeps it out of your shell history)')
    .option('--remove-key', 'forget a stored API key')
    .option('--timeout <s>', 'seconds one model request may take', '60')
    .option('--max-rounds <n>', 'model requests per answer', '8')
    .option('--max-tokens <n>', 'tokens per model answer', '4096')
    .addHelpText('after', '\nExamples:\n  exstreamtv ai setup --base-url http://127.0.0.1:11434/v1 --model llama3.1:8b\n  exstreamtv ai setup --base-url https://api.openai.com/v1 --model gpt-4o-mini --key-file ~/openai.key')
    .action(withApi<{ baseUrl: string; model: string; keyFile?: string; removeKey?: boolean; timeout: string; maxRounds: string; maxTokens: string }>(async ({ api }, o) => {
      if (o.keyFile && o.removeKey) throw new UsageError('--key-file and --remove-key exclude each other');
      const apiKey = o.removeKey ? null : o.keyFile
        ? (await readFile(o.keyFile, 'utf8').catch((e: NodeJS.ErrnoException) => { throw new UsageError(`cannot read ${o.keyFile}: ${e.code ?? e.message}`); })).trim()
        : undefined;
      const st = await api.request<AiStatus>('PUT', '/api/ai/settings', {
        baseUrl: o.baseUrl, model: o.model, timeoutS: Number(o.timeout), maxRounds: Number(o.maxRounds), maxTokens: Number(o.maxTokens),
        ...(apiKey !== undefined ? { apiKey } : {}),
      });
      printStatus(st);
      const h = await api.request<AiHealth>('GET', '/api/ai/health');
      console.log(h.ok ? `reachable: ${h.models.length} models${h.modelFound ? '' : ` — "${o.model}" is not among them: ${h.models.slice(0, 10).join(', ')}`}` : `not reachable yet: ${h.error}`);
    }));

  ai.command('status').description('the provider settings and a health check listing its models')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const st = await api.request<AiStatus>('GET', '/api/ai');
      const health = st.configured ? await api.request<AiHealth>('GET', '/api/ai/health') : null;
      if (o.json) return printJson({ ...st, health });
      printStatus(st);
      if (!health) return;
      if (health.ok) console.log(`health    ok in ${health.latencyMs} ms; models: ${health.models.join(', ') || '(none)'}${health.modelFound ? '' : `\nwarning   model "${st.settings!.model}" is not listed`}`);
      else { console.log(`health    FAILED: ${health.error}`); process.exitCode = 1; }
    }));

  ai.command('channel').description('a schedule from a sentence, grounded in your library and previewed; saved only when you confirm')
    .argument('<request>', 'what to air, e.g. "80s sitcoms weeknights at 8, cartoons Saturday morning, movies after 10"')
    .option('--channel <number>', "edit this channel's schedule (the request says what to change) and save it there")
    .option('--number <number>', 'save as a new channel with this number')
    .option('--name <name>', 'name of the new channel (with --number)')
    .option('--hours <n>', 'preview length in hours', '24')
    .option('--from <iso>', 'preview start (ISO 8601; default now)')
    .option('--yes', 'save without asking')
    .option('--json', 'print the proposal as JSON (saves only with --yes)')
    .addHelpText('after', '\nExamples:\n  exstreamtv ai channel "80s sitcoms weeknights at 8, cartoons Saturday morning, movies after 10" --number 8 --name Eighties\n  exstreamtv ai channel "add a late-night movie block" --channel 8')
    .action(withApi<{ channel?: string; number?: string; name?: string; hours: string; from?: string; yes?: boolean; json?: boolean }>(async ({ api }, o, [request]) => {
      if (o.channel && o.number) throw new UsageError('--channel (edit) and --number (new) exclude each other');
      const a = await api.request<AiChannelAnswer>('POST', '/api/ai/channel', { request: String(request), hours: Number(o.hours), ...(o.from ? { from: o.from } : {}), ...(o.channel ? { channel: o.channel } : {}) });
      if (o.json) printJson(a);
      else {
        console.log(a.summary);
        console.log(`(${a.rounds} model requests, ${a.toolCalls.length} library searches${a.repaired ? ', repaired once' : ''})\n`);
        printRows(a.preview.rows);
        console.log(`(${a.preview.rows.length} rows in the next ${o.hours} h)`);
      }
      const target = o.channel ?? o.number;
      if (!target) {
        if (!o.json) console.log('\nnot saved: add --number N --name NAME for a new channel, or --channel N to edit one');
        return;
      }
      if (!o.yes && !(await confirm(`\nSave this schedule to channel ${target}?`))) {
        console.log(process.stdin.isTTY ? 'not saved' : 'not saved (no terminal to ask: add --yes)');
        return;
      }
      if (o.number) {
        const exists = await api.request<Channel>('GET', `/api/channels/${enc(o.number)}`).catch((e) => { if (e instanceof ApiError && e.status === 404) return null; throw e; });
        if (exists) throw new UsageError(`channel ${o.number} exists: use --channel ${o.number} to edit it`);
        await api.request('POST', '/api/channels', { number: o.number, name: o.name ?? `Channel ${o.number}` });
      }
      const c = await api.request<Channel>('PUT', `/api/channels/${enc(target)}/schedule`, a.definition).catch(async (e) => {
        // A channel created for this schedule goes again when the schedule is refused.
        if (o.number) await api.request('DELETE', `/api/channels/${enc(o.number)}`).catch(() => {});
        throw e;
      });
      console.log(`saved: channel ${c.number} "${c.name}" now runs this schedule`);
    }));
  return ai;
}
