// The AI feature as the API sees it: provider settings, a health check that lists the models,
// a channel from a sentence (previewed, never saved), and model explanations for the doctor.
import type { AiChannelAnswer, AiHealth, AiSettingsInput, AiStatus } from '../../schemas/ai.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { ScheduleService } from '../services/schedules.js';
import type { Store } from '../store/store.js';
import type { TimelineService } from '../timeline/service.js';
import { AiChannelBuilder, type ProposeInput } from './channel.js';
import { AiProvider } from './provider.js';
import { AiSettingsStore, HOW_TO } from './settings.js';

/** No provider set up: 409 with the set-up instructions. */
export class NotConfiguredError extends AppError {
  constructor() { super(409, HOW_TO); }
}

export class AiService {
  readonly settings: AiSettingsStore;
  private readonly builder: AiChannelBuilder;

  constructor(dataDir: string, store: Store, timeline: TimelineService, schedules: ScheduleService, private readonly events: EventBus) {
    this.settings = new AiSettingsStore(dataDir);
    this.builder = new AiChannelBuilder(store, timeline, schedules);
  }

  status(): Promise<AiStatus> { return this.settings.status(); }
  save(input: AiSettingsInput): Promise<AiStatus> { return this.settings.save(input); }

  /** The configured provider, or null when none is set up. */
  async provider(): Promise<AiProvider | null> {
    const s = await this.settings.settings();
    return s ? new AiProvider(s, await this.settings.key(), (msg) => this.events.log('debug', msg)) : null;
  }

  private async required(): Promise<AiProvider> {
    const p = await this.provider();
    if (!p) throw new NotConfiguredError();
    return p;
  }

  async health(): Promise<AiHealth> {
    const p = await this.required();
    const t0 = Date.now();
    try {
      const models = await p.models();
      return { ok: true, models, modelFound: models.includes(p.settings.model), latencyMs: Date.now() - t0, error: null };
    } catch (err) {
      return { ok: false, models: [], modelFound: false, latencyMs: Date.now() - t0, error: (err as Error).message };
    }
  }

  async channel(input: ProposeInput): Promise<AiChannelAnswer> {
    return this.builder.propose(await this.required(), input);
  }

  /** A plain-words explanation of facts by the model (no tools, no schema); null without a provider. */
  async explain(facts: string): Promise<string | null> {
    const p = await this.provider();
    if (!p) return null;
    const res = await p.chat({ messages: [
      { role: 'system', content: 'You help the owner of a home TV appliance (EXStreamTV, ffmpeg based) fix a problem. Explain the findings below in plain words in at most 6 sentences and say which fix to try first. Do not invent facts.' },
      { role: 'user', content: facts.slice(0, 12_000) },
    ] });
    return res.choices[0]?.message.content?.trim() || null;
  }
}
