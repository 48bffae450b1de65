// Channel from a sentence: the model answers with a schedule definition (structured output) after
// grounding it in the library through tool calls; the answer is validated with zod and checked
// against the library, repaired once with the problems found, then previewed. Nothing is saved:
// the model never writes to the store.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AiChannelAnswer } from '../../schemas/ai.js';
import { toFullDefinition, type ScheduleDefinition } from '../../schemas/schedule.js';
import type { ScheduleService } from '../services/schedules.js';
import { systemTimeZone } from '../schedule/local-time.js';
import type { Store } from '../store/store.js';
import { rowsOut } from '../timeline/view.js';
import type { TimelineService } from '../timeline/service.js';
import { answerShape, dropNulls, responseFormat } from './answer-schema.js';
import { checkDefinition } from './check.js';
import { LibraryTools } from './library-tools.js';
import { ProviderError, type AiProvider } from './provider.js';

/** Tool calls answered per model reply (more are refused). */
const MAX_CALLS_PER_REPLY = 8;

export interface ProposeInput {
  request: string;
  channel?: string | undefined;
  /** With channel: the definition to change (an editor's draft); default the saved one. */
  base?: ScheduleDefinition | undefined;
  hours: number;
  from: number;
}

const SYSTEM = (tz: string) => `You design the schedule of a TV channel for EXStreamTV from a request in words.
First call the tools to find real content: search_library (words, genre, years, kind, length) and list_collections.
Every content reference in your definition must be a {type, id} that a tool returned; never invent ids.
Then answer with JSON {summary, definition} following the response schema:
- definition.sources: named pools (key: lower-case like "sitcoms") of content, each with an order (in_order, shuffle, random…).
- definition.main: how sources air. For times of day use mode "time_slots": each slot starts at "HH:MM" and plays its source
  until the next slot (fill "flood"). With period "week", every slot has a day (0 = Sunday … 6 = Saturday): "weeknights at 8"
  is five slots at 20:00 on days 1–5, and the time after each needs its own slot (e.g. a filler source at 21:00 or 00:00).
  Otherwise mode "flood" mixes sources by weight.
- definition.timezone: an IANA zone; this box uses ${tz} — keep it unless the request names another.
- Two slots never start at the same time on the same day; blocks never overlap.
summary: one short paragraph saying what airs when.`;

export class AiChannelBuilder {
  private readonly tools: LibraryTools;

  constructor(private readonly store: Store, private readonly timeline: TimelineService, private readonly schedules: ScheduleService) {
    this.tools = new LibraryTools(store, timeline);
  }

  async propose(provider: AiProvider, input: ProposeInput): Promise<AiChannelAnswer> {
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: SYSTEM(systemTimeZone()) }, { role: 'user', content: this.userMessage(input) }];
    // The channel being edited, by its canonical number (a redirect to itself is refused).
    const self = input.channel ? this.store.channels.getByNumber(input.channel).number : null;
    const toolCalls: AiChannelAnswer['toolCalls'] = [];
    let repaired = false;
    for (let round = 1; round <= provider.settings.maxRounds; round++) {
      const res = await provider.chat({ messages, tools: this.tools.definitions(), response_format: responseFormat() });
      const msg = res.choices[0]?.message;
      if (!msg) throw new ProviderError('the model sent no answer (no choices)');
      if (msg.tool_calls?.length) {
        messages.push({ role: 'assistant', content: msg.content ?? null, tool_calls: msg.tool_calls });
        msg.tool_calls.forEach((call, i) => {
          const fn = call.type === 'function' ? call.function : null;
          const { result, count } = i < MAX_CALLS_PER_REPLY && fn ? this.tools.run(fn.name, fn.arguments) : { result: { error: `at most ${MAX_CALLS_PER_REPLY} tool calls per reply` }, count: 0 };
          if (fn) toolCalls.push({ name: fn.name, arguments: fn.arguments.slice(0, 500), results: count });
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
        });
        continue;
      }
      const content = msg.content ?? '';
      const parsed = res.choices[0]?.finish_reason === 'length'
        ? { problems: [`the answer was cut off at ${provider.settings.maxTokens} tokens (maxTokens): answer with a shorter definition (fewer slots, use week days wisely)`] }
        : this.parse(content);
      const problems = 'problems' in parsed ? parsed.problems : checkDefinition(parsed.definition, this.store, this.timeline, self);
      if (!problems.length && 'definition' in parsed) {
        return { ...parsed, rounds: round, repaired, toolCalls, preview: this.preview(parsed.definition, input), saved: false };
      }
      if (repaired) throw new ProviderError(`the model's answer is still invalid after a repair round: ${problems.slice(0, 5).join('; ')}`);
      repaired = true;
      messages.push({ role: 'assistant', content: content.slice(0, 20_000) });
      messages.push({ role: 'user', content: `Your answer is invalid:\n${problems.slice(0, 20).map((p) => `- ${p}`).join('\n')}\nFix these (call the tools again if you need ids) and answer with the whole JSON again.` });
    }
    throw new ProviderError(`no valid answer within ${provider.settings.maxRounds} model requests (maxRounds)`);
  }

  private userMessage(input: ProposeInput): string {
    if (!input.channel) return input.request;
    const ch = this.store.channels.getByNumber(input.channel);
    const def = input.base ?? toFullDefinition(this.store.channels.definition(ch.id).definition);
    const names = def.sources.map((s) => `${s.key}: ${s.content.map((r) => `${r.type} ${r.id} "${this.name(r.type, r.id)}"`).join(', ')}`);
    return `Edit the schedule of channel ${ch.number} "${ch.name}". Its current definition:\n${JSON.stringify(def)}\nIts sources hold:\n${names.join('\n')}\n`
      + `Keep what the change does not touch. The change: ${input.request}`;
  }

  private name(type: string, id: number): string {
    const found = type === 'show' ? this.store.shows.find(id)?.title : type === 'collection' ? this.store.collections.find(id)?.name : this.store.items.find(id)?.title;
    return found ?? '?';
  }

  private parse(content: string): { definition: ScheduleDefinition; summary: string } | { problems: string[] } {
    let raw: unknown;
    try {
      raw = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
    } catch (err) {
      return { problems: [`the answer is not valid JSON (${(err as Error).message}); answer with the JSON object only`] };
    }
    const ok = answerShape.safeParse(dropNulls(raw));
    if (!ok.success) return { problems: ok.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`) };
    return ok.data;
  }

  private preview(def: ScheduleDefinition, input: ProposeInput): AiChannelAnswer['preview'] {
    const { seed, rows } = this.schedules.preview(def, { from: input.from, hours: input.hours, channel: input.channel });
    return { seed, rows: rowsOut(this.store, rows.map((r, i) => ({ ...r, id: i + 1, channelId: 0 }))) };
  }
}

