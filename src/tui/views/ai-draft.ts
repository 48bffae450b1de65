// The AI in the schedule editor: `I` asks for a sentence and lets the model change the draft
// (POST /api/ai/channel from the draft); the answer lands in the draft, unsaved (u undoes, w saves).
import type { AiChannelAnswer } from '../../schemas/ai.js';
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import type { AppContext } from '../view.js';

export async function aiDraft(ctx: AppContext, number: string, draft: ScheduleDefinition, apply: (def: ScheduleDefinition) => void): Promise<void> {
  const request = await ctx.prompt(`AI: what should change in channel ${number}'s schedule?`, '');
  if (!request?.trim()) return;
  await ctx.act('AI draft', async () => {
    ctx.flash('asking the model (it searches your library first)…', 'info');
    const a = await ctx.client.request<AiChannelAnswer>('POST', '/api/ai/channel', { request: request.trim(), channel: number, definition: draft });
    apply(a.definition);
    return `AI: ${a.summary.slice(0, 120)} — in the draft, not saved (u undoes, w saves)`;
  });
}
