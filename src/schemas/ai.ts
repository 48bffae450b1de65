// AI provider settings, the channel-from-a-sentence request and answer, and diagnostics (doctor).
import { z } from 'zod';
import { scheduleDefinition } from './schedule.js';
import { timelineRowOut } from './timeline.js';

export const aiSettings = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like http://127.0.0.1:11434/v1' }).max(500)
    .describe('OpenAI-compatible base URL (Ollama: http://127.0.0.1:11434/v1)'),
  model: z.string().trim().min(1).max(200).describe('model name, e.g. llama3.1:8b or gpt-4o-mini'),
  timeoutS: z.number().int().min(1).max(600).default(60).describe('seconds one model request may take'),
  maxRounds: z.number().int().min(1).max(20).default(8).describe('model requests per answer (tool calls and the repair round included)'),
  maxTokens: z.number().int().min(256).max(32_768).default(4096).describe('tokens the model may write per request'),
}).strict();
export type AiSettings = z.infer<typeof aiSettings>;

export const aiSettingsInput = aiSettings.extend({
  apiKey: z.string().trim().min(1).max(1000).nullable().optional()
    .describe('API key, stored in a 0600 file and never shown again; null removes it, absent keeps it'),
}).strict();
export type AiSettingsInput = z.input<typeof aiSettingsInput>;

export const aiStatus = z.object({
  configured: z.boolean(),
  settings: aiSettings.nullable(),
  keySet: z.boolean(),
  howTo: z.string().nullable().describe('how to set up a provider, when none is'),
});
export type AiStatus = z.infer<typeof aiStatus>;

export const aiHealth = z.object({
  ok: z.boolean(),
  models: z.array(z.string()),
  modelFound: z.boolean().describe('the configured model is among the models listed'),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
});
export type AiHealth = z.infer<typeof aiHealth>;

export const aiChannelRequest = z.object({
  request: z.string().trim().min(3).max(2000).describe('what the channel should air, in words'),
  channel: z.union([z.string(), z.number()]).transform(String).optional()
    .describe('edit this channel\'s schedule (the request says what to change); its progress and seed are used for the preview'),
  definition: scheduleDefinition.optional().describe('with channel: start from this definition (an editor\'s draft) instead of the saved one'),
  hours: z.number().positive().max(168).default(24).describe('preview length'),
  from: z.iso.datetime({ offset: true }).optional().describe('preview start; default now'),
}).strict();

export const aiToolCall = z.object({ name: z.string(), arguments: z.string(), results: z.number().int() });

export const aiChannelAnswer = z.object({
  definition: scheduleDefinition,
  summary: z.string().describe('the model\'s one-paragraph description'),
  rounds: z.number().int().describe('model requests used'),
  repaired: z.boolean().describe('the first answer was invalid and a repair round fixed it'),
  toolCalls: z.array(aiToolCall),
  preview: z.object({ seed: z.number().int(), rows: z.array(timelineRowOut.extend({ id: z.number().int() })) }),
  saved: z.literal(false).describe('nothing is saved: PUT /api/channels/{number}/schedule saves it'),
});
export type AiChannelAnswer = z.infer<typeof aiChannelAnswer>;

export const finding = z.object({
  cause: z.enum(['missing_file', 'unreadable_media', 'hw_encoder', 'source_auth', 'source_not_found', 'dead_live_source',
    'disk_full', 'clock', 'restart_loop', 'tuner_exhaustion', 'unknown']),
  title: z.string().describe('the cause in plain words'),
  fix: z.string().describe('what to do: a command or a setting'),
  evidence: z.array(z.string()).describe('the stderr lines and events that show it'),
});
export type Finding = z.infer<typeof finding>;

export const channelDiagnosis = z.object({
  number: z.string(),
  name: z.string(),
  findings: z.array(finding),
  piece: z.object({
    title: z.string(),
    command: z.array(z.string()).describe('the exact ffmpeg argv of the piece on air'),
    shell: z.string().describe('the same, quoted for a shell'),
    exitCode: z.number().int().nullable(),
    stderr: z.array(z.string()).describe('last lines of a short trial run of that command'),
  }).nullable(),
  explanation: z.string().nullable().describe('the model\'s explanation of the findings (explain=true and a provider set up)'),
});
export type ChannelDiagnosis = z.infer<typeof channelDiagnosis>;

export const diagnostics = z.object({
  at: z.string(),
  system: z.array(finding).describe('findings about the box: disk, clock, tuners'),
  channels: z.array(channelDiagnosis),
});
export type Diagnostics = z.infer<typeof diagnostics>;
