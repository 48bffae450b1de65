// AI provider settings on disk: <dataDir>/ai.json (base URL, model, limits) and the optional API
// key alone in <dataDir>/ai.key. Both are written 0600 through a temporary file and a rename;
// the key is read only to build the provider client and never leaves this module otherwise.
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aiSettings, type AiSettings, type AiSettingsInput, type AiStatus, aiSettingsInput } from '../../schemas/ai.js';

export const HOW_TO = [
  'No AI provider is set up. Any OpenAI-compatible endpoint works:',
  '  local (Ollama):  ollama pull llama3.1:8b && exstreamtv ai setup --base-url http://127.0.0.1:11434/v1 --model llama3.1:8b',
  '  hosted:          exstreamtv ai setup --base-url https://api.openai.com/v1 --model gpt-4o-mini --key-file ~/openai.key',
  'or PUT /api/ai/settings {"baseUrl", "model", "apiKey"}. The rule-based doctor works without one.',
].join('\n');

async function readOr<T>(file: string, parse: (text: string) => T, fallback: T): Promise<T> {
  try {
    return parse(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
}

async function writePrivate(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

export class AiSettingsStore {
  constructor(private readonly dataDir: string) {}

  private get settingsFile(): string { return join(this.dataDir, 'ai.json'); }
  private get keyFile(): string { return join(this.dataDir, 'ai.key'); }

  async settings(): Promise<AiSettings | null> {
    // A hand-edited file that no longer parses counts as "not set up" (the status says how).
    return readOr(this.settingsFile, (t) => {
      try {
        const parsed = aiSettings.safeParse(JSON.parse(t));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    }, null);
  }

  /** The API key, or null. For the provider client only. */
  async key(): Promise<string | null> {
    return readOr(this.keyFile, (t) => t.trim() || null, null);
  }

  async status(): Promise<AiStatus> {
    const settings = await this.settings();
    const keySet = (await this.key()) !== null;
    return { configured: settings !== null, settings, keySet, howTo: settings ? null : HOW_TO };
  }

  async save(input: AiSettingsInput): Promise<AiStatus> {
    const { apiKey, ...rest } = aiSettingsInput.parse(input);
    await writePrivate(this.settingsFile, JSON.stringify(aiSettings.parse(rest), null, 2) + '\n');
    if (apiKey === null) await rm(this.keyFile, { force: true });
    else if (apiKey !== undefined) await writePrivate(this.keyFile, apiKey + '\n');
    return this.status();
  }

  async clear(): Promise<void> {
    await rm(this.settingsFile, { force: true });
    await rm(this.keyFile, { force: true });
  }
}
