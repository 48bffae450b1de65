// AI provider set-up in the TUI (the same service as `exstreamtv ai setup`): a form for the base URL,
// the model and an optional API key (sent once, stored 0600 by the daemon, never shown again), then
// the health check listing the provider's models. Reached from the palette and the Schedules view
// (`A`, and `I` when no provider is set up yet). The field and body logic is pure and tested alone.
import type { AiHealth, AiSettingsInput, AiStatus } from '../../schemas/ai.js';
import { truncate } from '../text.js';
import type { AppContext, FormField, FormValues } from '../view.js';

/** Ollama on this box: the usual local provider. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:11434/v1';

export function aiSetupFields(st: AiStatus): FormField[] {
  const s = st.settings;
  return [
    { name: 'baseUrl', label: 'Base URL', kind: 'text', value: s?.baseUrl ?? DEFAULT_BASE_URL, hint: 'OpenAI-compatible' },
    { name: 'model', label: 'Model', kind: 'text', size: 24, value: s?.model ?? '', hint: 'e.g. llama3.1:8b, gpt-4o-mini' },
    { name: 'apiKey', label: 'API key', kind: 'text', size: 24, secret: true, value: '', hint: st.keySet ? 'empty: keep the stored key' : 'optional (local: none)' },
    ...(st.keySet ? [{ name: 'keyAction', label: 'Stored key', kind: 'choice', value: 'keep', options: [{ value: 'keep', label: 'keep' }, { value: 'remove', label: 'remove' }] } satisfies FormField] : []),
    { name: 'timeoutS', label: 'Timeout s', kind: 'text', size: 8, value: String(s?.timeoutS ?? 60), hint: 'per model request' },
  ];
}

/** PUT /api/ai/settings body: a typed key replaces the stored one, "remove" forgets it, else it is kept. */
export function aiSettingsBody(v: FormValues, st: AiStatus): AiSettingsInput {
  const str = (k: string) => String(v[k] ?? '').trim();
  const timeout = Number(str('timeoutS'));
  const key = str('apiKey');
  return {
    baseUrl: str('baseUrl'),
    model: str('model'),
    timeoutS: str('timeoutS') !== '' && Number.isFinite(timeout) ? timeout : (str('timeoutS') as unknown as number),
    maxRounds: st.settings?.maxRounds ?? 8,
    maxTokens: st.settings?.maxTokens ?? 4096,
    ...(key ? { apiKey: key } : str('keyAction') === 'remove' ? { apiKey: null } : {}),
  };
}

/** The health check as pop-up lines: reachable or why not, whether the model is there, the models. */
export function healthLines(h: AiHealth, st: AiStatus, width: number): string[] {
  const s = st.settings!;
  const head = [`provider  ${s.baseUrl}`, `model     ${s.model}`, `key       ${st.keySet ? 'stored (0600, never shown)' : 'none'}`, ''];
  if (!h.ok) return [...head, `✖ not reachable: ${h.error ?? 'no answer'}`, '', 'The settings are saved: fix the provider (or the URL) and press A again to check.'];
  const models = h.models.length ? h.models.map((m) => `  ${m === s.model ? '●' : '·'} ${truncate(m, width - 4)}`) : ['  (the provider lists no models)'];
  return [
    ...head,
    `✔ reachable in ${h.latencyMs} ms: ${h.models.length} model${h.models.length === 1 ? '' : 's'}`,
    h.modelFound ? `✔ "${s.model}" is among them` : `✖ "${s.model}" is not among them: pick one of these`,
    '',
    ...models,
  ];
}

/** Opens the set-up form; after saving, the health check pops up. */
export async function openAiSetup(ctx: AppContext, note?: string): Promise<void> {
  const st = await ctx.client.request<AiStatus>('GET', '/api/ai');
  if (note) ctx.flash(note, 'info');
  ctx.form({
    title: st.configured ? 'AI provider (exstreamtv ai setup)' : 'Set up an AI provider (exstreamtv ai setup)',
    fields: aiSetupFields(st),
    submitLabel: 'save and check',
    fieldFor: (path) => path.replace(/^body\./, '').split('.')[0],
    async submit(v) {
      const saved = await ctx.client.request<AiStatus>('PUT', '/api/ai/settings', aiSettingsBody(v, st));
      const h = await ctx.client.request<AiHealth>('GET', '/api/ai/health');
      const w = Math.max(30, (ctx.screen.width as number) - 12);
      ctx.message(`AI provider: ${h.ok ? (h.modelFound ? 'ready' : 'model not found') : 'not reachable'}`, healthLines(h, saved, w));
      return h.ok
        ? `AI provider saved: ${h.models.length} models${h.modelFound ? `, "${saved.settings!.model}" ready` : `, "${saved.settings!.model}" not among them`}`
        : `AI provider saved, but not reachable: ${h.error ?? 'no answer'}`;
    },
  });
}
