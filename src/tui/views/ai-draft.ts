// The AI in the schedule editor: `I` asks for a sentence and lets the model change the draft
// (POST /api/ai/channel from the draft); the answer lands in the draft, unsaved (u undoes, w saves).
// With no provider set up yet, `I` opens the set-up form instead.
import type { AiChannelAnswer, AiStatus } from '../../schemas/ai.js';
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import type { AppContext } from '../view.js';
import { openAiSetup } from './ai-setup.js';

export async function aiDraft(ctx: AppContext, number: string, draft: ScheduleDefinition, apply: (def: ScheduleDefinition) => void): Promise<void> {
  const st = await ctx.client.request<AiStatus>('GET', '/api/ai');
  if (!st.configured) { await openAiSetup(ctx, 'no AI provider set up yet: set one up first (the schedule is untouched)'); return; }
  const request = await ctx.prompt(`AI: what should change in channel ${number}'s schedule?`, '');
  if (!request?.trim()) return;
  await ctx.act('AI draft', async () => {
    ctx.flash('asking the model (it searches your library first)…', 'info');
    const a = await ctx.client.request<AiChannelAnswer>('POST', '/api/ai/channel', { request: request.trim(), channel: number, definition: draft });
    apply(a.definition);
    return `AI: ${a.summary.slice(0, 120)} — in the draft, not saved (u undoes, w saves)`;
  });
}
