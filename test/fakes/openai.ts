// A faithful fake of an OpenAI-compatible API on 127.0.0.1 (what Ollama's /v1 and hosted
// providers answer): GET /v1/models, POST /v1/chat/completions with tool calls, checked
// Authorization, OpenAI-shaped errors. Answers come from fixtures keyed by the request's last
// message (a user request or a tool result); every request is recorded for assertions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content?: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; parameters: unknown } }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  max_tokens?: number;
}

export type Reply =
  | { content: string }
  | { toolCalls: { name: string; args: unknown }[] }
  | { status: number; error: string; headers?: Record<string, string> }
  | { hang: true };

export interface Fixture {
  /** Matched against the content of the request's last message. */
  when: string | RegExp;
  reply: Reply | ((req: ChatRequest) => Reply);
  /** How many requests it answers (default unlimited). */
  times?: number;
}

export interface FakeOpenAi {
  url: string;
  requests: ChatRequest[];
  /** Authorization headers seen, per request (chat and models). */
  auth: (string | undefined)[];
  fixtures: Fixture[];
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const errorOf = (message: string, type: string) => ({ error: { message, type, param: null, code: null } });

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

let seq = 0;
function completion(model: string, message: Record<string, unknown>, finish: string) {
  return {
    id: `chatcmpl-${++seq}`, object: 'chat.completion', created: 1_700_000_000, model,
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

export async function startFakeOpenAi(opts: { key?: string; models?: string[]; fixtures?: Fixture[] } = {}): Promise<FakeOpenAi> {
  const requests: ChatRequest[] = [];
  const auth: (string | undefined)[] = [];
  const fixtures = opts.fixtures ?? [];
  const models = opts.models ?? ['fake-model'];
  const server: Server = createServer(async (req, res) => {
    auth.push(req.headers.authorization);
    if (opts.key && req.headers.authorization !== `Bearer ${opts.key}`) {
      return send(res, 401, errorOf('Incorrect API key provided.', 'invalid_request_error'));
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      return send(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return send(res, 404, errorOf(`no route ${req.method} ${req.url}`, 'invalid_request_error'));
    let chat: ChatRequest;
    try {
      chat = JSON.parse(await body(req)) as ChatRequest;
    } catch {
      return send(res, 400, errorOf('We could not parse the JSON body of your request.', 'invalid_request_error'));
    }
    if (!models.includes(chat.model)) return send(res, 404, errorOf(`The model \`${chat.model}\` does not exist`, 'invalid_request_error'));
    if (!Array.isArray(chat.messages) || chat.messages.length === 0) return send(res, 400, errorOf('messages must be a non-empty array', 'invalid_request_error'));
    requests.push(chat);
    const last = chat.messages.at(-1)!;
    const text = String(last.content ?? '');
    const f = fixtures.find((x) => (x.times ?? 1) > 0 && (typeof x.when === 'string' ? text.includes(x.when) : x.when.test(text)));
    if (!f) return send(res, 500, errorOf(`fake: no fixture for ${JSON.stringify(text.slice(0, 200))}`, 'server_error'));
    if (f.times !== undefined) f.times--;
    let reply: Reply;
    try {
      reply = typeof f.reply === 'function' ? f.reply(chat) : f.reply;
    } catch (err) {
      // A failed assertion inside a fixture: answer at once so the test sees it.
      return send(res, 500, errorOf(`fake: fixture failed: ${(err as Error).message}`, 'server_error'));
    }
    if ('hang' in reply) return; // never answers: the client's timeout must end it
    if ('status' in reply) return send(res, reply.status, errorOf(reply.error, reply.status === 429 ? 'rate_limit_exceeded' : 'server_error'), reply.headers);
    if ('content' in reply) return send(res, 200, completion(chat.model, { content: reply.content }, 'stop'));
    return send(res, 200, completion(chat.model, {
      content: null,
      tool_calls: reply.toolCalls.map((c, i) => ({ id: `call_${seq}_${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })),
    }, 'tool_calls'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    auth,
    fixtures,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
