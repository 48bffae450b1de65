// The model behind an OpenAI-compatible endpoint (Ollama's /v1, a hosted API, the test fake),
// through the openai SDK. Every request is bounded (timeout, tokens); a 429 is waited out once
// when its Retry-After is short, else it ends in a clear error. Prompts and answers go to the
// debug log only; the key goes nowhere but the Authorization header.
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { AiSettings } from '../../schemas/ai.js';
import { AppError } from '../errors.js';

/** The provider failed (unreachable, refused, rate-limited, timed out, junk): a 502/504 naming why. */
export class ProviderError extends AppError {
  constructor(message: string, statusCode = 502) { super(statusCode, `AI provider: ${message}`); }
}

/** A Retry-After longer than this is not waited for. */
const MAX_WAIT_MS = 10_000;

export type DebugLog = (msg: string) => void;

export class AiProvider {
  private readonly client: OpenAI;

  constructor(readonly settings: AiSettings, key: string | null, private readonly debug: DebugLog = () => {}) {
    this.client = new OpenAI({
      baseURL: settings.baseUrl,
      apiKey: key ?? 'no-key',
      organization: null,
      project: null,
      // Without a key no Authorization header at all (a local Ollama needs none).
      ...(key ? {} : { defaultHeaders: { Authorization: null } }),
      timeout: settings.timeoutS * 1000,
      maxRetries: 0,
      logLevel: 'off',
    });
  }

  async models(): Promise<string[]> {
    const ids: string[] = [];
    try {
      for await (const m of this.client.models.list()) ids.push(m.id);
    } catch (err) {
      throw this.explain(err);
    }
    return ids.sort();
  }

  /** One chat completion (no streaming), with one wait on a short 429. */
  async chat(body: Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'max_tokens'>): Promise<ChatCompletion> {
    const req: ChatCompletionCreateParamsNonStreaming = { ...body, model: this.settings.model, max_tokens: this.settings.maxTokens };
    this.debug(`ai request: ${JSON.stringify(req.messages.at(-1))}`);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.client.chat.completions.create(req);
        this.debug(`ai answer: ${JSON.stringify(res.choices[0]?.message ?? null)}`);
        return res;
      } catch (err) {
        const wait = err instanceof OpenAI.RateLimitError ? retryAfterMs(err.headers) : null;
        if (attempt === 0 && wait !== null && wait <= MAX_WAIT_MS) {
          this.debug(`ai rate-limited: waiting ${wait} ms`);
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        throw this.explain(err);
      }
    }
  }

  private explain(err: unknown): ProviderError {
    const where = this.settings.baseUrl;
    if (err instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError(`no answer from ${where} within ${this.settings.timeoutS} s (raise timeoutS, or use a smaller model)`, 504);
    if (err instanceof OpenAI.APIConnectionError) return new ProviderError(`cannot reach ${where}: ${(err.cause as Error | undefined)?.message ?? err.message} (is it running? exstreamtv ai status)`);
    if (err instanceof OpenAI.RateLimitError) {
      const wait = retryAfterMs(err.headers);
      return new ProviderError(`rate-limited by ${where}${wait !== null ? `: try again in ${Math.ceil(wait / 1000)} s` : ''}`, 429);
    }
    if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
      return new ProviderError(`${where} refused the API key (HTTP ${err.status}): set a valid one with exstreamtv ai setup --key-file FILE`);
    }
    if (err instanceof OpenAI.NotFoundError) return new ProviderError(`${where} answered 404: check the base URL (it usually ends in /v1) and the model "${this.settings.model}"`);
    if (err instanceof OpenAI.APIError) return new ProviderError(`${where} answered HTTP ${err.status ?? '?'}: ${err.message.slice(0, 300)}`);
    return new ProviderError((err as Error).message);
  }
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const raw = headers?.get('retry-after');
  if (!raw) return null;
  const s = Number.parseFloat(raw);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}
